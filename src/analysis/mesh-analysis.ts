import { dataplanesText, DEFAULT_ZONE } from './_dataplanes-text';
import { rules } from './_load-rules';
import { settle } from './_suppression';
import { FindingSeverity, MeshFinding, MeshRule } from './finding';
import { graphText } from './graph/_graph-formats';
import { trafficGraph, TrafficGraph } from './graph/_traffic-graph';
import { MeshExemption } from './mesh-exemption';
import type { RawFinding } from './rules/rule';
import { TrafficGraphFormat } from './traffic-graph-format';
import { capabilitiesOf } from '../kuma/_kuma-capabilities';
import { KumaVersion } from '../kuma/kuma-version';
import { KumaControlPlane, KumaDistribution } from '../mesh/kuma-control-plane';
import { MeshServicesMode } from '../mesh/mesh';
import type { ControlPlaneFact } from '../model/_control-plane';
import { predictDataplanes } from '../model/_dataplane-object';
import { Manifest, ManifestIndex } from '../model/_manifests';
import { packageVersion } from '../private/_package-version';
import { invalid, isDns1123Label } from '../private/_validation';

/** Options of `MeshAnalysis.analyze()`. */
export interface MeshAnalysisOptions {
  /**
   * The Kuma version the manifests target.
   *
   * @default KumaVersion.DEFAULT
   */
  readonly version?: KumaVersion;

  /**
   * The mesh's services mode.
   *
   * @default - from the Mesh named "default" among the manifests, if any
   */
  readonly meshServicesMode?: MeshServicesMode;

  /**
   * The namespace the control plane runs in, where Kuma reads ContainerPatches and (before 2.9)
   * policies.
   *
   * @default - the distribution's namespace if `distribution` is set, else the one of
   * "kuma-system" and "kong-mesh-system" the manifests have objects in; with neither, findings
   * that depend on it are warnings that say they assume "kuma-system"
   */
  readonly controlPlaneNamespace?: string;

  /**
   * The product that runs the control plane; it gives the default `controlPlaneNamespace`.
   *
   * @default - not known (see `controlPlaneNamespace`)
   */
  readonly distribution?: KumaDistribution;

  /**
   * The labels of namespaces that are not among the manifests (installed by other means), by
   * namespace name, as `--namespace-label NS=KEY=VALUE` gives them: their pods then count as
   * meshed or not as Kuma's webhook decides. A Namespace among the manifests takes precedence.
   *
   * @default - none: pods of a namespace not among the manifests are not known to be meshed
   */
  readonly namespaceLabels?: { [namespace: string]: { [key: string]: string } };

  /**
   * Whether the control plane runs Kuma CNI (`cni.enabled` in Kuma's Helm chart), so that meshed
   * pods get no root `kuma-init` init container (KUMA028).
   *
   * @default - not known: findings that depend on it say they assume no CNI, Kuma's default
   */
  readonly cni?: boolean;

  /**
   * Rule ids to skip.
   *
   * @default - none
   */
  readonly ignore?: string[];

  /**
   * Severities that replace rules' own, by rule id (a team that treats KUMA009 as an error, or
   * KUMA013 as a warning it tracks).
   *
   * @default - each rule's own severity
   */
  readonly severities?: { [ruleId: string]: FindingSeverity };

  /**
   * Findings accepted without editing the objects (a chart owned by another team), each with its
   * reason. An object can also accept a finding itself, with the annotation
   * `ignore.cdk8s-kuma/<RULE-ID>: "<reason>"`. Accepted findings are not returned by `analyze()`;
   * the lint reports them as suppressed.
   *
   * @default - none
   */
  readonly exemptions?: MeshExemption[];
}

/** Options of `MeshAnalysis.predictDataplanes()`. */
export interface DataplanePredictionOptions {
  /**
   * The Kuma version the manifests target.
   *
   * @default KumaVersion.DEFAULT
   */
  readonly version?: KumaVersion;

  /**
   * The zone's name (`KUMA_MULTIZONE_ZONE_NAME`): the `kuma.io/zone` label and tag.
   *
   * @default "default" (a standalone control plane's)
   */
  readonly zone?: string;

  /**
   * The control plane's `runtime.kubernetes.workloadLabels` (Kuma 2.13 on): pod labels that name
   * the workload (`kuma.io/workload`), the first a pod has.
   *
   * @default - none: the pod's ServiceAccount names it
   */
  readonly workloadLabels?: string[];

