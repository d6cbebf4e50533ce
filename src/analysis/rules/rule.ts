import type { KumaCapabilities } from '../../kuma/_kuma-capabilities';
import type { KumaVersion } from '../../kuma/kuma-version';
import type { MeshServicesMode } from '../../mesh/mesh';
import type { CniOf, ControlPlaneFact } from '../../model/_control-plane';
import type { Manifest, ManifestIndex, PodOwner, RouteBackend } from '../../model/_manifests';
import { FindingSeverity, MeshFinding } from '../finding';

/*
 * What a lint rule is: one file per rule under rules/ holds its whole definition (id, name, default
 * severity, what it rests on, fix, examples, sources) and its check, as kube-linter keeps a check in
 * one YAML file (pkg/builtinchecks/yamls) and istio an analyzer in one Go file with its metadata
 * (pkg/config/analysis/analyzers). The registry (index.ts) lists them in the order they run; the
 * README table, the per-rule pages (docs/rules/) and the SARIF rule metadata are generated from it.
 */

/** Where each rule's page is published (docs/rules/<ID>.md of the repository), for SARIF helpUri. */
export const RULE_DOCS_URI = 'https://github.com/maintainers/cdk8s-kuma/blob/main/docs/rules';

/** A fix the analyzer can apply to the app's objects (MeshAnalyzer fix mode, `lint --fix`). */
export type Fix =
  | { readonly kind: 'service-upstream'; readonly service: Manifest }
  | { readonly kind: 'reachable-services'; readonly gateway: PodOwner; readonly services: string[] }
  | { readonly kind: 'edit'; readonly target: Manifest; readonly ops: EditOp[] };

/** One change of an edit fix, at a path inside the manifest. */
export type EditOp =
  | { readonly op: 'set'; readonly path: ReadonlyArray<string | number>; readonly value: unknown }
  | { readonly op: 'delete'; readonly path: ReadonlyArray<string | number> };

/** A fix as the API and the lint command word it, when they differ. */
export type FixText = string | { readonly api: string; readonly cli: string };

/** A path inside a manifest: keys of mappings, indexes of sequences. */
export type ManifestPath = ReadonlyArray<string | number>;

/** Why a finding is not counted: the reason its object or the settings give. */
export interface Suppression {
  /** `annotation`: the object's `ignore.cdk8s-kuma/<RULE>` annotation; `exemption`: the settings' exemptions. */
  readonly kind: 'annotation' | 'exemption';
  /** The reason given. */
  readonly reason: string;
}

/** A finding plus the fix that resolves it, if there is a safe one. */
export interface RawFinding extends MeshFinding {
  readonly autoFix?: Fix;
  /** The fix worded for the lint command, where it differs from the API's (`fix`). */
  readonly cliFix?: string;
  /** The manifest the finding names (its `object`). */
  readonly target?: Manifest;
  /** The key of the manifest the finding is about, when there is a single one (its line in the lint's report). */
  readonly at?: ManifestPath;
  /** Set when the finding is suppressed, and why. */
  readonly suppressed?: Suppression;
}

/** Options of the analysis. */
export interface AnalysisContext {
  readonly version: KumaVersion;
  readonly meshServicesMode?: MeshServicesMode;
  /** Where the control plane of a manifest's cluster runs, when something says so. */
  readonly controlPlane?: (m: Manifest) => ControlPlaneFact | undefined;
  /** Whether the control plane of a manifest's cluster runs Kuma CNI, when something says so. */
  readonly cni?: CniOf;
}

/** What every rule reads: the set, the target version, and the facts several rules share. */
export interface RuleContext extends AnalysisContext {
  readonly index: ManifestIndex;
  readonly caps: KumaCapabilities;
  /** The set's delegated gateways (the target version's marking). */
  readonly gateways: PodOwner[];
  /** Every backend of every Ingress and HTTPRoute of the set. */
  readonly backends: RouteBackend[];
  /** The backends of routes a delegated gateway of the set serves, with why it serves them. */
  readonly servedBy: Map<RouteBackend, string>;
  /** Whether the default mesh runs meshServices.mode Exclusive (2.x). */
  readonly exclusive: boolean;
  /** The kuma.io/service Kuma gives a gateway (2.x), predicted from the Services of the set. */
  readonly serviceTagOf: (gateway: PodOwner) => string | undefined;
  /**
   * Whether the set has anything of Kuma in it (a meshed pod, a gateway, a Kuma resource, a
   * kuma.io/ key). Without it only the rules with `withoutKumaSignal` run.
   */
  readonly kumaSignal: boolean;
  /** A scan several rules read (KUMA001 and KUMA002), computed by the first that asks. */
  shared<T>(key: string, compute: () => T): T;
}

/** How a rule reports: severity is the rule's default unless the rule's `severityNote` allows another. */
export interface ReportOptions {
  readonly severity?: FindingSeverity;
  readonly autoFix?: Fix;
  /** An edit fix, the common kind of `autoFix`: the manifest it changes and how. */
  readonly edit?: EditFix;
  /**
   * The key of the reported manifest the finding is about (the lint reports its line and column);
   * a key the manifest lacks places it at the nearest key it has on that path.
   * @default - the path of the edit fix's first change, else the object itself
   */
  readonly at?: ManifestPath;
}

/** Reports one finding of the rule about `m`. */
export type Report = (m: Manifest, message: string, fix: FixText, options?: ReportOptions) => void;

/** One lint rule: everything known about it, in one place. */
export interface RuleDefinition {
  /** The stable id, `KUMA0NN`. */
  readonly id: string;
  /** The stable kebab-case name. */
  readonly name: string;
  /** The severity of its findings when the facts it rests on are certain. */
  readonly severity: FindingSeverity;
  /** When and why a finding has another severity; a rule without one always reports `severity`. */
  readonly severityNote?: string;
  /** Whether `lint --fix` and `MeshAnalyzer({ fix: true })` apply its fix. */
  readonly fixable: boolean;
  /** What it finds, in one paragraph (`MeshAnalysis.rules`, SARIF shortDescription). */
  readonly summary: string;
  /** Why it matters: what Kuma or Kubernetes does with such input. */
  readonly rationale: string;
  /** What the rule reads and assumes, which versions it applies to, when it is silent. */
  readonly restsOn: string;
  /** How to fix it, in general (each finding says exactly what to change). */
  readonly fix: string;
  /**
   * The lint flags of the rule's example: a set that triggers it, `examples/<ID>.bad.yaml`, and the
   * same set fixed, `examples/<ID>.good.yaml` (data beside the rule; its page shows both).
   */
  readonly exampleFlags: string[];
  /** Kuma's (or Kong's) sources: files at a tag, PRs and issues, docs URLs. */
  readonly sources: string[];
  /**
   * Whether the rule also runs on a set with nothing of Kuma in it (a Traefik quick-start, a Helm
   * chart's values): only rules that cannot cry wolf there, such as the API server's own checks of
   * Kuma's keys.
   *
   * @default false
   */
  readonly withoutKumaSignal?: boolean;
  /** Finds the rule's problems in the set. */
  readonly check: (ctx: RuleContext, report: Report) => void;
}

/** An edit fix of a finding: the manifest it changes and how. */
export interface EditFix {
  readonly target: Manifest;
  readonly ops: EditOp[];
}
