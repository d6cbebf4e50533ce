import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { policyUpstreamsOf, routeObjects, routeOutbounds } from './_gateway-outbounds';
import { ImportedDelegatedGateway } from './_imported-delegated-gateway';
import { checkGatewayPod, GatewayPod } from './_pod-checks';
import { DelegatedGatewayBase, IDelegatedGateway } from './delegated-gateway-base';
import { GatewayFlavour } from './gateway-flavour';
import { GatewayIdentity } from './gateway-identity';
import { DelegatedGatewayAttributes } from './gateway-ref';
import { EnvoyLogLevel, GatewaySidecarOptions, ReachableBackend, ReachableService } from './gateway-sidecar';
import { checkIpOrCidr, GATEWAY_ENABLED, refusedPodAnnotation, runsKongIngressController } from '../kuma/_gateway-pod-rules';
import { capabilitiesOf, checkNameForVersion, firstVersionDeclaring } from '../kuma/_kuma-capabilities';
import { checkNoOwnedLabels } from '../kuma/_owned-labels';
import { BackendRef, byLabels, parseBackendRefs, reachableBackendsAnnotation, refKey, sortedRefs } from '../kuma/_reachable-backends';
import { addValidationOncePerSynth } from '../kuma/_synth-session';
import { GatewayMarking } from '../kuma/gateway-marking';
import { KumaVersion } from '../kuma/kuma-version';
import { KumaAnnotation, KumaLabel, ServiceAnnotation } from '../kuma/well-known';
import { IContainerPatch } from '../mesh/container-patch';
import { backendsOfRoute, Manifest } from '../model/_manifests';
import { addAnnotationOnce, apiObjectOf, apiObjectOfKind, orderAfterNamespace } from '../private/_metadata';
import { PodTemplate } from '../private/_pod-template';
import { lookup } from '../private/_registry';
import { policyLabels } from '../private/_stable-labels';
import { checkMeshName, checkPort, checkZoneName, invalid, invalidMessage, positiveGoDuration } from '../private/_validation';
import { warn } from '../private/_warnings';
import { GatewayPassthrough, GatewayPassthroughPolicy } from './policies/gateway-passthrough';
import { GatewayPermissionTarget, GatewayTrafficPermission, GatewayTrafficPermissionOptions } from './policies/gateway-traffic-permission';
import { KumaControlPlane } from '../mesh/kuma-control-plane';
import { IMeshNamespace, MeshNamespace } from '../mesh/mesh-namespace';
import { IMeshService } from '../mesh/mesh-service';

const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const ENVOY_COMPONENT = /^[a-z0-9_]+$/;

/**
 * Options of a delegated gateway, for `DelegatedGateway.adopt()` and `DelegatedGatewayDeployment`.
 */
export interface DelegatedGatewayOptions extends GatewaySidecarOptions {
  // Sources: kumahq/kuma pkg/plugins/runtime/k8s/metadata/labels.go@v2.14.3, pkg/plugins/runtime/k8s/util/util.go@v2.14.3 (MeshOfByLabelOrAnnotation)
  /**
   * The mesh the gateway joins, written as the pod *label* `kuma.io/mesh`.
   *
   * @default - the `kuma.io/mesh` label of the gateway's namespace, else "default"
   */
  readonly mesh?: string;

  // Sources: kumahq/kuma deployments/charts/kuma/templates/cp-webhooks-and-secrets.yaml@v2.14.3 (namespaceSelector)
  /**
   * The gateway's namespace. It must carry the `kuma.io/sidecar-injection` label, or Kuma's pod
   * webhook never sees the gateway pods.
   *
   * @default - the `MeshNamespace` of this app named like the workload's namespace; if there is
   *            none, the namespace is not checked and synth prints a warning
   */
  readonly namespace?: IMeshNamespace;

  /**
   * The kind of gateway: adds what its pods need and knows how its controller is told to send to
   * Service IPs.
   *
   * @default GatewayFlavour.generic()
   */
  readonly flavour?: GatewayFlavour;

  /**
   * The namespace of Kuma's control plane, where container patches must live (and, up to Kuma
   * 2.8, the gateway's policies).
   *
   * @default - the control plane's (`KumaControlPlane.use()`; "kuma-system" when not set)
   */
  readonly controlPlaneNamespace?: string;

  /**
   * How the gateway's pods are marked for Kuma: Kuma 2.x's `kuma.io/gateway: enabled`, or Kuma
   * 3.x's ordinary sidecar that keeps the gateway's listener ports out of inbound redirection
   * (`traffic.kuma.io/exclude-inbound-ports`). Kuma 2.14 reads both, so a 2.14 app can move to the
   * 3.x style before upgrading.
   *
   * @see https://developer.konghq.com/mesh/migrate-gateways-to-3/
   * @default - the target version's: GATEWAY_ANNOTATION up to 2.14, EXCLUDED_INBOUND_PORTS for 3.x
   */
  readonly marking?: GatewayMarking;

  /**
   * With `GatewayMarking.EXCLUDED_INBOUND_PORTS`: the ports the gateway serves directly, written to
   * `traffic.kuma.io/exclude-inbound-ports` (the flavour's listener ports are added). Replaces the
   * default, for example to let the mesh handle a port the gateway also serves to meshed clients.
   *
   * @default - every container port of the pod
   */
  readonly directPorts?: number[];

  /**
   * With `GatewayMarking.EXCLUDED_INBOUND_PORTS`: the names of the gateway's Services that should
   * stay mesh destinations. Every other Service of the gateway that this construct knows (the
   * proxy Service it creates; the Services of an `Include`d chart that select the gateway pods) is
   * marked `kuma.io/ignore: "true"`, so Kuma makes no inbound or MeshService of it.
   *
   * @default - none: the gateway's Services are not mesh destinations
   */
  readonly meshDestinationServices?: string[];
}

/**
 * Properties of a `DelegatedGateway`.
 */