  /**
   * The labels of namespaces that are not among the manifests, as `MeshAnalysisOptions.namespaceLabels`.
   *
   * @default - none: pods of a namespace not among the manifests are not predicted
   */
  readonly namespaceLabels?: { [namespace: string]: { [key: string]: string } };
}

/**
 * Kuma's view of a whole set of manifests: the mistakes only visible across objects (a Service
 * without service-upstream whose namespace Kuma will not annotate, a pod opting in to injection
 * in an unlabelled namespace, the identity Kuma will give a gateway, ...). It reads plain objects,
 * so it runs on a cdk8s app (`MeshAnalyzer`) and on YAML files (`cdk8s-kuma lint`) alike.
 */
export class MeshAnalysis {
  /** The rule catalogue. */
  public static get rules(): MeshRule[] {
    return rules().RULES.map((r) => ({ ...r }));
  }

  /** Analyzes manifests (plain Kubernetes objects): the findings not suppressed by an annotation or an exemption. */
  public static analyze(manifests: any[], options: MeshAnalysisOptions = {}): MeshFinding[] {
    return rules().withoutFixes(MeshAnalysis._analyze(manifests.map((obj) => ({ obj })), options));
  }

  /**
   * The Dataplane Kuma's injector and pod converter make of one pod of each meshed workload (and of
   * each meshed Pod), as plain `kuma.io/v1alpha1` objects, before anything is applied. Fields that
   * depend on the running cluster (the pod's IP, its readiness, outbounds) are left out;
   * `cdk8s-kuma dataplanes` prints the same with comments saying so.
   */
  public static predictDataplanes(manifests: any[], options: DataplanePredictionOptions = {}): any[] {
    return MeshAnalysis._dataplanes(manifests.map((obj) => ({ obj })), options).predictions
      .filter((p) => p.dataplane !== undefined).map((p) => p.dataplane);
  }

  /**
   * The traffic graph of a set: each delegated gateway, its routes, the Services, workloads and
   * cross-zone names they reach, the permission, timeout, retry and circuit-breaker policies on
   * each route's edge, and every finding of `analyze()` on the node or edge it is about.
   */
  public static trafficGraph(manifests: any[], format: TrafficGraphFormat = TrafficGraphFormat.MERMAID, options: MeshAnalysisOptions = {}): string {
    // one Manifest per object for the analysis and the graph: findings are placed by the object they name
    const set = manifests.map((obj) => ({ obj }));
    return MeshAnalysis._graph(set, format, options, MeshAnalysis._analyze(set, options));
  }

  /**
   * The predictions for manifests of a set.
   * @internal
   */
  public static _dataplanes(manifests: Manifest[], options: DataplanePredictionOptions, asInjected = false) {
    const version = options.version ?? KumaVersion.DEFAULT;
    const zone = options.zone ?? DEFAULT_ZONE;
    const caps = capabilitiesOf(version);
    const result = predictDataplanes(new ManifestIndex(manifests, new Map(Object.entries(options.namespaceLabels ?? {}))), {
      caps,
      zone,
      mode: 'zone',
      workloadLabels: options.workloadLabels ?? [],
      asInjected,
    });
    return { ...result, caps, text: (format: 'yaml' | 'json' = 'yaml') => dataplanesText(result.predictions, format, { version, zone, tool: packageVersion() }) };
  }

  /**
   * The traffic graph of manifests with their findings.
   * @internal
   */
  public static _trafficGraph(manifests: Manifest[], options: MeshAnalysisOptions, findings: RawFinding[]): TrafficGraph {
    const version = options.version ?? KumaVersion.DEFAULT;
    return trafficGraph(new ManifestIndex(manifests, new Map(Object.entries(options.namespaceLabels ?? {}))), capabilitiesOf(version), findings);
  }

  /**
   * The traffic graph of manifests with their findings, as text.
   * @internal
   */
  public static _graph(manifests: Manifest[], format: TrafficGraphFormat, options: MeshAnalysisOptions, findings: RawFinding[]): string {
    if (!Object.values(TrafficGraphFormat).includes(format)) {
      throw invalid('MeshAnalysis', 'format', format, 'is not a TrafficGraphFormat', 'Use TrafficGraphFormat.MERMAID, DOT or JSON.');
    }
    return graphText(MeshAnalysis._trafficGraph(manifests, options, findings), format);
  }

