import { ApiObject, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { checkInjectionLabelValue } from '../kuma/_kuma-boolean';
import { capabilitiesOf, checkNameForVersion } from '../kuma/_kuma-capabilities';
import { addValidationOncePerSynth } from '../kuma/_synth-session';
import { KumaVersion } from '../kuma/kuma-version';
import { NamespaceInjection, SidecarInjection } from '../kuma/sidecar-injection';
import { KumaLabel } from '../kuma/well-known';
import { makeClusterScoped } from '../private/_metadata';
import { register } from '../private/_registry';
import { checkDns1123Label, checkMeshName, invalid, invalidMessage, resolveLabel } from '../private/_validation';

/**
 * A Namespace as the mesh sees it: its name, its mesh and what its injection label makes Kuma do.
 */
export interface IMeshNamespace extends IConstruct {
  /** The namespace name. */
  readonly name: string;

  /**
   * The value of the namespace's `kuma.io/mesh` label.
   *
   * @default - the namespace has no `kuma.io/mesh` label (Kuma then uses the `default` mesh)
   *            or its labels are not known
   */
  readonly meshLabel?: string;

  /** What the namespace's `kuma.io/sidecar-injection` label makes Kuma do. */
  readonly injection: NamespaceInjection;
}

/**
 * Properties of a `MeshNamespace`.
 */
export interface MeshNamespaceProps extends kplus.NamespaceProps {
  // Sources: kumahq/kuma@v2.14.3 pkg/plugins/runtime/k8s/util/util.go (MeshOfByLabelOrAnnotation);
  // pkg/plugins/runtime/k8s/webhooks/injector/precheck.go (the Mesh must exist)
  /**
   * The mesh the namespace's workloads join, written as the *label* `kuma.io/mesh` (the annotation
   * form is ignored since Kuma 2.8 and removed in 3.0). The Mesh must exist when
   * pods are created, or Kuma's injector refuses them.
   *
   * @default "default"
   */
  readonly mesh?: string;

  // Sources: kumahq/kuma@v2.14.3 deployments/charts/kuma/templates/cp-webhooks-and-secrets.yaml;
  // pkg/plugins/runtime/k8s/controllers/service_controller.go
  /**
   * The namespace's `kuma.io/sidecar-injection` label.
   *
   * `ENABLED` injects every pod and makes Kuma annotate the namespace's Services with
   * `service-upstream`. `DISABLED` injects nothing by default but still lets single workloads
   * opt in with the pod label.
   *
   * @default SidecarInjection.ENABLED
   */
  readonly sidecarInjection?: SidecarInjection;
}

/**
 * What is known of a namespace managed outside this app.
 */
export interface MeshNamespaceAttributes {
  /** The namespace name. */
  readonly name: string;

  /**
   * The value of its `kuma.io/sidecar-injection` label, exactly as on the cluster.
   *
   * @default - the namespace has no `kuma.io/sidecar-injection` label
   */
  readonly sidecarInjectionLabel?: string;

  /**
   * The value of its `kuma.io/mesh` label.
   *
   * @default - the namespace has no `kuma.io/mesh` label (Kuma uses the `default` mesh)
   */
  readonly meshLabel?: string;
}

// Sources: kumahq/kuma@v2.14.3 deployments/charts/kuma/templates/cp-webhooks-and-secrets.yaml; pkg/plugins/runtime/k8s/metadata/labels.go;
// pkg/plugins/runtime/k8s/controllers/service_controller.go
/**
 * A Namespace whose pods join a Kuma mesh: labelled `kuma.io/sidecar-injection` and
 * `kuma.io/mesh`, the two labels Kuma's injector and Service controller read. It is a cdk8s-plus
 * `Namespace`, so it works as a namespace selector and network-policy
 * peer too.
 *
 * @example
 * const ns = new MeshNamespace(chart, 'Shop', { metadata: { name: 'shop' }, mesh: 'prod' });
 *
 * @see https://developer.konghq.com/mesh/annotations
 */
export class MeshNamespace extends kplus.Namespace implements IMeshNamespace {
  // Sources: kumahq/kuma pkg/plugins/runtime/k8s/util/util.go@v2.14.3 (MeshOfByLabelOrAnnotation falls back to model.DefaultMesh)
  /** The mesh Kuma puts a workload in when nothing names one. */
  public static readonly DEFAULT_MESH = 'default';

  /**
   * Refers to a namespace managed elsewhere whose labels are not known. Constructs that depend on
   * the injection label treat it as unknown and say so.
   */
  public static fromNamespaceName(scope: Construct, id: string, name: string): IMeshNamespace {
    return new ImportedMeshNamespace(scope, id, name, undefined, undefined, false);
  }

  /**
   * Refers to a namespace managed elsewhere, recording the labels it carries.
   */
  public static fromNamespaceAttributes(scope: Construct, id: string, attrs: MeshNamespaceAttributes): IMeshNamespace {
    return new ImportedMeshNamespace(scope, id, attrs.name, attrs.meshLabel, attrs.sidecarInjectionLabel, true);
  }

  /** The mesh written to the `kuma.io/mesh` label. */
  public readonly mesh: string;

  /** The value of the `kuma.io/mesh` label: the same as `mesh`. */
  public get meshLabel(): string | undefined {
    return this.mesh;
  }

  /** The value written to the `kuma.io/sidecar-injection` label. */
  public readonly sidecarInjection: SidecarInjection;

  /** What the injection label makes Kuma do. */
  public readonly injection: NamespaceInjection;

  constructor(scope: Construct, id: string, props: MeshNamespaceProps = {}) {
    super(scope, id, props);

    checkDns1123Label(this, 'metadata.name', this.name);
    const userLabels = props.metadata?.labels ?? {};
    this.mesh = resolveLabel(this, 'mesh', props.mesh, KumaLabel.MESH, userLabels[KumaLabel.MESH]) ?? MeshNamespace.DEFAULT_MESH;
    checkMeshName(this, 'mesh', this.mesh);
    checkNameForVersion(this, 'mesh', this.mesh, 'Mesh');

    const annotated = props.metadata?.annotations?.[KumaLabel.SIDECAR_INJECTION];
    if (annotated !== undefined) {
      throw invalid(this, `metadata.annotations["${KumaLabel.SIDECAR_INJECTION}"]`, annotated,
        'is an annotation, which no supported Kuma version reads (injection has been a label since Kuma 2.2)',
        'Remove it: the namespace gets the label from the sidecarInjection prop (SidecarInjection.ENABLED by default).');
    }
    const userInjection = userLabels[KumaLabel.SIDECAR_INJECTION];
    if (userInjection !== undefined && !Object.values<string>(SidecarInjection).includes(userInjection)) {
      throw invalid(this, `metadata.labels["${KumaLabel.SIDECAR_INJECTION}"]`, userInjection,
        'is not one of the values this library writes (only "enabled" is matched by both of Kuma\'s injector webhooks)',
        'Use the sidecarInjection prop: SidecarInjection.ENABLED or SidecarInjection.DISABLED.');
    }
    this.sidecarInjection = (resolveLabel(this, 'sidecarInjection', props.sidecarInjection, KumaLabel.SIDECAR_INJECTION, userInjection)
      ?? SidecarInjection.ENABLED) as SidecarInjection;
    if (!Object.values<string>(SidecarInjection).includes(this.sidecarInjection)) {
      throw invalid(this, 'sidecarInjection', this.sidecarInjection, 'is not a SidecarInjection value', 'Use SidecarInjection.ENABLED or SidecarInjection.DISABLED.');
    }
    this.injection = NamespaceInjection.labelled(this.sidecarInjection);

    register(this, 'MeshNamespace', this.name, this);
    this.metadata.addLabel(KumaLabel.MESH, this.mesh);
    this.metadata.addLabel(KumaLabel.SIDECAR_INJECTION, this.sidecarInjection);
    // Up to Kuma 2.7 the mesh is chosen by the kuma.io/mesh annotation (https://kuma.io/docs/2.7.x/reference/kubernetes-annotations/).
    if (capabilitiesOf(KumaVersion.of(this)).meshAnnotation) this.metadata.addAnnotation(KumaLabel.MESH, this.mesh);

    makeClusterScoped(this, this.apiObject, 'Namespace', props.metadata?.namespace);

    // Labels added later through `metadata.addLabel` must not contradict what this construct
    // reports to the rest of the app. Validation runs at every synth before cdk8s orders the
    // objects, so it is also where the Namespace is put before the objects that live in it:
    // `kubectl apply -f` applies a file in order and fails on a namespace that does not exist yet.
    addValidationOncePerSynth(this, () => this.validateLabels());
    orderNamespacesFirst(Chart.of(this));
  }

  private validateLabels(): string[] {
    const errors: string[] = [];
    const expected: Record<string, string> = {
      [KumaLabel.MESH]: this.mesh,
      [KumaLabel.SIDECAR_INJECTION]: this.sidecarInjection,
    };
    for (const [key, value] of Object.entries(expected)) {
      const actual = this.metadata.getLabel(key);
      if (actual !== value) {
        errors.push(invalidMessage(`metadata.labels["${key}"]`, actual,
          `was changed after construction, but the namespace was declared with ${JSON.stringify(value)}`,
          `Set it through the ${key === KumaLabel.MESH ? 'mesh' : 'sidecarInjection'} prop instead.`));
      }
    }
    return errors;
  }
}

const ORDERED_CHARTS = new WeakSet<Chart>();

/**
 * Puts each MeshNamespace of a chart before the objects of the chart that live in it, in one pass
 * over the chart per synth (a pass per namespace would be quadratic in big apps). It runs as a
 * validation: cdk8s validates before it orders the objects.
 */
function orderNamespacesFirst(chart: Chart): void {
  if (ORDERED_CHARTS.has(chart)) return;
  ORDERED_CHARTS.add(chart);
  addValidationOncePerSynth(chart, () => {
    // one walk of the chart's own constructs (nested charts order their own objects)
    const objects: ApiObject[] = [];
    const namespaces = new Map<string, ApiObject>();
    const walk = (c: IConstruct): void => {
      if (c instanceof MeshNamespace) namespaces.set(c.name, ApiObject.of(c));
      else if (ApiObject.isApiObject(c)) objects.push(c);
      for (const child of c.node.children) if (!Chart.isChart(child)) walk(child);
    };
    walk(chart);
    for (const obj of objects) {
      const ns = obj.metadata.namespace === undefined ? undefined : namespaces.get(obj.metadata.namespace);
      if (ns !== undefined && ns !== obj) obj.addDependency(ns);
    }
    return [];
  });
}

class ImportedMeshNamespace extends Construct implements IMeshNamespace {
  public readonly injection: NamespaceInjection;
  private readonly declared?: Record<string, string>;

  constructor(scope: Construct, id: string,
    public readonly name: string,
    public readonly meshLabel: string | undefined,
    injectionLabel: string | undefined,
    labelsKnown: boolean) {
    super(scope, id);
    checkDns1123Label(this, 'name', name);
    if (meshLabel !== undefined) checkMeshName(this, 'meshLabel', meshLabel);
    if (injectionLabel !== undefined) checkInjectionLabelValue(this, 'sidecarInjectionLabel', injectionLabel);
    this.injection = !labelsKnown ? NamespaceInjection.unknown()
      : injectionLabel === undefined ? NamespaceInjection.unlabelled()
        : NamespaceInjection.labelled(injectionLabel);
    this.declared = labelsKnown ? {
      ...injectionLabel === undefined ? {} : { [KumaLabel.SIDECAR_INJECTION]: injectionLabel },
      ...meshLabel === undefined ? {} : { [KumaLabel.MESH]: meshLabel },
    } : undefined;
  }

  /**
   * The Kuma labels the import declares (undefined when they are not known): the analysis reads
   * them as it reads a Namespace of the set.
   *
   * @internal
   */
  public _declaredLabels(): Record<string, string> | undefined {
    return this.declared === undefined ? undefined : { ...this.declared };
  }
}
