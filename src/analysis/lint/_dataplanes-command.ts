import * as fs from 'fs';
import { Document } from 'yaml';
import { packageVersion } from './_args';
import { CommandIo, loadInputs } from './_inputs';
import { capabilitiesOf } from '../../kuma/_kuma-capabilities';
import { DataplanePrediction, predictDataplanes } from '../../model/_dataplane-object';
import { describe, ManifestIndex } from '../../model/_manifests';

/*
 * `cdk8s-kuma dataplanes`: the Dataplanes Kuma will make of a set of manifests
 * (model/_dataplane-object.ts), read with the lint's inputs, flags and config file (_inputs.ts).
 */

/** The zone a standalone control plane names itself (kuma-cp.defaults.yaml `multizone.zone.name`). */
export const DEFAULT_ZONE = 'default';

/** The `dataplanes` command: returns the exit status. */
export function dataplanes(argv: string[], io: CommandIo): number {
  const loaded = loadInputs(argv, 'dataplanes', io);
  if (typeof loaded === 'number') return loaded;
  const { options, input, problems } = loaded;
  const caps = capabilitiesOf(options.version);
  const zone = options.zone ?? DEFAULT_ZONE;
  const declared = new Map(Object.entries(options.namespaceLabels));
  const { predictions, notes } = predictDataplanes(new ManifestIndex(input.located.manifests, declared), {
    caps,
    zone,
    mode: 'zone',
    workloadLabels: options.workloadLabels,
    asInjected: options.asInjected,
  });
  for (const n of notes) io.stderr.write(`cdk8s-kuma: note: ${n}\n`);
  const header = `Predicted by cdk8s-kuma ${packageVersion()} for Kuma ${options.version}, zone "${zone}": what Kuma's injector and pod converter make of the pods`;
  const report = options.format === 'json' ? asJson(predictions, header) : asYaml(predictions, header);
  if (options.output === undefined) {
    io.stdout.write(report);
  } else {
    try {
      fs.writeFileSync(options.output, report);
    } catch (e: any) {
      io.stderr.write(`cdk8s-kuma: --output ${options.output}: cannot be written (${e.code ?? e.message})\n`);
      return 2;
    }
    io.stderr.write(`cdk8s-kuma: ${predictions.filter((p) => p.dataplane).length} Dataplanes; written to ${options.output}\n`);
  }
  // a pod Kuma makes no Dataplane of is reported (its error), and so is bad input
  for (const p of predictions) if (p.error !== undefined) io.stderr.write(`cdk8s-kuma: ${p.error}${where(p)}\n`);
  return problems.length > 0 || predictions.some((p) => p.error !== undefined) ? 2 : 0;
}

function where(p: DataplanePrediction): string {
  return p.owner.source === undefined ? '' : ` (${p.owner.source})`;
}

/** One YAML document per Dataplane, each after its comments; a set with none says so. */
function asYaml(predictions: DataplanePrediction[], header: string): string {
  const docs = predictions.map((p) => {
    const comments = p.comments;
    if (p.dataplane === undefined) return `# ${p.error}\n${comments.map((c) => `# ${c}`).join('\n')}\n`;
    const doc = new Document(p.dataplane);
    doc.commentBefore = comments.map((c) => ` ${c}`).join('\n');
    return doc.toString({ lineWidth: 0 });
  });
  if (docs.length === 0) return `# ${header}.\n# No meshed pod in the set.\n`;
  return `# ${header}.\n${docs.join('---\n')}`;
}

function asJson(predictions: DataplanePrediction[], header: string): string {
  return `${JSON.stringify({
    comment: header,
    dataplanes: predictions.map((p) => ({
      owner: describe(p.owner.obj),
      ...p.owner.source === undefined ? {} : { source: p.owner.source },
      ...p.dataplane === undefined ? { error: p.error } : { dataplane: p.dataplane },
      comments: p.comments,
    })),
  }, null, 2)}\n`;
}