  /**
   * Checks the rule ids, severities and exemptions of options; `where` names who was given them.
   * @internal
   */
  public static _checkOptions(options: MeshAnalysisOptions, where: string = 'MeshAnalysis'): void {
    const { RULES } = rules();
    const isRule = (id: string) => RULES.some((r) => r.id === id);
    const ruleIds = `Use one of ${RULES.map((r) => r.id).join(', ')}.`;
    for (const id of options.ignore ?? []) {
      if (!isRule(id)) throw invalid(where, 'ignore', id, 'is not a rule id', ruleIds);
    }
    for (const [id, severity] of Object.entries(options.severities ?? {})) {
      if (!isRule(id)) throw invalid(where, 'severities', id, 'is not a rule id', ruleIds);
      if (!Object.values(FindingSeverity).includes(severity)) {
        throw invalid(where, `severities.${id}`, severity, 'is not a severity', 'Use FindingSeverity.ERROR or FindingSeverity.WARNING.');
      }
    }
    (options.exemptions ?? []).forEach((e, i) => {
      if (typeof e?.rule !== 'string' || !isRule(e.rule)) throw invalid(where, `exemptions[${i}].rule`, e?.rule, 'is not a rule id', ruleIds);
      if (typeof e.reason !== 'string' || e.reason.trim() === '') {
        throw invalid(where, `exemptions[${i}].reason`, e.reason, 'is empty', 'Say why the finding is accepted: a reviewer reads it.');
      }
    });
  }

  /**
   * The findings not suppressed; the suppressed ones are pushed to `suppressed` when given.
   * @internal
   */
  public static _analyze(manifests: Manifest[], options: MeshAnalysisOptions,
    controlPlaneOf?: (m: Manifest) => ControlPlaneFact | undefined, declaredNamespaces?: ReadonlyMap<string, Record<string, string>>,
    suppressed?: RawFinding[]): RawFinding[] {
    const { analyze } = rules();
    MeshAnalysis._checkOptions(options);
    const ignore = new Set(options.ignore ?? []);
    const declared = new Map(declaredNamespaces ?? []);
    for (const [ns, labels] of Object.entries(options.namespaceLabels ?? {})) declared.set(ns, { ...declared.get(ns), ...labels });
    const findings = analyze(new ManifestIndex(manifests, declared), {
      version: options.version ?? KumaVersion.DEFAULT,
      meshServicesMode: options.meshServicesMode,
      controlPlane: composed(controlPlaneOf, controlPlaneOption(options)),
      cni: (m) => controlPlaneOf?.(m)?.cni ?? options.cni,
    });
    const settled = settle(findings.filter((f) => !ignore.has(f.ruleId)), options);
    if (suppressed !== undefined) suppressed.push(...settled.filter((f) => f.suppressed !== undefined));
    return settled.filter((f) => f.suppressed === undefined);
  }

  private constructor() {}
}

function composed(first: ((m: Manifest) => ControlPlaneFact | undefined) | undefined,
  then: (() => ControlPlaneFact) | undefined): ((m: Manifest) => ControlPlaneFact | undefined) | undefined {
  if (first === undefined) return then;
  return (m) => first(m) ?? then?.();
}

/** The control plane the options name, for every manifest alike. */
function controlPlaneOption(options: MeshAnalysisOptions): (() => ControlPlaneFact) | undefined {
  const { controlPlaneNamespace: ns, distribution: d } = options;
  if (d !== undefined && !Object.values(KumaDistribution).includes(d)) {
    throw invalid('MeshAnalysis', 'distribution', d, 'is not a KumaDistribution', 'Use KumaDistribution.KUMA or KumaDistribution.KONG_MESH.');
  }
  if (ns !== undefined && !isDns1123Label(ns)) {
    throw invalid('MeshAnalysis', 'controlPlaneNamespace', ns, 'is not a namespace name (RFC 1123 label)', 'Give the namespace the control plane runs in, e.g. "kong-mesh-system".');
  }
  if (ns !== undefined) {
    const fact = { namespace: ns, basis: `given as the control plane namespace${d === undefined ? '' : ` of ${d}`}` };
    return () => fact;
  }
  if (d === undefined) return undefined;
  const fact = { namespace: KumaControlPlane.defaultNamespace(d), basis: `${d}'s default` };
  return () => fact;
}
