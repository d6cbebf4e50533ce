import * as fs from 'fs';
import * as path from 'path';
import { parseDocument } from 'yaml';
import { FindingSeverity } from './finding';
import type { MeshExemption } from './mesh-exemption';
import { KumaVersion } from '../kuma/kuma-version';
import { DISTRIBUTIONS } from '../mesh/_distributions';
import { KumaDistribution } from '../mesh/kuma-control-plane';
import { MeshServicesMode } from '../mesh/mesh';
import { invalid, isDns1123Label } from '../private/_validation';

/*
 * The settings of an analysis as a team keeps them: the validation plugin's properties (cdk8s.yaml)
 * and the config file `.cdk8s-kuma.yaml` have the same keys, read and checked here; the lint's
 * flags override the file (kube-linter's `--config`, Polaris's config file, istioctl's mesh config).
 */

/** The config file's name, looked for from the working directory upwards. */
export const CONFIG_FILE = '.cdk8s-kuma.yaml';

/** The settings, checked. */
export interface AnalysisSettings {
  readonly kumaVersion?: KumaVersion;
  readonly distribution?: KumaDistribution;
  readonly controlPlaneNamespace?: string;
  readonly meshServicesMode?: MeshServicesMode;
  readonly namespaceLabels?: Record<string, Record<string, string>>;
  readonly cni?: boolean;
  readonly ignore?: string[];
  readonly failOn?: FindingSeverity;
  readonly severities?: Record<string, FindingSeverity>;
  readonly exemptions?: MeshExemption[];
  /** The plugin's: analyse every output folder as one set. */
  readonly mergeFolders?: boolean;
}

/** The keys, in the order the docs list them. */
export const SETTINGS_KEYS = ['kumaVersion', 'distribution', 'controlPlaneNamespace', 'meshServicesMode', 'namespaceLabels', 'cni',
  'ignore', 'failOn', 'severities', 'exemptions', 'mergeFolders'] as const;

const EXEMPTION_KEYS = ['rule', 'kind', 'namespace', 'name', 'reason'];

/**
 * Checks settings given as plain data (a YAML mapping, the plugin's properties); a bad key or
 * value throws an error naming `where` (the file, or cdk8s.yaml) and the key. `ruleIds` are the
 * rules' ids.
 */
