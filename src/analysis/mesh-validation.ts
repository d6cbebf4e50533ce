import * as fs from 'fs';
import * as path from 'path';
import { AnalysisSettings, findConfigFile, parseSettings, readConfigFile } from './_settings';
import { suppressionNotes } from './_suppression';
import { FindingSeverity } from './finding';
import { MeshAnalysis, MeshAnalysisOptions } from './mesh-analysis';
import { MeshExemption } from './mesh-exemption';
import { withoutFixes } from './rules';
import type { RawFinding } from './rules/rule';
import { APP_METADATA_FILE } from '../kuma/_app-metadata';
import { KumaVersion } from '../kuma/kuma-version';
import { Manifest } from '../model/_manifests';
import { invalid } from '../private/_validation';
import { locate, readLintFile } from './lint/_files';

/*
 * The cdk8s-cli validation plugin (cdk8s-team/cdk8s-cli src/plugins/validation.ts, the
 * `Validation` contract): `cdk8s synth` loads the package named in cdk8s.yaml `validations:`,
 * constructs `new MeshValidation(properties)` and awaits `validate(context)` over the synthesized
 * manifests, whatever language the app is written in. The interfaces below are the parts of
 * cdk8s-cli's ValidationContext and ValidationReport it uses, declared here so that jsii can
 * compile the class (cdk8s-cli is not a jsii library).
 */

/**
 * The options of `MeshValidation`: the `properties` of its entry in `cdk8s.yaml`, the same as the
 * lint command's flags.
 */
export interface MeshValidationProperties {
  /**
   * The Kuma version the manifests target, as `--kuma-version` ("2.14", "3.0").
   *
   * @default "2.14"
   */
  readonly kumaVersion?: string;

  /**
   * The product that runs the control plane, as `--distribution`: "kuma" or "kong-mesh".
   *
   * @default - read from the manifests (see the lint command)
   */
  readonly distribution?: string;

  /**
   * The control plane's namespace, as `--control-plane-namespace`.
   *
   * @default - the distribution's, else read from the manifests
   */
  readonly controlPlaneNamespace?: string;

  /**
   * The mesh's services mode, as `--mesh-services-mode` (Disabled, Everywhere, ReachableBackends, Exclusive).
   *
   * @default - from the Mesh named "default" among the manifests
   */
  readonly meshServicesMode?: string;

  /**
   * Whether the control plane runs Kuma CNI, as `--cni`.
   *
   * @default - not known: findings that depend on it assume no CNI, Kuma's default, and say so
   */
  readonly cni?: boolean;

  /**
   * Rule ids to skip, as `--ignore`.
   *
   * @default - none
   */
  readonly ignore?: string[];

  /**
   * Analyse the manifests of every output folder as one set. By default each folder is a set of
   * its own: one folder is what one cluster applies (an App per cluster, each with its `outdir`),
   * so a namespace in two zones is no duplicate and one cluster's objects say nothing of another's.
   *
   * @default false
   */
  readonly mergeFolders?: boolean;

  /**
   * The lowest severity that fails the synth: "error" or "warning". Findings below it are still
   * reported.
   *
   * @default "error"
   */
  readonly failOn?: string;

  /**
   * Labels of namespaces that are not among the manifests, by namespace, as `--namespace-label`:
   * `{ shop: { "kuma.io/sidecar-injection": enabled } }`.
   *
   * @default - none
   */
  readonly namespaceLabels?: { [namespace: string]: { [key: string]: string } };

  /**
   * Severities that replace rules' own, by rule id: `{ KUMA009: error }`.
   *
   * @default - each rule's own
   */
  readonly severities?: { [ruleId: string]: string };

  /**
   * Findings accepted without editing the objects, each with its reason (see
   * `MeshAnalysisOptions.exemptions`).
   *
   * @default - none
   */
  readonly exemptions?: MeshExemption[];

  /**
   * The config file to read (the lint command's `.cdk8s-kuma.yaml`); these properties override it.
   *
   * @default - `.cdk8s-kuma.yaml` in the working directory of `cdk8s synth` or the nearest parent that has one
   */
  readonly configFile?: string;
}

