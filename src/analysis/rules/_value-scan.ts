import { RuleContext } from './rule';
import { ServiceUpstream } from '../../mesh/service-upstream';
import { Manifest, ManifestIndex, podMetadataPath, podTemplateOf } from '../../model/_manifests';
import { DNS1123_SUBDOMAIN, LABEL_VALUE } from '../../private/_validation';

/** One value Kubernetes rejects. */
export interface ValueProblem {
  readonly ruleId: 'KUMA020' | 'KUMA021';
  readonly m: Manifest;
  readonly message: string;
  readonly fix: string;
  /** The label or annotation key whose value or name is wrong, for the problems of metadata. */
  readonly key?: string;
  /** Where the value is in the object. */
  readonly at: ReadonlyArray<string | number>;
}

/** Keys whose values Kuma or a delegated gateway reads: kuma.io/ keys and the service-upstream annotations. */
export function isKumaKey(key: string): boolean {
  return /(^|\.)kuma\.io\//.test(key) || ServiceUpstream._KEYS.includes(key);
}

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

function shown(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return `the YAML boolean ${v}`;
  if (typeof v === 'number') return `the YAML number ${v}`;
  return Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : JSON.stringify(v);
}

/** Why a label key is not a Kubernetes qualified name, if it is not (k8s.io/apimachinery validation). */
function labelKeyProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return 'has more than one "/"';
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
  if (prefix !== undefined && (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) return 'has a prefix that is not a DNS subdomain';
  if (name.length > 63 || !QUALIFIED_NAME.test(name)) return 'has a name part that is not a qualified name (at most 63 letters, digits, \'-\', \'_\' and \'.\', alphanumeric at both ends)';
  return undefined;
}

/**
 * The problems KUMA020 and KUMA021 report, from one pass over the set (computed once): values
 * Kubernetes types as strings (label and annotation values, env values) or
 * integers (ports) written as something else, read as YAML 1.1 the way kubectl reads it: an
 * unquoted `true`, `yes` or `8080` is not a string, and the API server rejects the object.
 * KUMA021: label keys and values Kubernetes rejects.
 */
export function valueProblems(ctx: RuleContext): ValueProblem[] {
  // in a set with nothing else of Kuma, only the values of Kuma's own keys are Kuma's business
  return ctx.shared('value-problems', () => scan(ctx.index).filter((p) => ctx.kumaSignal || (p.key !== undefined && isKumaKey(p.key))));
}

function scan(index: ManifestIndex): ValueProblem[] {
  const findings: ValueProblem[] = [];
  type Path = ReadonlyArray<string | number>;
  const typeError = (m: Manifest, at: Path, field: string, v: unknown, wants: string, fix: string, key?: string) => findings.push({
    ruleId: 'KUMA020',
    m,
    key,
    at,
    message: `sets ${field} to ${shown(v)}, but Kubernetes takes only ${wants} there, so the API server rejects the object`,
    fix,
  });
  // the same few keys recur on every object: check each once per analysis
  const keyProblems = new Map<string, string | undefined>();
  const keyProblemOf = (key: string) => {
    if (!keyProblems.has(key)) keyProblems.set(key, labelKeyProblem(key));
    return keyProblems.get(key);
  };
  const metadata = (m: Manifest, meta: any, base: readonly string[]) => {
    const where = base.join('.');
    for (const kind of ['labels', 'annotations'] as const) {
      const map = meta?.[kind];
      if (map === null || typeof map !== 'object' || Array.isArray(map)) continue;
      for (const [key, v] of Object.entries(map)) {
        const field = () => `${where}.${kind}["${key}"]`;
        if (typeof v !== 'string') {
          typeError(m, [...base, kind, key], field(), v, 'strings', `Quote the value in the YAML (${typeof v === 'boolean' || typeof v === 'number' ? `"${String(v)}"` : 'a string'}).`, key);
          continue;
        }
        const keyProblem = keyProblemOf(key);
        if (keyProblem !== undefined) {
          findings.push({
            ruleId: 'KUMA021',
            m,
            key,
            at: [...base, kind, key],
            message: `has the ${kind === 'labels' ? 'label' : 'annotation'} key ${JSON.stringify(key)} in ${where}, which ${keyProblem}, so the API server rejects the object`,
            fix: 'Use a key such as "example.com/name".',
          });
        } else if (kind === 'labels' && (v.length > 63 || !LABEL_VALUE.test(v))) {
          findings.push({
            ruleId: 'KUMA021',
            m,
            key,
            at: [...base, kind, key],
            message: `sets ${field()} to ${JSON.stringify(v)}, which is not a label value (at most 63 letters, digits, '-', '_' and '.', alphanumeric at both ends), so the API server rejects the object`,
            fix: 'Use a valid label value, or move the value to an annotation.',
          });
        }
      }
    }
  };
  for (const m of index.manifests) {
    const o = m.obj;
    if (o === null || typeof o !== 'object') continue;
    metadata(m, o.metadata, ['metadata']);
    const path = podMetadataPath(o);
    const template = podTemplateOf(o);
    if (path !== undefined && path.length > 1) metadata(m, template?.metadata, path);
    const spec = template?.spec;
    for (const [group, containers] of [['containers', spec?.containers], ['initContainers', spec?.initContainers]] as const) {
      (Array.isArray(containers) ? containers : []).forEach((c: any, i: number) => {
        (Array.isArray(c?.env) ? c.env : []).forEach((e: any, j: number) => {
          if (e !== null && typeof e === 'object' && 'value' in e && typeof e.value !== 'string' && e.value !== null) {
            typeError(m, [...path!.slice(0, -1), 'spec', group, i, 'env', j, 'value'], `${group}[${i}].env[${j}] (${e.name}) value`, e.value, 'strings', `Quote the value in the YAML ("${String(e.value)}").`);
          }
        });
        (Array.isArray(c?.ports) ? c.ports : []).forEach((p: any, j: number) => {
          if (p?.containerPort !== undefined && !Number.isInteger(p.containerPort)) {
            typeError(m, [...path!.slice(0, -1), 'spec', group, i, 'ports', j, 'containerPort'], `${group}[${i}].ports[${j}].containerPort`, p.containerPort, 'integers', 'Write the port as a number, without quotes.');
          }
        });
      });
    }
    if (o.apiVersion === 'v1' && o.kind === 'Service') {
      (Array.isArray(o.spec?.ports) ? o.spec.ports : []).forEach((p: any, j: number) => {
        if (p?.port !== undefined && !Number.isInteger(p.port)) typeError(m, ['spec', 'ports', j, 'port'], `spec.ports[${j}].port`, p.port, 'integers', 'Write the port as a number, without quotes.');
      });
    }
  }
  return findings;
}