export function parseSettings(raw: unknown, where: string, ruleIds: readonly string[], otherKeys: readonly string[] = []): AnalysisSettings {
  if (raw === null || raw === undefined) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw invalid(where, '(top level)', raw, 'is not a mapping of settings', `Use the keys ${SETTINGS_KEYS.join(', ')}.`);
  }
  const given = raw as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!(SETTINGS_KEYS as readonly string[]).includes(key)) throw invalid(where, key, given[key], 'is not a setting', `Use ${[...SETTINGS_KEYS, ...otherKeys].join(', ')}.`);
  }
  const out: { -readonly [K in keyof AnalysisSettings]: AnalysisSettings[K] } = {};
  const ruleId = (field: string, id: unknown): string => {
    if (typeof id !== 'string' || !ruleIds.includes(id)) throw invalid(where, field, id, 'is not a rule id', `Use one of ${ruleIds.join(', ')}.`);
    return id;
  };
  const severity = (field: string, v: unknown): FindingSeverity => {
    if (v !== 'error' && v !== 'warning') throw invalid(where, field, v, 'is not a severity', 'Use "error" or "warning".');
    return v === 'error' ? FindingSeverity.ERROR : FindingSeverity.WARNING;
  };
  const boolean = (field: string, v: unknown): boolean => {
    if (typeof v !== 'boolean') throw invalid(where, field, v, 'is not a boolean', `Write ${field}: true (or false) without quotes.`);
    return v;
  };
  const mapping = (field: string, v: unknown, example: string): Record<string, unknown> => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw invalid(where, field, v, 'is not a mapping', `Write it as ${example}.`);
    return v as Record<string, unknown>;
  };
  const text = (field: string, v: unknown): string => {
    if (typeof v !== 'string') throw invalid(where, field, v, 'is not a string', 'Quote it.');
    return v;
  };
  if (given.kumaVersion !== undefined) {
    try {
      out.kumaVersion = KumaVersion.parse(String(given.kumaVersion));
    } catch {
      throw invalid(where, 'kumaVersion', given.kumaVersion, 'is not a supported Kuma version', `Use one of ${KumaVersion.supported.join(', ')}, quoted ("2.10": unquoted, YAML reads 2.10 as the number 2.1).`);
    }
  }
  if (given.distribution !== undefined) {
    const d = DISTRIBUTIONS[text('distribution', given.distribution)];
    if (d === undefined) throw invalid(where, 'distribution', given.distribution, 'is not a distribution', `Use one of ${Object.keys(DISTRIBUTIONS).join(', ')}.`);
    out.distribution = d;
  }
  if (given.controlPlaneNamespace !== undefined) {
    const ns = text('controlPlaneNamespace', given.controlPlaneNamespace);
    if (!isDns1123Label(ns)) throw invalid(where, 'controlPlaneNamespace', ns, 'is not a namespace name (RFC 1123 label)', 'Give the namespace the control plane runs in, e.g. kong-mesh-system.');
    out.controlPlaneNamespace = ns;
  }
  if (given.meshServicesMode !== undefined) {
    const m = given.meshServicesMode;
    if (!Object.values<unknown>(MeshServicesMode).includes(m)) {
      throw invalid(where, 'meshServicesMode', m, 'is not a mesh services mode', `Use one of ${Object.values(MeshServicesMode).join(', ')}.`);
    }
    out.meshServicesMode = m as MeshServicesMode;
  }
  if (given.namespaceLabels !== undefined) {
    const example = '{ shop: { kuma.io/sidecar-injection: enabled } }';
    const labels: Record<string, Record<string, string>> = {};
    for (const [ns, l] of Object.entries(mapping('namespaceLabels', given.namespaceLabels, example))) {
      if (!isDns1123Label(ns)) throw invalid(where, 'namespaceLabels', ns, 'is not a namespace name (RFC 1123 label)', `Write it as ${example}.`);
      labels[ns] = {};
      for (const [k, v] of Object.entries(mapping(`namespaceLabels.${ns}`, l, example))) labels[ns][k] = text(`namespaceLabels.${ns}.${k}`, v);
    }
    out.namespaceLabels = labels;
  }
  if (given.cni !== undefined) out.cni = boolean('cni', given.cni);
  if (given.mergeFolders !== undefined) out.mergeFolders = boolean('mergeFolders', given.mergeFolders);
  if (given.ignore !== undefined) {
    if (!Array.isArray(given.ignore)) throw invalid(where, 'ignore', given.ignore, 'is not a list of rule ids', 'Give a YAML list, for example [KUMA009].');
    out.ignore = given.ignore.map((id, i) => ruleId(`ignore[${i}]`, id));
  }
  if (given.failOn !== undefined) out.failOn = severity('failOn', given.failOn);
  if (given.severities !== undefined) {
    const s: Record<string, FindingSeverity> = {};
    for (const [id, v] of Object.entries(mapping('severities', given.severities, '{ KUMA009: error }'))) s[ruleId('severities', id)] = severity(`severities.${id}`, v);
    out.severities = s;
  }
  if (given.exemptions !== undefined) {
    if (!Array.isArray(given.exemptions)) {
      throw invalid(where, 'exemptions', given.exemptions, 'is not a list', 'Give a list of { rule, kind, namespace, name, reason }.');
    }
    out.exemptions = given.exemptions.map((e, i) => {
      const field = `exemptions[${i}]`;
      const x = mapping(field, e, '{ rule: KUMA009, kind: Deployment, namespace: kong, name: kong-gateway, reason: "..." }');
      for (const k of Object.keys(x)) if (!EXEMPTION_KEYS.includes(k)) throw invalid(where, `${field}.${k}`, x[k], 'is not a key of an exemption', `Use ${EXEMPTION_KEYS.join(', ')}.`);
      const reason = x.reason === undefined ? '' : text(`${field}.reason`, x.reason);
      if (reason.trim() === '') throw invalid(where, `${field}.reason`, x.reason, 'is missing or empty', 'Say why the finding is accepted: a reviewer reads it.');
      const optional = (k: string) => (x[k] === undefined ? {} : { [k]: text(`${field}.${k}`, x[k]) });
      return { rule: ruleId(`${field}.rule`, x.rule), reason: reason.trim(), ...optional('kind'), ...optional('namespace'), ...optional('name') };
    });
  }
  return out;
}

/** The config file that applies in `dir`: `.cdk8s-kuma.yaml` there or in the nearest parent that has one. */
export function findConfigFile(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const file = path.join(d, CONFIG_FILE);
    if (fs.existsSync(file)) return file;
    if (path.dirname(d) === d) return undefined;
  }
}

/** Reads and checks a config file; a file that cannot be read or is not valid throws, naming it. */
export function readConfigFile(file: string, ruleIds: readonly string[]): AnalysisSettings {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e: any) {
    throw invalid(file, '(file)', undefined, `cannot be read (${e.code ?? e.message})`, 'Name an existing config file.');
  }
  // YAML 1.1, as the manifests are read (cni: yes is true)
  const doc = parseDocument(text, { prettyErrors: true, version: '1.1' });
  if (doc.errors.length > 0) {
    throw invalid(file, '(file)', undefined, `is not valid YAML (${doc.errors[0].message.split('\n')[0].replace(/:$/, '')})`, 'Correct the YAML.');
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (e: any) {
    throw invalid(file, '(file)', undefined, `cannot be read (${e.message})`, 'Write the settings without YAML aliases.');
  }
  return parseSettings(raw, file, ruleIds);
}
