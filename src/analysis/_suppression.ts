import { FindingSeverity } from './finding';
import type { MeshExemption } from './mesh-exemption';
import type { RawFinding } from './rules/rule';
import { describe, Manifest } from '../model/_manifests';

/*
 * What a team accepts: a rule's severity changed, an object's own annotation
 * `ignore.cdk8s-kuma/<RULE>: <reason>` (kube-linter's `ignore-check.kube-linter.io/<check>`,
 * Polaris's `polaris.fairwinds.com/<check>-exempt`), and exemptions kept beside the objects (for
 * charts owned by others, as Polaris's config `exemptions`). A suppressed finding is still
 * reported, as suppressed, with its reason: an accepted risk stays visible.
 */

/** The prefix of the annotation that suppresses one rule for the object it is on. */
export const SUPPRESSION_ANNOTATION_PREFIX = 'ignore.cdk8s-kuma/';

/** What changes findings after the rules ran. */
export interface FindingSettings {
  readonly severities?: { readonly [ruleId: string]: FindingSeverity };
  readonly exemptions?: readonly MeshExemption[];
}

/**
 * The findings with the settings' severities, each marked `suppressed` when its object's
 * annotation or an exemption accepts it. An annotation without a reason does not suppress: the
 * finding says so.
 */
export function settle(findings: RawFinding[], settings: FindingSettings): RawFinding[] {
  const exemptions = (settings.exemptions ?? []).map((e) => ({ ...e, matches: matcher(e) }));
  return findings.map((f) => {
    const severity = settings.severities?.[f.ruleId] ?? f.severity;
    const annotations = f.target?.obj?.metadata?.annotations;
    const key = SUPPRESSION_ANNOTATION_PREFIX + f.ruleId;
    const annotated = annotations !== null && typeof annotations === 'object' && Object.prototype.hasOwnProperty.call(annotations, key);
    const reason = annotated ? annotations[key] : undefined;
    if (annotated && typeof reason === 'string' && reason.trim() !== '') {
      return { ...f, severity, suppressed: { kind: 'annotation', reason: reason.trim() } };
    }
    const exemption = exemptions.find((e) => e.rule === f.ruleId && e.matches(f.target?.obj));
    if (exemption !== undefined) return { ...f, severity, suppressed: { kind: 'exemption', reason: exemption.reason } };
    if (annotated) {
      const why = typeof reason === 'string' || reason === null || reason === undefined
        ? 'gives no reason' : `is not a string but ${typeof reason === 'boolean' ? 'the YAML boolean' : `a ${typeof reason}`} ${JSON.stringify(reason)}`;
      return {
        ...f,
        severity,
        message: `${f.message} (its annotation ${key} ${why}, so it does not suppress this finding: write why the finding is accepted as the annotation's value, quoted)`,
      };
    }
    return severity === f.severity ? f : { ...f, severity };
  });
}

/** Whether an object is the one an exemption names: kind, namespace and name, each `*` for any part. */
export function matcher(e: MeshExemption): (obj: any) => boolean {
  const kind = e.kind === undefined ? undefined : glob(e.kind);
  const namespace = e.namespace === undefined ? undefined : glob(e.namespace);
  const name = e.name === undefined ? undefined : glob(e.name);
  return (obj) => {
    if (kind !== undefined && !kind.test(String(obj?.kind ?? ''))) return false;
    if (namespace !== undefined && !namespace.test(String(obj?.metadata?.namespace ?? ''))) return false;
    return name === undefined || name.test(String(obj?.metadata?.name ?? ''));
  };
}

/** A pattern where `*` stands for any characters, as a regular expression for the whole string. */
function glob(pattern: string): RegExp {
  return new RegExp('^' + pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
}

/**
 * What a team meant to accept but accepts nothing: a suppression annotation naming no rule (a typo,
 * a rule id in lower case), an exemption no object of the set matches (stale, or misspelt).
 */
export function suppressionNotes(manifests: readonly Manifest[], ids: readonly string[], exemptions: readonly MeshExemption[] = [],
  configFile?: string): string[] {
  const notes: string[] = [];
  for (const m of manifests) {
    const annotations = m.obj?.metadata?.annotations;
    if (annotations === null || typeof annotations !== 'object') continue;
    for (const key of Object.keys(annotations)) {
      if (!key.startsWith(SUPPRESSION_ANNOTATION_PREFIX)) continue;
      const id = key.slice(SUPPRESSION_ANNOTATION_PREFIX.length);
      if (ids.includes(id)) continue;
      const meant = ids.find((r) => r === id.toUpperCase());
      notes.push(`${m.source}: ${describe(m.obj)}: annotation ${key} names no rule${meant === undefined ? '' : ` (${meant}: rule ids are upper case)`}, so it suppresses nothing`);
    }
  }
  exemptions.forEach((e, i) => {
    const matches = matcher(e);
    if (!manifests.some((m) => matches(m.obj))) {
      notes.push(`${configFile ?? 'exemptions'}: exemptions[${i}] (${[e.rule, e.kind, e.namespace, e.name].filter((x) => x !== undefined).join(' ')}) matches no object of the set`);
    }
  });
  return notes;
}
