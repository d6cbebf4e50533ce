import { IConstruct } from 'constructs';
import { KONG_MESH_SYSTEM, KUMA_SYSTEM } from '../kuma/_control-plane-namespaces';
import { addValidationOncePerSynth } from '../kuma/_synth-session';
import { checkDns1123Label, checkPort, checkTrustDomain, checkZoneName, invalid, invalidMessage } from '../private/_validation';

/** The product that runs the mesh's control plane. */
export enum KumaDistribution {
  /** Kuma (kuma.io), installed by its Helm chart in `kuma-system`. */
  KUMA = 'Kuma',
  /**
   * Kong Mesh, Kong's distribution of Kuma, installed by its Helm chart in `kong-mesh-system`.
   *
   * @see https://developer.konghq.com/how-to/deploy-mesh-on-kubernetes
   */
  KONG_MESH = 'Kong Mesh',
}

/** Options of `KumaControlPlane.use()`. */
export interface KumaControlPlaneOptions {
  /**
   * The product.
   *
   * @default KumaDistribution.KUMA
   */
  readonly distribution?: KumaDistribution;

  /**
   * The namespace the control plane runs in (its Helm release namespace): where Kuma's injector
   * looks for ContainerPatches, where Kuma 2.6 - 2.8 read the gateway's policies, and, for a global
   * control plane, where MeshMultiZoneServices live.
   *
   * @default - the distribution's default: "kuma-system" for Kuma, "kong-mesh-system" for Kong Mesh
   */
  readonly namespace?: string;

  /**
   * The name of this cluster's zone in a multi-zone deployment (`KUMA_MULTIZONE_ZONE_NAME` of its
   * zone control plane). Kuma 3.0 permissions match the gateway's SPIFFE ID, which contains it.
   *
   * @default - not known: constructs that need it ask for it
   */
  readonly zone?: string;

  /**
   * Whether the control plane is installed with Kuma CNI (`cni.enabled` in Kuma's Helm chart,
   * `kuma.cni.enabled` in Kong Mesh's). Without it (the charts' default) Kuma's injector adds the
   * `kuma-init` init container to every meshed pod, which sets up traffic redirection as
   * `runAsUser: 0` (kumahq/kuma `pkg/plugins/runtime/k8s/webhooks/injector/testdata/*.golden.yaml`
   * at v2.14.3): a pod-level `runAsNonRoot: true` then keeps the pod from starting. With CNI, the
   * injector adds `kuma-validation` instead, which runs as the sidecar's uid.
   *
   * @see https://developer.konghq.com/mesh/cni
   * @default false
   */
  readonly cni?: boolean;

  /**
   * Whether the control plane gives a sidecar outbounds only for the backends its pod lists in
   * `kuma.io/reachable-backends`. Kuma 3.0 does by default: "Unset reachableBackends now resolves
   * to no outbounds" (kumahq/kuma PR #18831), turned off by the control plane setting Kong's docs
   * call `restrictOutbound` ("Prepare the mesh for production",
   * https://developer.konghq.com/mesh/prepare-the-mesh-for-production/; the name and default are
   * REPORTED, not read in Kuma's released code). Where it restricts, every delegated gateway lists
   * the backends it is known to send to (`deriveReachableBackends`).
   *
   * @default - true for Kuma 3.x, false for 2.x (every sidecar gets an outbound for every service)
   */
  readonly restrictOutbound?: boolean;

  /**
   * The trust domain of this zone's workload identities, when its MeshIdentity does not use
   * Kuma's default template `<mesh>.<zone>.mesh.local` (kumahq/kuma master 348b6528bc
   * pkg/core/resources/apis/meshidentity/api/v1alpha1/helpers.go). Every SPIFFE ID the library
   * writes for a gateway of this cluster uses it. Kuma 3.0 renders the trust domain once and keeps
   * it in the MeshIdentity's `status.trustDomain` (REPORTED by Kong's kuma-migrator docs): read it
   * there for an existing mesh.
   *
   * @default - Kuma's default, `<mesh>.<zone>.mesh.local`
   */
  readonly trustDomain?: string;

  /**
   * The inbound ports the control plane keeps out of every sidecar's redirection (the transparent
   * proxy ConfigMap's `redirect.inbound.excludePorts`, or `runtime.kubernetes.sidecarTraffic.
   * excludeInboundPorts` / `KUMA_RUNTIME_KUBERNETES_SIDECAR_TRAFFIC_EXCLUDE_INBOUND_PORTS`). A pod's
   * `traffic.kuma.io/exclude-inbound-ports` *replaces* that list rather than adding to it
   * (kumahq/kuma pkg/transparentproxy/kubernetes/kubernetes_config.go `redirectExcludePorts`, v2.14.3
   * and master), so every gateway that writes the annotation repeats these ports.
   *
   * @default - none (Kuma's default)
   */
  readonly excludedInboundPorts?: number[];