export interface DelegatedGatewayProps extends DelegatedGatewayOptions {
  /**
   * The workload whose pods become the gateway: a cdk8s-plus `Deployment`, `StatefulSet` or
   * `DaemonSet` (cdk8s-plus-28's, or another major's such as cdk8s-plus-33, read through its
   * `ApiObject`), or the apps/v1 `ApiObject` of one (for example from `Include` of
   * `helm template` output).
   */
  readonly workload: IConstruct;
}

/** Annotations whose value is a comma-separated list that this library merges with the user's. */
const LIST_ANNOTATIONS = [
  KumaAnnotation.EXCLUDE_INBOUND_PORTS,
  KumaAnnotation.EXCLUDE_OUTBOUND_PORTS,
  KumaAnnotation.EXCLUDE_OUTBOUND_IPS,
  KumaAnnotation.REACHABLE_SERVICES,
  KumaAnnotation.CONTAINER_PATCHES,
];

// Sources: kumahq/kuma@v2.14.3 pkg/plugins/runtime/k8s/metadata/annotations.go; pkg/plugins/runtime/k8s/metadata/labels.go;
// pkg/plugins/runtime/k8s/webhooks/injector/injector.go; pkg/plugins/runtime/k8s/controllers/pod_converter.go;
// deployments/charts/kuma/templates/cp-webhooks-and-secrets.yaml; https://kuma.io/docs/2.14.x/using-mesh/managing-ingress-traffic/delegated/
/**
 * Makes the pods of a workload a Kuma *delegated gateway*: the pod template gets the labels
 * `kuma.io/sidecar-injection: enabled` and `kuma.io/mesh: <mesh>`, the gateway marking of the
 * target version (Kuma 2.x: the annotation `kuma.io/gateway: enabled`; Kuma 3.x, which removed it:
 * its ports in `traffic.kuma.io/exclude-inbound-ports`, its Services `kuma.io/ignore: "true"`; see
 * `GatewayMarking`), plus the sidecar settings as the annotations Kuma's injector reads.
 *
 * It patches the pod template in place and keeps every value already there: a value that
 * contradicts the gateway is an error, never overwritten; list annotations (excluded ports and
 * IPs, reachable services, container patches) and sidecar env vars are merged. Values Kuma
 * rejects or ignores on a gateway pod are refused with the reason.
 *
 * @example
 * // a Deployment rendered by `helm template` and loaded with Include, which names each
 * // object's construct <name>-<kind>-<namespace>
 * const kong = new Include(chart, 'Kong', { url: 'kong.yaml' });
 * DelegatedGateway.adopt(kong.node.findChild('kong-gateway-deployment-kong'), { flavour: GatewayFlavour.kong(), mesh: 'default' });
 *
 * @see https://developer.konghq.com/mesh/delegated-gateways/
 */
export class DelegatedGateway extends DelegatedGatewayBase {
  /**
   * Makes an existing workload a delegated gateway. The returned construct is created under the
   * workload with the id `DelegatedGateway`.
   */
  public static adopt(workload: IConstruct, options: DelegatedGatewayOptions = {}): DelegatedGateway {
    return new DelegatedGateway(workload, 'DelegatedGateway', { ...options, workload });
  }

  /**
   * A delegated gateway installed outside the app (every official guide installs Kong with
   * `helm install`), known by its attributes: `allowTo()`, timeouts, retries and circuit
   * breakers for its traffic, placed and shaped for the target Kuma version as for a gateway of
   * the app. Its pods' own settings (marking, injection, reachable backends) are its installer's.
   *
   * @example
   * const kong = DelegatedGateway.fromGatewayAttributes(chart, 'Kong', {
   *   name: 'kong-gateway', namespace: 'kong', serviceAccountName: 'kong-gateway',
   *   podLabels: { 'app.kubernetes.io/name': 'gateway', 'app.kubernetes.io/instance': 'kong' },
   * });
   * kong.allowTo('AllowWeb', GatewayPermissionTarget.service(web));
   */
  public static fromGatewayAttributes(scope: Construct, id: string, attrs: DelegatedGatewayAttributes): IDelegatedGateway {
    return new ImportedDelegatedGateway(scope, id, attrs);
  }

  /** The workload whose pods are the gateway. */
  public readonly workload: IConstruct;
  /** The mesh written to the pod label `kuma.io/mesh`. */
  public readonly mesh: string;
  /** The gateway flavour. */
  public readonly flavour: GatewayFlavour;
  /** The namespace of Kuma's control plane. */
  public readonly controlPlaneNamespace: string;
  /** The Kuma version the gateway's YAML is written for (`KumaVersion.use`). */
  public readonly version: KumaVersion;

  /** How the gateway's pods are marked for Kuma. */
  public readonly marking: GatewayMarking;
  /** The zone the gateway runs in, when its control plane setting says (`KumaControlPlane.use({ zone })`). */
  public readonly zone?: string;
  /** The trust domain of its identity, when its control plane setting names one (`KumaControlPlane.use({ trustDomain })`). */
  public readonly trustDomain?: string;
  private readonly pod: PodTemplate;
  private readonly controlPlane: KumaControlPlane;
  private readonly options: DelegatedGatewayOptions;
  private readonly explicitMesh: boolean;
  private readonly namespaceRef?: IMeshNamespace;
  /** The pod annotations as the user gave them, before this construct wrote any. */
  private readonly initial: Record<string, string>;
  /** What this construct wrote last, per annotation key. */
  private readonly written = new Map<string, string>();
  private readonly sidecarEnv = new Map<string, string>();
  private readonly excludeOutboundPorts: number[] = [];
  private readonly excludeOutboundIps: string[] = [];
  private readonly reachableServices: ReachableService[] = [];
  private readonly reachableBackends: ReachableBackend[] = [];
  private readonly containerPatches: IContainerPatch[] = [];
  private readonly directPorts: number[] = [];
  /** Whether `kuma.io/reachable-backends` lists what the gateway is known to send to (see `deriveReachableBackends`). */
  private readonly deriveBackends: boolean;
  /** The refs derived at the last synth. */
  private derivedRefs: BackendRef[] = [];
  /** What the last derivation could not list. */
  private derivationErrors: string[] = [];

