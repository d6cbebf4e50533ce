import { Document } from 'yaml';
import type { DataplanePrediction } from '../model/_dataplane-object';
import { describe, Manifest } from '../model/_manifests';

/*
 * Predicted Dataplanes (model/_dataplane-object.ts) as text: YAML documents after their comments,
 * or JSON; `cdk8s-kuma dataplanes` prints it, `MeshAnalyzer` writes it next to an app's manifests.
 */

/** The zone a standalone control plane names itself (kumahq/kuma kuma-cp.defaults.yaml `multizone.zone.name`). */
export const DEFAULT_ZONE = 'default';

/** What the text says it was predicted for. */
export interface DataplanesHeader {
  readonly version: { toString(): string };
  readonly zone: string;
  /** The package's version. */
  readonly tool: string;
}

/** ` (file#N)` or ` (construct path)`: where an object came from, for a comment or a message. */
export function sourceSuffix(m: Manifest): string {
  const at = m.source ?? m.construct?.node.path;
  return at === undefined ? '' : ` (${at})`;
}

/** The predictions as YAML (one document per Dataplane, each after its comments) or JSON. */
export function dataplanesText(predictions: readonly DataplanePrediction[], format: 'yaml' | 'json', h: DataplanesHeader): string {
  const header = `Predicted by cdk8s-kuma ${h.tool} for Kuma ${h.version}, zone "${h.zone}": what Kuma's injector and pod converter make of the pods`;
  if (format === 'json') {
    return `${JSON.stringify({
      comment: header,
      dataplanes: predictions.map((p) => ({
        owner: describe(p.owner.obj),
        ...sourceSuffix(p.owner) === '' ? {} : { source: p.owner.source ?? p.owner.construct?.node.path },
        ...p.dataplane === undefined ? { error: p.error } : { dataplane: p.dataplane },
        comments: p.dataplane === undefined ? p.comments.slice(0, 1) : p.comments,
      })),
    }, null, 2)}\n`;
  }
  const docs = predictions.map((p) => {
    // no Dataplane: the error and the object, not what the Dataplane would have had
    if (p.dataplane === undefined) return `# ${p.error}\n# ${p.comments[0]}\n`;
    const doc = new Document(p.dataplane);
    doc.commentBefore = p.comments.map((c) => ` ${c}`).join('\n');
    return doc.toString({ lineWidth: 0 });
  });
  if (docs.length === 0) return `# ${header}.\n# No meshed pod in the set.\n`;
  return `# ${header}.\n${docs.join('---\n')}`;
}