  /**
   * The outbound ports the control plane keeps out of every sidecar's redirection (`redirect.
   * outbound.excludePorts`, `sidecarTraffic.excludeOutboundPorts`). A pod's
   * `traffic.kuma.io/exclude-outbound-ports` replaces that list too, so a gateway that writes it
   * (Kong's controller, `excludeOutboundPorts`) repeats these ports.
   *
   * @default - none (Kuma's default)
   */
  readonly excludedOutboundPorts?: number[];
}

const SETTING_OF = new WeakMap<IConstruct, KumaControlPlane>();
const READ = new WeakSet<IConstruct>();

/** Per app: the control plane namespaces constructs chose without a `use()` setting. */
interface Unset { readonly path: string; readonly field: string; readonly namespace: string }
const UNSET = new WeakMap<IConstruct, Unset[]>();

/**
 * Without `KumaControlPlane.use()`, every construct takes its namespace prop or Kuma's default:
 * two that differ (a gateway told "kong-mesh-system", a MeshMultiZoneService left at
 * "kuma-system") would put control-plane objects where the control plane does not look. One
 * check per app and synth names them all.
 */
function recordUnset(scope: IConstruct, field: string, namespace: string): void {
  const root = scope.node.root;
  let list = UNSET.get(root);
  if (list === undefined) {
    list = [];
    UNSET.set(root, list);
    const unset = list;
    addValidationOncePerSynth(scope, () => {
      const namespaces = [...new Set(unset.map((u) => u.namespace))];
      if (namespaces.length < 2) return [];
      const who = unset.map((u) => `${u.path} ${u.field} ${JSON.stringify(u.namespace)}`).join(', ');
      return [invalidMessage('KumaControlPlane', undefined,
        `is not set, and the constructs that place control-plane objects name ${namespaces.length} namespaces (${who}), so some of those objects are where the control plane never looks`,
        'Set the control plane once, KumaControlPlane.use(app, { distribution, namespace }) (or per chart, one per cluster), and remove the per-construct namespaces.')];
    });
  }
  list.push({ path: scope.node.path, field, namespace });
}

/**
 * The control plane an app or chart (a cluster) runs under, set once with `use()`: every construct
 * that places or checks control-plane objects (ContainerPatch, MeshMultiZoneService,
 * MeshZoneAddress, the gateway's 2.x policies and checks, Kuma 3.0 permissions) reads it from the
 * nearest scope that set one, else Kuma's defaults. A construct's own namespace or zone prop that
 * contradicts a setting made with `use()` is an error, never a silent choice.
 *
 * @example
 * KumaControlPlane.use(app, { distribution: KumaDistribution.KONG_MESH }); // kong-mesh-system
 */
export class KumaControlPlane {
  /** Kuma's defaults: Kuma in `kuma-system`, zone not known. */
  public static readonly DEFAULT = new KumaControlPlane(KumaDistribution.KUMA, KUMA_SYSTEM, undefined, false,
    undefined, undefined, undefined, [], []);

  /**
   * Makes `scope` and everything below it run under this control plane. Set it before creating
   * the constructs that read it: a scope whose constructs already read another one is refused.
   */
  public static use(scope: IConstruct, options: KumaControlPlaneOptions = {}): KumaControlPlane {
    const distribution = options.distribution ?? KumaDistribution.KUMA;
    if (!Object.values(KumaDistribution).includes(distribution)) {
      throw invalid(scope, 'KumaControlPlane.distribution', distribution, 'is not a KumaDistribution', 'Use KumaDistribution.KUMA or KumaDistribution.KONG_MESH.');
    }
    const namespace = options.namespace ?? KumaControlPlane.defaultNamespace(distribution);
    checkDns1123Label(scope, 'KumaControlPlane.namespace', namespace);
    if (options.zone !== undefined) checkZoneName(scope, 'KumaControlPlane.zone', options.zone);
    if (options.trustDomain !== undefined) checkTrustDomain(scope, 'KumaControlPlane.trustDomain', options.trustDomain);
    (options.excludedInboundPorts ?? []).forEach((p, i) => checkPort(scope, `KumaControlPlane.excludedInboundPorts[${i}]`, p));
    (options.excludedOutboundPorts ?? []).forEach((p, i) => checkPort(scope, `KumaControlPlane.excludedOutboundPorts[${i}]`, p));
    const setting = new KumaControlPlane(distribution, namespace, options.zone, options.cni ?? false, scope.node.path || '(the App)',
      options.restrictOutbound, options.trustDomain, [...options.excludedInboundPorts ?? []], [...options.excludedOutboundPorts ?? []]);
    const reader = scope.node.findAll().find((c) => READ.has(c));
    if (reader !== undefined && !KumaControlPlane.lookup(reader).sameAs(setting)) {
      throw invalid(scope, 'KumaControlPlane', setting.toString(), `is set after ${reader.node.path} already used ${KumaControlPlane.lookup(reader)}`,
        'Call KumaControlPlane.use() right after creating the App or Chart, before the constructs.');
    }
    SETTING_OF.set(scope, setting);
    return setting;
  }