  constructor(scope: Construct, id: string, props: DelegatedGatewayProps) {
    super(scope, id);
    this.workload = props.workload;
    this.pod = PodTemplate.of(props.workload);
    this.flavour = props.flavour ?? GatewayFlavour.generic();
    this.controlPlane = KumaControlPlane.of(this);
    this.zone = this.controlPlane.zone;
    this.trustDomain = this.controlPlane.trustDomain;
    this.controlPlaneNamespace = this.controlPlane._namespaceFor(this, 'controlPlaneNamespace', props.controlPlaneNamespace);
    this.options = props;
    this.version = KumaVersion.of(this);
    this.marking = this.resolveMarking(props);
    this.namespaceRef = this.resolveNamespace(props);
    this.initial = this.checkPodKeys();
    // the gateway's Dataplane takes its pod labels, then the control plane's computed ones
    const labels = this.pod.labels();
    checkNoOwnedLabels(this.pod.scope, 'pod labels', labels);
    this.explicitMesh = props.mesh !== undefined;
    this.mesh = props.mesh ?? labels[KumaLabel.MESH] ?? this.namespaceRef?.meshLabel ?? MeshNamespace.DEFAULT_MESH;
    checkMeshName(this, 'mesh', this.mesh);
    checkNameForVersion(this, 'mesh', this.mesh, 'Mesh');
    this.setLabel(labels, KumaLabel.SIDECAR_INJECTION, 'enabled',
      'the pods webhook of Kuma injects a pod only with the label value "enabled"');
    this.setLabel(labels, KumaLabel.MESH, this.mesh, `it contradicts the gateway's mesh ${JSON.stringify(this.mesh)}`);

    this.checkScalarOptions(props);
    // before anything renders: whether the reachable-backends list is derived decides its value
    this.deriveBackends = this.resolveDeriveBackends(props);
    this.addSidecarSettings(props);
    this.render();

    addValidationOncePerSynth(this, () => [...this.derivationErrors, ...checkGatewayPod(this.podState())]);
    this.addPassthrough(props);
  }

  /**
   * The gateway's destinations outside the mesh: a MeshPassthrough when asked, or by default where
   * the sidecar drops such traffic (3.0) and a controller in the pod calls the Kubernetes API (or a
   * pod runs Kong's ingress controller beside the proxy, as Kong's kong chart does).
   */
  private addPassthrough(props: DelegatedGatewayProps): void {
    const callsApi = this.flavour._callsKubernetesApi || runsKongIngressController(this.pod.containerImages());
    const passthrough = props.passthrough
      ?? (capabilitiesOf(this.version).passthroughNoneByDefault && callsApi ? GatewayPassthrough.all() : GatewayPassthrough.none());
    if (passthrough._mode !== undefined) new GatewayPassthroughPolicy(this, 'Passthrough', { gateway: this, passthrough });
  }

  /** The target version's marking of the gateway pods: the given one, which the version must read, or its default. */
  private resolveMarking(props: DelegatedGatewayProps): GatewayMarking {
    const markings = capabilitiesOf(this.version).gatewayMarkings;
    const marking = props.marking ?? markings[0];
    if (!markings.includes(marking)) {
      throw invalid(this, 'marking', marking, `is not how Kuma ${this.version} marks a delegated gateway (it reads ${markings.join(', ')})`,
        !markings.includes(GatewayMarking.GATEWAY_ANNOTATION) ? 'Leave marking unset: Kuma 3.x gateways keep their ports out of inbound redirection.'
          : 'Leave marking unset for this version; the 3.x style can be written from Kuma 2.14.');
    }
    if (marking !== GatewayMarking.EXCLUDED_INBOUND_PORTS && (props.directPorts !== undefined || props.meshDestinationServices !== undefined)) {
      throw invalid(this, props.directPorts !== undefined ? 'directPorts' : 'meshDestinationServices', props.directPorts ?? props.meshDestinationServices,
        'only applies to a gateway marked GatewayMarking.EXCLUDED_INBOUND_PORTS: with kuma.io/gateway Kuma redirects no inbound traffic and makes no inbound of the gateway\'s Services',
        'Remove it, or set marking: GatewayMarking.EXCLUDED_INBOUND_PORTS (Kuma 2.14 and 3.x).');
    }
    return marking;
  }

  /** The gateway's namespace, when the app declares it; the workload is ordered after it. */
  private resolveNamespace(props: DelegatedGatewayProps): IMeshNamespace | undefined {
    if (props.namespace !== undefined && this.pod.namespace !== undefined && props.namespace.name !== this.pod.namespace) {
      throw invalid(this.pod.scope, 'metadata.namespace', this.pod.namespace, `is not the namespace given to the gateway (${JSON.stringify(props.namespace.name)})`,
        'Pass the namespace the workload is in.');
    }
    const namespace = props.namespace ?? this.findMeshNamespace();
    if (namespace !== undefined && ApiObject.isApiObject(this.pod.scope)) orderAfterNamespace(this.pod.scope, namespace);
    return namespace;
  }

  /** Refuses kuma.io/gateway on the workload, and pod annotations Kuma refuses on a gateway; returns the pod's own annotations. */
  private checkPodKeys(): Record<string, string> {
    // kuma.io/gateway on the Deployment itself does nothing: Kuma reads the pod (kumahq/kuma controllers/pod_converter.go@v2.14.3 dataplaneFor).
    const onWorkload = this.pod.workloadAnnotations()[KumaAnnotation.GATEWAY];
    if (onWorkload !== undefined) {
      throw invalid(this.pod.scope, `metadata.annotations["${KumaAnnotation.GATEWAY}"]`, onWorkload,
        'is on the workload, where Kuma never reads it: only the pod template\'s annotation makes a delegated gateway',
        'Remove it from the workload\'s metadata; the pod template gets kuma.io/gateway: enabled from this construct.');
    }

    const initial = this.pod.annotations();
    for (const [key, value] of Object.entries(initial)) {
      const reason = refusedPodAnnotation(key, value, this.version, this.marking);
      if (reason) throw invalid(this.pod.scope, `pod annotation "${key}"`, value, reason.problem, reason.fix);
    }
    return initial;
  }