/** One resource a violation names (cdk8s-cli's `ValidationViolatingResource`). */
export interface MeshValidationViolatingResource {
  /** The resource's `metadata.name`, by which cdk8s-cli finds its construct path. */
  readonly resourceName: string;
  /** Where in the manifest: the document and its object. */
  readonly locations: string[];
  /** The manifest file. */
  readonly manifestPath: string;
}

/** One violation of a report (cdk8s-cli's `ValidationViolation`). */
export interface MeshValidationViolation {
  /** The rule id, name and severity: `KUMA001 service-upstream-missing (error)`. */
  readonly ruleName: string;
  /** What is wrong with the resource. */
  readonly recommendation: string;
  /** How to fix it. */
  readonly fix: string;
  /** The resources it is about. */
  readonly violatingResources: MeshValidationViolatingResource[];
}

/** The report a validation fills (the part of cdk8s-cli's `ValidationReport` used here). */
export interface IMeshValidationReport {
  /** Adds a violation. */
  addViolation(violation: MeshValidationViolation): void;
  /** Ends the report: "success" or "failure". */
  submit(status: string, metadata?: { [key: string]: string }): void;
}

/** What `cdk8s synth` gives a validation (the part of cdk8s-cli's `ValidationContext` used here). */
export interface IMeshValidationContext {
  /** The synthesized manifest files. */
  readonly manifests: string[];
  /** The report to fill. */
  readonly report: IMeshValidationReport;
}

const WHERE = 'cdk8s.yaml validations[].properties';

/**
 * The mesh rules as a `cdk8s synth` validation plugin: name the package in `cdk8s.yaml`
 * `validations:` with `class: MeshValidation`, and every synth of the app, in any language, is
 * checked as `cdk8s-kuma lint` checks YAML. Errors fail the synth with cdk8s-cli's report.
 *
 * @see https://cdk8s.io/docs/latest/cli/synth/#validation-plugins
 */
export class MeshValidation {
  private readonly version: KumaVersion;
  /** Whether kumaVersion was given, or is the default (then the version the app wrote wins). */
  private readonly versionGiven: boolean;
  private readonly mergeFolders: boolean;
  private readonly failOn: FindingSeverity;
  private readonly settings: AnalysisSettings;
  /** The config file read, if any. */
  private readonly configFile?: string;
  private readonly ruleIds: string[];

  constructor(properties: MeshValidationProperties = {}) {
    const ruleIds = this.ruleIds = MeshAnalysis.rules.map((r) => r.id);
    const { configFile, ...given } = properties;
    if (configFile !== undefined && typeof configFile !== 'string') {
      throw invalid(WHERE, 'configFile', configFile, 'is not a path', 'Give the path of a .cdk8s-kuma.yaml file.');
    }
    const found = configFile ?? findConfigFile(process.cwd());
    this.configFile = found;
    const file = found === undefined ? {} : readConfigFile(found, ruleIds);
    const props = parseSettings(given, WHERE, ruleIds, ['configFile']);
    const namespaceLabels: Record<string, Record<string, string>> = { ...file.namespaceLabels };
    for (const [ns, labels] of Object.entries(props.namespaceLabels ?? {})) namespaceLabels[ns] = { ...namespaceLabels[ns], ...labels };
    // the properties over the file; lists add to the file's
    this.settings = {
      ...file,
      ...definedOnly(props),
      namespaceLabels,
      ignore: [...new Set([...file.ignore ?? [], ...props.ignore ?? []])],
      severities: { ...file.severities, ...props.severities },
      exemptions: [...file.exemptions ?? [], ...props.exemptions ?? []],
    };
    this.version = this.settings.kumaVersion ?? KumaVersion.DEFAULT;
    // only the plugin's own property overrides the version the app wrote; the shared file's is a
    // default, for apps that wrote none (the lint uses the same file on other YAML)
    this.versionGiven = props.kumaVersion !== undefined;
    this.mergeFolders = this.settings.mergeFolders ?? false;
    this.failOn = this.settings.failOn ?? FindingSeverity.ERROR;
    // the rule ids and the namespace are checked by the analysis itself, before any synth
    MeshAnalysis._analyze([], this.options());
  }