  /** The control plane `scope` runs under: the nearest one set with `use()`, else `DEFAULT`. */
  public static of(scope: IConstruct): KumaControlPlane {
    READ.add(scope);
    return KumaControlPlane.lookup(scope);
  }

  /**
   * The namespace set with `use()` for `scope`, and who set it; undefined without a setting.
   * Read by the analysis at synth time, so it does not count as a construct reading the default.
   *
   * @internal
   */
  public static _settingOf(scope: IConstruct): { readonly namespace: string; readonly basis: string; readonly cni: boolean } | undefined {
    const v = KumaControlPlane.lookup(scope);
    return v.setBy === undefined ? undefined : { namespace: v.namespace, basis: `KumaControlPlane.use() on ${v.setBy}`, cni: v.cni };
  }

  /** The namespace a distribution's Helm chart installs its control plane in. */
  public static defaultNamespace(distribution: KumaDistribution): string {
    return distribution === KumaDistribution.KONG_MESH ? KONG_MESH_SYSTEM : KUMA_SYSTEM;
  }

  private static lookup(scope: IConstruct): KumaControlPlane {
    for (const s of [...scope.node.scopes].reverse()) {
      const v = SETTING_OF.get(s);
      if (v !== undefined) return v;
    }
    return KumaControlPlane.DEFAULT;
  }

  /** The product. */
  public readonly distribution: KumaDistribution;
  /** The namespace the control plane runs in. */
  public readonly namespace: string;
  /** This cluster's zone, if known. */
  public readonly zone?: string;
  /** Whether meshed pods get their traffic redirection from Kuma CNI (no `kuma-init` container). */
  public readonly cni: boolean;
  /** Whether sidecars get outbounds only for their listed backends, when set (see `KumaControlPlaneOptions.restrictOutbound`). */
  public readonly restrictOutbound?: boolean;
  /** The trust domain of the zone's identities, when it is not Kuma's default. */
  public readonly trustDomain?: string;
  /** The inbound ports the control plane excludes for every sidecar (see `KumaControlPlaneOptions.excludedInboundPorts`). */
  public readonly excludedInboundPorts: number[];
  /** The outbound ports the control plane excludes for every sidecar. */
  public readonly excludedOutboundPorts: number[];
  /** The construct path that set it with `use()` (undefined for the defaults). */
  private readonly setBy?: string;

  private constructor(distribution: KumaDistribution, namespace: string, zone: string | undefined, cni: boolean, setBy: string | undefined,
    restrictOutbound: boolean | undefined, trustDomain: string | undefined, excludedInboundPorts: number[], excludedOutboundPorts: number[]) {
    this.distribution = distribution;
    this.namespace = namespace;
    this.zone = zone;
    this.cni = cni;
    this.setBy = setBy;
    this.restrictOutbound = restrictOutbound;
    this.trustDomain = trustDomain;
    this.excludedInboundPorts = excludedInboundPorts;
    this.excludedOutboundPorts = excludedOutboundPorts;
  }

  /**
   * The control plane namespace for a construct that may name one itself: its own value, which
   * must agree with a setting made with `use()`, else the setting's.
   *
   * @internal
   */
  public _namespaceFor(scope: IConstruct, field: string, own: string | undefined): string {
    const namespace = this.agree(scope, field, own, this.namespace, 'namespace');
    if (this.setBy === undefined) recordUnset(scope, field, namespace);
    return namespace;
  }

  /** `Kong Mesh in "kong-mesh-system"` (with the zone when known). */
  public toString(): string {
    return `${this.distribution} in ${JSON.stringify(this.namespace)}${this.zone === undefined ? '' : `, zone ${JSON.stringify(this.zone)}`}${this.cni ? ', with Kuma CNI' : ''}`;
  }

  private agree(scope: IConstruct, field: string, own: string | undefined, setting: string, what: string): string {
    if (own === undefined) return setting;
    if (this.setBy !== undefined && own !== setting) {
      throw invalid(scope, field, own, `contradicts the control plane set with KumaControlPlane.use() on ${this.setBy} (${this}): the ${what} would differ between constructs of one cluster`,
        `Remove ${field} (it defaults to ${JSON.stringify(setting)}), or change KumaControlPlane.use() for this chart.`);
    }
    return own;
  }

  private sameAs(other: KumaControlPlane): boolean {
    return this.distribution === other.distribution && this.namespace === other.namespace && this.zone === other.zone && this.cni === other.cni
      && this.restrictOutbound === other.restrictOutbound && this.trustDomain === other.trustDomain
      && this.excludedInboundPorts.join(',') === other.excludedInboundPorts.join(',') && this.excludedOutboundPorts.join(',') === other.excludedOutboundPorts.join(',');
  }
}