  /** Whether the gateway derives its reachable backends: as asked, else where the control plane restricts outbound traffic. */
  private resolveDeriveBackends(props: DelegatedGatewayProps): boolean {
    const caps = capabilitiesOf(this.version);
    const readsBackends = caps.metadataKeys.has(KumaAnnotation.REACHABLE_BACKENDS);
    const restricted = this.controlPlane.restrictOutbound ?? caps.restrictsOutboundByDefault;
    const derive = props.deriveReachableBackends ?? (readsBackends && restricted);
    if (derive && !readsBackends) {
      throw invalid(this, 'deriveReachableBackends', true, `needs kuma.io/reachable-backends, which Kuma ${this.version} does not read (Kuma's annotation catalogue has it from ${firstVersionDeclaring(KumaAnnotation.REACHABLE_BACKENDS)})`,
        'Remove it, or list reachableServices.');
    }
    return derive;
  }

  /** The sidecar settings of the props, the flavour's and the control plane's, as the pod's annotations. */
  private addSidecarSettings(props: DelegatedGatewayProps): void {
    for (const [name, value] of Object.entries(props.sidecarEnv ?? {})) this.addSidecarEnv(name, value);
    this.addExcludedOutboundPort(...this.flavour.excludedOutboundPorts, ...props.excludeOutboundPorts ?? []);
    this.addExcludedOutboundIp(...props.excludeOutboundIps ?? []);
    this.addReachableService(...props.reachableServices ?? []);
    if (props.reachableBackends !== undefined && props.reachableBackends.length === 0) {
      throw invalid(this, 'reachableBackends', [], 'is empty, which Kuma reads as "reach nothing": the gateway could not send anywhere',
        'Leave reachableBackends unset to reach every backend, or list them.');
    }
    this.addReachableBackend(...props.reachableBackends ?? []);
    const initialRefs = this.initial[KumaAnnotation.REACHABLE_BACKENDS];
    if (this.deriveBackends && initialRefs !== undefined && parseBackendRefs(initialRefs) === undefined) {
      throw invalid(this.pod.scope, `pod annotation "${KumaAnnotation.REACHABLE_BACKENDS}"`, initialRefs,
        'is not the YAML Kuma reads there (a refs: list), so the derived backends cannot be added to it', 'Fix the annotation, or remove it and list the backends in reachableBackends.');
    }
    if (this.deriveBackends || this.marking === GatewayMarking.EXCLUDED_INBOUND_PORTS) completeAtSynth(this);
    this.addContainerPatch(...props.containerPatches ?? []);
    if (this.marking === GatewayMarking.EXCLUDED_INBOUND_PORTS) {
      const containerPorts = this.pod.containerPorts().filter((p) => Number.isInteger(p) && p >= 1 && p <= 65535);
      // the annotation replaces the control plane's own exclusions (kubernetes_config.go redirectExcludePorts): repeat them
      this.addDirectPort(...props.directPorts ?? containerPorts, ...this.flavour.listenerPorts, ...this.controlPlane.excludedInboundPorts);
      this.ignoreChartServices();
    }
  }

  /**
   * Keeps more ports the gateway serves directly out of inbound redirection
   * (`traffic.kuma.io/exclude-inbound-ports`; `GatewayMarking.EXCLUDED_INBOUND_PORTS` only).
   */
  public addDirectPort(...ports: number[]): void {
    if (this.marking !== GatewayMarking.EXCLUDED_INBOUND_PORTS) {
      throw invalid(this, 'directPorts[]', ports, 'only applies to a gateway marked GatewayMarking.EXCLUDED_INBOUND_PORTS',
        'Remove it, or set marking: GatewayMarking.EXCLUDED_INBOUND_PORTS (Kuma 2.14 and 3.x).');
    }
    for (const port of ports) {
      checkPort(this, 'directPorts[]', port);
      if (!this.directPorts.includes(port)) this.directPorts.push(port);
    }
    this.render();
  }

  // Sources: kumahq/kuma#18662; https://developer.konghq.com/mesh/migrate-gateways-to-3/
  /**
   * Marks a Service of the gateway `kuma.io/ignore: "true"` unless it is one of
   * `meshDestinationServices`, when the gateway is marked the 3.x way (its Services would otherwise
   * become mesh destinations and inbounds).
   *
   * @internal
   */
  public _ownService(service: IConstruct, name: string): void {
    if (this.marking !== GatewayMarking.EXCLUDED_INBOUND_PORTS || (this.options.meshDestinationServices ?? []).includes(name)) return;
    this.ignoreService(service);
  }

  /** The Services of the adopted workload's chart (its `Include`) that select the gateway pods. */
  private ignoreChartServices(): void {
    const workload = this.pod.scope;
    if (!ApiObject.isApiObject(workload)) return;
    const labels = this.pod.labels();
    for (const sibling of workload.node.scope?.node.children ?? []) {
      if (!ApiObject.isApiObject(sibling) || sibling.kind !== 'Service' || sibling.apiVersion !== 'v1') continue;
      if (sibling.metadata.namespace !== this.pod.namespace) continue;
      const selector: Record<string, string> = (sibling.toJson() as any).spec?.selector ?? {};
      const keys = Object.keys(selector);
      if (keys.length > 0 && keys.every((k) => labels[k] === selector[k])) this._ownService(sibling, sibling.name);
    }
  }

  /** Adds a variable to the `kuma-sidecar` container's environment. */
  public addSidecarEnv(name: string, value: string): void {
    if (!ENV_VAR_NAME.test(name) || name.includes('=') || name.includes(';')) {
      throw invalid(this, `sidecarEnv["${name}"]`, name, 'is not an environment variable name Kuma can pass (no \';\' or \'=\')', 'Use letters, digits, \'_\', \'-\' and \'.\'.');
    }
    if (value.includes(';') || value.includes('=')) {
      throw invalid(this, `sidecarEnv["${name}"]`, value, 'contains \';\' or \'=\', which kuma.io/sidecar-env-vars cannot carry (it is written K=V;K2=V2)',
        'Pass the value through a ContainerPatch instead.');
    }
    this.sidecarEnv.set(name, value);
    this.render();
  }