  /**
   * Runs the mesh rules over the synthesized manifests and fills the report: each output folder
   * as its own set (unless `mergeFolders`), against the Kuma version the app wrote there.
   */
  public async validate(context: IMeshValidationContext): Promise<void> {
    const problems: string[] = [];
    const folders = new Map<string, string[]>();
    for (const file of context.manifests) {
      const folder = this.mergeFolders ? '' : appFolderOf(path.dirname(file));
      folders.set(folder, [...folders.get(folder) ?? [], file]);
    }
    let objects = 0;
    let errors = 0;
    let warnings = 0;
    let failing = 0;
    let suppressed = 0;
    const versions = new Set<string>();
    for (const [folder, files] of [...folders].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const manifests: Manifest[] = [];
      for (const file of files) {
        const read = readLintFile(file);
        if (typeof read === 'string') problems.push(read);
        else manifests.push(...locate([read], problems).manifests);
      }
      objects += manifests.length;
      const dirs = this.mergeFolders ? [...new Set(files.map((f) => appFolderOf(path.dirname(f))))].sort() : [folder];
      const version = this.versionFor(dirs, context.report);
      if (version === undefined) {
        failing++;
        continue;
      }
      versions.add(version.toString());
      const accepted: RawFinding[] = [];
      const findings = withoutFixes(MeshAnalysis._analyze(manifests, { ...this.options(), version }, undefined, undefined, accepted));
      suppressed += accepted.length;
      // what was accepted, and why, and what accepts nothing: on stderr, which cdk8s synth shows
      // (cdk8s-cli's report has no place for either)
      for (const f of accepted) {
        process.stderr.write(`cdk8s-kuma: suppressed ${f.ruleId} ${f.object} (${f.source}): ${f.suppressed!.reason} (${f.suppressed!.kind})\n`);
      }
      for (const n of suppressionNotes(manifests, this.ruleIds, this.settings.exemptions, this.configFile ?? WHERE)) {
        process.stderr.write(`cdk8s-kuma: note: ${n}\n`);
      }
      const paths = constructPaths(dirs);
      // cdk8s-cli finds a resource's construct path by metadata.name alone, in the main output
      // folder's construct-metadata.json (cdk8s App writeConstructMetadata): a name two objects
      // share would show the other one's path, so such a resource is named by kind and namespace
      // too, and the path this plugin found in the resource's own folder goes in its location.
      const names = new Map<string, number>();
      for (const m of manifests) {
        const n = String(m.obj?.metadata?.name);
        names.set(n, (names.get(n) ?? 0) + 1);
      }
      for (const f of findings) {
        const m = manifests.find((x) => x.source === f.source);
        const name = m?.obj?.metadata?.name;
        const unique = name !== undefined && names.get(String(name)) === 1;
        const constructPath = unique ? paths.get(String(name)) : undefined;
        context.report.addViolation({
          ruleName: `${f.ruleId} ${f.rule} (${f.severity})`,
          recommendation: `${f.object} ${f.message}.`,
          fix: f.fix,
          violatingResources: [{
            resourceName: unique ? String(name) : f.object,
            locations: [`${f.object} (document ${(f.source ?? '').split('#').pop()}${constructPath === undefined ? '' : `, construct ${constructPath}`})`],
            manifestPath: (f.source ?? '').replace(/#\d+$/, ''),
          }],
        });
        if (f.severity === FindingSeverity.ERROR) errors++;
        else warnings++;
        if (f.severity === FindingSeverity.ERROR || this.failOn === FindingSeverity.WARNING) failing++;
      }
    }
    for (const p of problems) {
      context.report.addViolation({ ruleName: 'bad-input', recommendation: p, fix: 'Synthesize valid Kubernetes YAML.', violatingResources: [] });
    }
    failing += problems.length;
    context.report.submit(failing > 0 ? 'failure' : 'success', {
      kumaVersion: versions.size === 0 ? this.version.toString() : [...versions].join(', '),
      ...this.configFile === undefined ? {} : { config: this.configFile },
      objects: String(objects),
      errors: String(errors),
      warnings: String(warnings),
      suppressed: String(suppressed),
    });
  }

  /**
   * The version to check a folder's manifests against: the one the app wrote there (the
   * KumaVersion.use() of its charts, recorded when cdk8s-cli runs validations), which kumaVersion
   * must agree with when given; undefined, with a violation, when they disagree.
   */
  private versionFor(folders: string[], report: IMeshValidationReport): KumaVersion | undefined {
    const written = new Set<string>();
    for (const folder of folders) {
      const versions = readAppMetadata(folder)?.kumaVersions;
      for (const v of Array.isArray(versions) ? versions : []) written.add(String(v));
    }
    if (written.size === 0) return this.version;
    const targets = [...written].sort();
    const unknown = targets.filter((v) => !KumaVersion.supported.some((k) => k.toString() === v));
    if (unknown.length > 0) {
      report.addViolation({
        ruleName: 'kuma-version-mismatch (error)',
        recommendation: `The app's charts in ${folders.join(', ')} target Kuma ${unknown.join(' and ')} (${APP_METADATA_FILE}), which this cdk8s-kuma does not know (it checks ${KumaVersion.supported.join(', ')}).`,
        fix: 'Use the same cdk8s-kuma version for the app and for the plugin in cdk8s.yaml.',
        violatingResources: [],
      });
      return undefined;
    }
    if (!this.versionGiven && targets.length === 1) return KumaVersion.parse(targets[0]);
    if (targets.length === 1 && targets[0] === this.version.toString()) return this.version;
    report.addViolation({
      ruleName: 'kuma-version-mismatch (error)',
      recommendation: `The app's charts in ${folders.join(', ')} target Kuma ${targets.join(' and ')} (KumaVersion.use()), but the plugin ${this.versionGiven ? `is set to check ${this.version}` : 'cannot check more than one version per folder'}: the findings would be those of another version.`,
      fix: targets.length === 1
        ? `Set kumaVersion: "${targets[0]}" in cdk8s.yaml (or remove it: the plugin then checks the version the app targets).`
        : 'Write the charts of each Kuma version into an App (and output folder) of its own.',
      violatingResources: [],
    });
    return undefined;
  }
  private options(): MeshAnalysisOptions {
    const s = this.settings;
    return {
      version: this.version,
      distribution: s.distribution,
      controlPlaneNamespace: s.controlPlaneNamespace,
      meshServicesMode: s.meshServicesMode,
      namespaceLabels: s.namespaceLabels,
      cni: s.cni,
      ignore: s.ignore,
      severities: s.severities,
      exemptions: s.exemptions,
    };
  }
}

/**
 * The output folder of the App a manifest folder belongs to: the nearest of it and its two parents
 * that holds what cdk8s writes once per App (construct-metadata.json, this library's metadata);
 * cdk8s's FOLDER_PER_CHART_FILE_PER_RESOURCE layout puts each chart in a subfolder of it.
 */
function appFolderOf(dir: string): string {
  let d = dir;
  for (let i = 0; i < 3; i++) {
    if (fs.existsSync(path.join(d, 'construct-metadata.json')) || fs.existsSync(path.join(d, APP_METADATA_FILE))) return d;
    const parent = path.dirname(d);
    if (parent === d) break;
    d = parent;
  }
  return dir;
}

/** What an app of this library wrote beside its manifests (see `_app-metadata.ts`), if anything. */
function readAppMetadata(folder: string): { kumaVersions?: string[] } | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(folder, APP_METADATA_FILE), 'utf8'));
  } catch {
    return undefined;
  }
}

/** metadata.name -> construct path, from each folder's construct-metadata.json (cdk8s App). */
function constructPaths(folders: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const folder of folders) {
    try {
      const meta = JSON.parse(fs.readFileSync(path.join(folder, 'construct-metadata.json'), 'utf8'));
      for (const [name, r] of Object.entries<any>(meta?.resources ?? {})) if (typeof r?.path === 'string') out.set(name, r.path);
    } catch {
      // no metadata: cdk8s writes it only when cdk8s-cli runs validations
    }
  }
  return out;
}

/** The settings given, without the keys left undefined (which would hide the file's). */
function definedOnly(s: AnalysisSettings): AnalysisSettings {
  return Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined));
}