  /** Excludes outbound ports from the sidecar (`traffic.kuma.io/exclude-outbound-ports`). */
  public addExcludedOutboundPort(...ports: number[]): void {
    for (const port of ports) {
      checkPort(this, 'excludeOutboundPorts[]', port);
      if (!this.excludeOutboundPorts.includes(port)) this.excludeOutboundPorts.push(port);
    }
    this.render();
  }

  /** Excludes outbound IPs or CIDRs from the sidecar (`traffic.kuma.io/exclude-outbound-ips`). */
  public addExcludedOutboundIp(...ips: string[]): void {
    for (const ip of ips) {
      checkIpOrCidr(this, 'excludeOutboundIps[]', ip);
      if (!this.excludeOutboundIps.includes(ip)) this.excludeOutboundIps.push(ip);
    }
    this.render();
  }

  /** Adds services the sidecar builds outbounds for, in `kuma.io/service` mode. */
  public addReachableService(...services: ReachableService[]): void {
    this.reachableServices.push(...services);
    this.render();
  }

  /** Adds backends the sidecar builds outbounds for, in MeshService mode. */
  public addReachableBackend(...backends: ReachableBackend[]): void {
    this.reachableBackends.push(...backends);
    this.render();
  }

  /** Adds ContainerPatches for the sidecar and init containers. */
  public addContainerPatch(...patches: IContainerPatch[]): void {
    for (const patch of patches) {
      if (patch.namespace !== this.controlPlaneNamespace) {
        throw invalid(this, 'containerPatches[]', `${patch.namespace}/${patch.name}`,
          `is not in the control plane namespace ${JSON.stringify(this.controlPlaneNamespace)}, the only place Kuma's injector looks for patches, so injection would fail ("some expected container patches are missing")`,
          `Create the ContainerPatch in ${JSON.stringify(this.controlPlaneNamespace)} (its namespace prop), or set controlPlaneNamespace.`);
      }
      this.containerPatches.push(patch);
    }
    this.render();
  }

  // Sources: kumahq/kuma@v2.14.3 pkg/plugins/runtime/k8s/controllers/pod_controller.go (findMatchingServices);
  // pkg/plugins/runtime/k8s/controllers/pod_converter.go (GatewayByServiceFor); kumahq/kuma#12765
  /**
   * Marks one of the gateway's other Services (admin API, metrics, ...) `kuma.io/ignore: "true"`.
   * Kuma takes the gateway's identity from the alphabetically first Service that selects its pods
   * (kumahq/kuma#12765); ignored Services are left out of that choice.
   *
   * @param service a cdk8s-plus `Service` or an `ApiObject` of kind Service
   */
  public ignoreService(service: IConstruct): void {
    const obj = apiObjectOfKind(service, 'v1', 'Service', 'service', {
      notAnObject: 'Pass a cdk8s-plus Service or the ApiObject of a Service.',
      problem: 'is not a Service',
      fix: 'Pass a v1 Service that selects the gateway pods.',
    });
    const excluded = this.marking === GatewayMarking.EXCLUDED_INBOUND_PORTS;
    addAnnotationOnce(service, obj, ServiceAnnotation.KUMA_IGNORE, 'true',
      excluded ? 'it selects the gateway\'s pods, which Kuma would make endpoints of a MeshService of it, a mesh destination with inbounds on the gateway'
        : 'Kuma could take this Service as the gateway\'s identity',
      excluded ? 'Remove the annotation or set it to "true", or name the Service in meshDestinationServices to keep it a mesh destination.'
        : 'Remove the annotation or set it to "true".');
  }

  /**
   * Who the gateway is to the mesh: the labels, tags and SPIFFE ID its policies select it by.
   */
  public get identity(): GatewayIdentity {
    return GatewayIdentity._of(this, this.mesh, this.pod.namespace,
      policyLabels(this, 'The gateway workload', this.pod.selectorLabels(), this.pod.podLabels()), this.pod.serviceAccountName());
  }

  /** The name of the gateway's workload: unnamed policies are `<workloadName>-to-<target>`. */
  public get workloadName(): string {
    return apiObjectOf(this.workload, 'workload', 'Make the gateway of a workload with an ApiObject.').name;
  }

  /**
   * What another app needs to import this gateway (`DelegatedGateway.fromGatewayAttributes()`),
   * for example the app of another zone's cluster that lets it into a workload there.
   *
   * @param zone the zone the gateway runs in, where its control plane setting does not say
   *             (`KumaControlPlane.use({ zone })`); the importing app needs it
   * @example
   * // in zone A's app: let zone B's gateway into web
   * DelegatedGateway.fromGatewayAttributes(chart, 'ZoneBGateway', proxy.gateway.toAttributes('zone-b'))
   *   .allowTo('AllowZoneB', GatewayPermissionTarget.service(web));
   */
  public toAttributes(zone?: string): DelegatedGatewayAttributes {
    if (zone !== undefined) checkZoneName(this, 'zone', zone);
    if (zone !== undefined && this.zone !== undefined && zone !== this.zone) {
      throw invalid(this, 'zone', zone, `contradicts the zone of the gateway's control plane (${JSON.stringify(this.zone)}, KumaControlPlane.use())`, 'Remove the argument.');
    }
    const known = zone ?? this.zone;
    if (known === undefined) {
      throw invalid(this, 'zone', undefined,
        'of the gateway is not known, and the app that imports it needs it: a Kuma 3.x permission matches the SPIFFE ID that holds it, a 2.x one in another zone its kuma.io/zone tag',
        'Pass it, toAttributes("zone-b"), or set it once with KumaControlPlane.use(app, { zone }) in the gateway\'s app.');
    }
    const identity = this.identity;
    return {
      name: this.workloadName,
      namespace: identity.namespace,
      podLabels: identity.labels,
      serviceAccountName: identity.serviceAccount,
      mesh: this.mesh,
      flavour: this.flavour,
      zone: known,
      trustDomain: this.trustDomain,
    };
  }

  /**
   * Lets the gateway into every workload a route sends it to: one `allowTo()` per backend Service
   * of an Ingress or HTTPRoute. Kuma 3.x denies by default under MeshIdentity, so the gateway needs
   * an allow to every backend it routes to. Call it once the route has its rules; each backend must
   * be a `MeshService` of this app (or imported with `MeshService.fromServiceAttributes`), whose
   * workload the permission selects. ExternalName backends (other zones) are left out: their
   * permission lives in the zone that runs the workload.
   *
   * @param route a cdk8s-plus `Ingress`, or the `ApiObject` of a networking.k8s.io/v1 Ingress or a
   *              gateway.networking.k8s.io HTTPRoute
   * @param options as for `allowTo()`; a `name` becomes the prefix of each permission's name
   */
  public allowToRouteBackends(id: string, route: IConstruct, options: GatewayTrafficPermissionOptions = {}): GatewayTrafficPermission[] {
    const obj = apiObjectOf(route, 'route', 'Pass a cdk8s-plus Ingress or the ApiObject of an Ingress or HTTPRoute.');
    const json: any = obj.toJson();
    const isIngress = String(json.apiVersion).startsWith('networking.k8s.io/') && json.kind === 'Ingress';
    const isRoute = String(json.apiVersion).startsWith('gateway.networking.k8s.io/') && json.kind === 'HTTPRoute';
    if (!isIngress && !isRoute) {
      throw invalid(this, 'route', `${json.apiVersion}/${json.kind}`, 'is not an Ingress or HTTPRoute', 'Pass the route whose backends the gateway sends to.');
    }
    const scope = new Construct(options.placeIn ?? this, id);
    const permissions: GatewayTrafficPermission[] = [];
    const seen = new Set<string>();
    for (const backend of backendsOfRoute(json)) {
      const key = `${backend.namespace}/${backend.service}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const service = lookup<IMeshService & IConstruct>(this, 'MeshService', key);
      if (service === undefined) {
        if (lookup(this, 'CrossZoneExternalName', key) !== undefined) continue;
        throw invalid(this, 'route backend', key, `of ${obj.node.path} is not a MeshService of this app, so its workload (which the permission selects) is not known`,
          'Declare it as a MeshService, import it with MeshService.fromServiceAttributes({ selectorLabels }), or allow it with allowTo().');
      }
      permissions.push(new GatewayTrafficPermission(scope, key.replace('/', '-'), {
        ...options,
        placeIn: undefined,
        name: options.name === undefined ? undefined : `${options.name}-${backend.service}`,
        gateway: this,
        target: GatewayPermissionTarget.service(service),
      }));
    }
    if (permissions.length === 0) {
      throw invalid(this, 'route', obj.node.path, 'has no backend in this app\'s mesh to let the gateway into', 'Add the route\'s rules before calling allowToRouteBackends().');
    }
    return permissions;
  }

  /** What the pod checks read (_pod-checks.ts). */
  private podState(): GatewayPod {
    return {
      scope: this,
      pod: this.pod,
      annotations: this.pod.annotations(),
      labels: this.pod.labels(),
      containerPorts: this.pod.containerPorts(),
      version: this.version,
      marking: this.marking,
      mesh: this.mesh,
      explicitMesh: this.explicitMesh,
      written: this.written,
      directPortsGiven: this.options.directPorts !== undefined,
      controlPlane: this.controlPlane,
      namespace: () => this.namespaceRef ?? this.findMeshNamespace(),
    };
  }

  private findMeshNamespace(): IMeshNamespace | undefined {
    const name = this.pod.namespace;
    if (name === undefined) return undefined;
    return lookup<MeshNamespace>(this, 'MeshNamespace', name);
  }

  private setLabel(initial: Record<string, string>, key: string, value: string, why: string): void {
    const existing = initial[key];
    if (existing !== undefined && existing !== value) {
      throw invalid(this.pod.scope, `pod label "${key}"`, existing, `cannot stay on a delegated gateway pod: ${why}`,
        `Remove it or set it to ${JSON.stringify(value)}.`);
    }
    this.pod.setLabel(key, value);
  }

  private checkScalarOptions(props: GatewaySidecarOptions): void {
    if (props.envoyAdminPort !== undefined) checkPort(this, 'envoyAdminPort', props.envoyAdminPort);
    positiveGoDuration(this, 'drainTime', props.drainTime);
    const concurrency = props.proxyConcurrency;
    if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 0 || concurrency > 4294967295)) {
      throw invalid(this, 'proxyConcurrency', concurrency, 'is not an unsigned 32-bit integer', 'Use 0 (one worker per CPU) or a positive integer.');
    }
    const levels: Record<string, string | undefined> = { envoyLogLevel: props.envoyLogLevel };
    for (const [component, level] of Object.entries(props.envoyComponentLogLevels ?? {})) {
      levels[`envoyComponentLogLevels["${component}"]`] = level;
    }
    for (const [field, level] of Object.entries(levels)) {
      if (level !== undefined && !Object.values<string>(EnvoyLogLevel).includes(level)) {
        throw invalid(this, field, level, 'is not an Envoy log level', `Use one of ${Object.values(EnvoyLogLevel).join(', ')}.`);
      }
    }
    for (const component of Object.keys(props.envoyComponentLogLevels ?? {})) {
      if (!ENVOY_COMPONENT.test(component)) {
        throw invalid(this, 'envoyComponentLogLevels', component, 'is not an Envoy logger component name', 'Use a name such as "upstream" or "connection".');
      }
    }
  }

  /** The annotations this construct wants on the pod, merged with the user's where they are lists. */
  private desiredAnnotations(): Record<string, string> {
    const o = this.options;
    const d: Record<string, string | undefined> = {
      [KumaAnnotation.GATEWAY]: this.marking === GatewayMarking.GATEWAY_ANNOTATION ? GATEWAY_ENABLED : undefined,
      [KumaAnnotation.EXCLUDE_INBOUND_PORTS]: this.mergeList(KumaAnnotation.EXCLUDE_INBOUND_PORTS, this.directPorts.map(String)),
      // Up to 2.7 Kuma chooses the mesh by the annotation; the label (2.8+) is written as well.
      [KumaLabel.MESH]: capabilitiesOf(this.version).meshAnnotation ? this.mesh : undefined,
      [KumaAnnotation.ENVOY_ADMIN_PORT]: o.envoyAdminPort?.toString(),
      [KumaAnnotation.SIDECAR_DRAIN_TIME]: positiveGoDuration(this, 'drainTime', o.drainTime),
      [KumaAnnotation.SERVICE_ACCOUNT_TOKEN_VOLUME]: o.serviceAccountTokenVolume,
      [KumaAnnotation.ENVOY_LOG_LEVEL]: o.envoyLogLevel,
      [KumaAnnotation.ENVOY_COMPONENT_LOG_LEVEL]: o.envoyComponentLogLevels === undefined ? undefined
        : Object.entries(o.envoyComponentLogLevels).map(([c, l]) => `${c}:${l}`).join(','),
      [KumaAnnotation.SIDECAR_PROXY_CONCURRENCY]: o.proxyConcurrency?.toString(),
      [KumaAnnotation.WAIT_FOR_DATAPLANE_READY]: o.waitForDataplaneReady?.toString(),
      [KumaAnnotation.INIT_FIRST]: o.initFirst?.toString(),
      // the annotation replaces the control plane's own list (kubernetes_config.go redirectExcludePorts): repeat it
      [KumaAnnotation.EXCLUDE_OUTBOUND_PORTS]: this.mergeList(KumaAnnotation.EXCLUDE_OUTBOUND_PORTS, this.excludeOutboundPorts.length === 0 ? []
        : [...new Set([...this.controlPlane.excludedOutboundPorts, ...this.excludeOutboundPorts])].map(String)),
      [KumaAnnotation.EXCLUDE_OUTBOUND_IPS]: this.mergeList(KumaAnnotation.EXCLUDE_OUTBOUND_IPS, this.excludeOutboundIps),
      [KumaAnnotation.REACHABLE_SERVICES]: this.mergeList(KumaAnnotation.REACHABLE_SERVICES,
        this.reachableServices.map((s, i) => s._render(this, `reachableServices[${i}]`))),
      [KumaAnnotation.CONTAINER_PATCHES]: this.mergeList(KumaAnnotation.CONTAINER_PATCHES, this.containerPatches.map((p) => p.name)),
      [KumaAnnotation.SIDECAR_ENV_VARS]: this.mergeEnv(),
      [KumaAnnotation.REACHABLE_BACKENDS]: this.reachableBackendsValue(),
    };
    return Object.fromEntries(Object.entries(d).filter((e): e is [string, string] => e[1] !== undefined));
  }

  /** The refs the user listed, as the target version reads them (3.0: by labels only). */
  private listedRefs(): BackendRef[] {
    const refs = this.reachableBackends.map((b, i) => b._ref(this, `reachableBackends[${i}]`, this.pod.namespace));
    return capabilitiesOf(this.version).reachableBackendsByLabels ? refs.map(byLabels) : refs;
  }

  private reachableBackendsValue(): string | undefined {
    if (!this.deriveBackends) {
      const listed = this.listedRefs();
      return listed.length === 0 ? undefined : reachableBackendsAnnotation(listed);
    }
    // the pod's own list (an adopted chart's), the user's, the derived ones: each once, sorted
    const initial = this.initial[KumaAnnotation.REACHABLE_BACKENDS];
    const parsed = initial === undefined ? [] : parseBackendRefs(initial) ?? [];
    const theirs = capabilitiesOf(this.version).reachableBackendsByLabels ? parsed.map(byLabels) : parsed;
    const unique = sortedRefs([...theirs, ...this.listedRefs(), ...this.derivedRefs]);
    // a ref without a port takes in every port of its backend: the same ref with one is redundant
    const allPorts = new Set(unique.filter((r) => r.port === undefined).map(refKey));
    const refs = unique.filter((r) => r.port === undefined || !allPorts.has(refKey({ ...r, port: undefined })));
    return refs.length === 0 ? undefined : reachableBackendsAnnotation(refs);
  }

  /**
   * What the gateway writes from the whole app as it is at synth (`objects`: the app's Services,
   * routes and classes): `kuma.io/ignore` on every Service of the app that selects its pods (3.x
   * marking), and its reachable backends (`deriveReachableBackends`). Its validation reports what
   * could not be done.
   *
   * @internal
   */
  public _completeAtSynth(objects: Manifest[]): void {
    const errors: string[] = [];
    if (this.marking === GatewayMarking.EXCLUDED_INBOUND_PORTS) errors.push(...this.ignoreAppServices(objects));
    if (this.deriveBackends) errors.push(...this.deriveReachableBackends(objects));
    this.derivationErrors = errors;
  }

  /**
   * Every Service of the app that selects the gateway's pods, wherever it was created (a plain
   * cdk8s-plus Service, another chart's `Include`), is marked `kuma.io/ignore: "true"` unless it is
   * one of `meshDestinationServices`: in Kuma 3.x such a Service would make the gateway's pods
   * MeshService endpoints and give them inbounds (kumahq/kuma PR #18662; Kong's "Migrate gateways
   * to Kong Mesh 3.x": "Add kuma.io/ignore: "true" to gateway Services that shouldn't become mesh
   * destinations").
   */
  private ignoreAppServices(objects: Manifest[]): string[] {
    const labels = this.pod.labels();
    const errors: string[] = [];
    for (const m of objects) {
      const o = m.obj;
      if (m.construct === undefined || o?.kind !== 'Service' || o.apiVersion !== 'v1' || o.spec?.type === 'ExternalName') continue;
      if (o.metadata?.namespace !== this.pod.namespace || (this.options.meshDestinationServices ?? []).includes(o.metadata?.name)) continue;
      const selector: Record<string, string> = o.spec?.selector ?? {};
      const keys = Object.keys(selector);
      if (keys.length === 0 || !keys.every((k) => labels[k] === selector[k])) continue;
      // what the gateway's own Services send to it is served directly: keep those ports out of
      // inbound redirection too (a chart's admin or manager Service), unless directPorts says which
      if (this.options.directPorts === undefined) {
        const ports = (Array.isArray(o.spec?.ports) ? o.spec.ports : []).map((p: any) => p?.targetPort ?? p?.port)
          .filter((p: unknown): p is number => typeof p === 'number' && Number.isInteger(p) && p >= 1 && p <= 65535);
        if (ports.some((p: number) => !this.directPorts.includes(p))) this.addDirectPort(...ports);
      }
      if (o.metadata?.annotations?.[ServiceAnnotation.KUMA_IGNORE] === 'true') continue;
      try {
        this.ignoreService(m.construct);
      } catch (e) {
        errors.push((e as Error).message);
      }
    }
    return errors;
  }

  private deriveReachableBackends(objects: Manifest[]): string[] {
    const workload = ApiObject.isApiObject(this.workload) ? this.workload : ApiObject.of(this.workload);
    const listed = this.listedRefs();
    const labelsOf = (r: BackendRef) => byLabels(r).labels ?? {};
    const errors: string[] = [];
    const refs: BackendRef[] = [];
    // Kong's controller pods read the routes of its class but send none of their traffic
    const routes = this.flavour.name === 'kong-controller' ? [] : routeOutbounds(workload, objects);
    for (const r of routes) {
      if ('ref' in r) {
        refs.push(r.ref);
        continue;
      }
      const named = listed.some((l) => labelsOf(l)[KumaLabel.DISPLAY_NAME] === r.service
        && [undefined, r.namespace ?? this.pod.namespace].includes(labelsOf(l)[KumaLabel.NAMESPACE]));
      if (!named) {
        errors.push(invalidMessage('deriveReachableBackends', r.service,
          `is a backend of a route this gateway serves (${r.via}), but ${r.unlisted}: it cannot be listed in kuma.io/reachable-backends, and the gateway would get no outbound for it`,
          'List it in reachableBackends (ReachableBackend.meshServiceNamed(), ReachableBackend.meshAddress()), or set deriveReachableBackends: false where the control plane lets every sidecar reach every backend.'));
      }
    }
    for (const u of policyUpstreamsOf(this)) {
      if (u.service.namespace === undefined) continue;
      refs.push({
        kind: 'MeshService',
        port: u.port === undefined ? undefined : u.service.servicePort(u.port),
        labels: { [KumaLabel.DISPLAY_NAME]: u.service.name, [KumaLabel.NAMESPACE]: u.service.namespace },
      });
    }
    this.derivedRefs = refs;
    this.render();
    if (refs.length === 0 && listed.length === 0 && this.flavour.name !== 'kong-controller' && this.initial[KumaAnnotation.REACHABLE_BACKENDS] === undefined) {
      warn(this, `derives no reachable backends: no route of the app is served by it and no policy names an upstream. On a control plane that restricts outbound traffic (Kuma ${this.version}${capabilitiesOf(this.version).restrictsOutboundByDefault ? '\'s default' : ''}) it gets no outbound to the mesh. List its backends (reachableBackends), or set deriveReachableBackends: false if the control plane lets every sidecar reach every backend.`);
    }
    return errors;
  }

  private mergeList(key: string, ours: string[]): string | undefined {
    if (ours.length === 0) return undefined;
    const theirs = (this.initial[key] ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
    return [...theirs, ...ours.filter((v) => !theirs.includes(v))].join(',');
  }

  private mergeEnv(): string | undefined {
    if (this.sidecarEnv.size === 0) return undefined;
    const merged = new Map<string, string>();
    for (const pair of (this.initial[KumaAnnotation.SIDECAR_ENV_VARS] ?? '').split(';').filter((p) => p.length > 0)) {
      const [name, value] = pair.split('=');
      merged.set(name, value ?? '');
    }
    for (const [name, value] of this.sidecarEnv) {
      const theirs = merged.get(name);
      if (theirs !== undefined && theirs !== value) {
        throw invalid(this.pod.scope, `pod annotation "${KumaAnnotation.SIDECAR_ENV_VARS}"`, `${name}=${theirs}`,
          `already sets ${name} and differs from the gateway's sidecarEnv value ${JSON.stringify(value)}`, 'Keep one of the two values.');
      }
      merged.set(name, value);
    }
    return [...merged].map(([n, v]) => `${n}=${v}`).join(';');
  }

  /** Writes the desired annotations; a user's different value is an error, never overwritten. */
  private render(): void {
    for (const [key, value] of Object.entries(this.desiredAnnotations())) {
      const theirs = this.initial[key];
      const merged = LIST_ANNOTATIONS.includes(key) || key === KumaAnnotation.SIDECAR_ENV_VARS
        || (key === KumaAnnotation.REACHABLE_BACKENDS && this.deriveBackends);
      if (!merged && theirs !== undefined && theirs !== value) {
        throw invalid(this.pod.scope, `pod annotation "${key}"`, theirs, `is already set and differs from the gateway's ${JSON.stringify(value)}`,
          'Remove the annotation from the pod template or drop the option that sets it.');
      }
      if (this.written.get(key) !== value) {
        this.pod.setAnnotation(key, value);
        this.written.set(key, value);
      }
    }
  }

}

/** Per app: the gateways that complete their YAML from the whole app at synth. */
const DERIVING = new WeakMap<IConstruct, DelegatedGateway[]>();

/**
 * Completes `gateway` from the whole app at every synth (`_completeAtSynth`): once per synth,
 * first of all validations (on the app, which cdk8s validates before its charts and before any
 * chart serializes), so that every later check and every chart's YAML sees the result.
 */
function completeAtSynth(gateway: DelegatedGateway): void {
  const root = gateway.node.root;
  let list = DERIVING.get(root);
  if (list === undefined) {
    list = [];
    DERIVING.set(root, list);
    const gateways = list;
    // each gateway reports its own errors, under its path, from its validation (which runs later)
    addValidationOncePerSynth(root, () => {
      const objects = routeObjects(root);
      for (const g of gateways) g._completeAtSynth(objects);
      return [];
    });
  }
  list.push(gateway);
}
