import { ApiObject } from 'cdk8s';
import { KumaCapabilities } from '../kuma/_kuma-capabilities';
import { GatewayMarking } from '../kuma/gateway-marking';
import { NamespaceInjection } from '../kuma/sidecar-injection';
import { KumaAnnotation, KumaLabel } from '../kuma/well-known';

/** One manifest with where it came from. */
export interface Manifest {
  readonly obj: any;
  /** `file#document` for linted files; for a cdk8s object, its construct path (read when a finding names it). */
  readonly source?: string;
  /** The ApiObject it was synthesized from, in a cdk8s app (what fixes change). */
  readonly construct?: ApiObject;
}

/**
 * An ApiObject of an app as the analysis reads it: the cheap view a construct of this library gives
 * of its own object (`_analysisManifest`, no full serialization), else the object's JSON.
 */
export function manifestOf(obj: ApiObject): Manifest {
  const owner = obj.node.scope as any;
  const view = typeof owner?._analysisManifest === 'function' && owner.node.defaultChild === obj ? owner._analysisManifest() : undefined;
  return { obj: view ?? obj.toJson(), construct: obj };
}

/** A workload's pod template, or a bare Pod. */
export interface PodOwner {
  readonly manifest: Manifest;
  readonly namespace: string | undefined;
  readonly workloadAnnotations: Record<string, string>;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  /** The path of the pod metadata in the object (`spec.template.metadata`; a bare Pod's `metadata`). */
  readonly metadataPath: readonly string[];
}

const POD_TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

/** `<kind> <namespace>/<name>`, the way findings name objects. */
export function describe(obj: any): string {
  const ns = obj?.metadata?.namespace;
  return `${obj?.kind} ${ns === undefined ? '' : `${ns}/`}${obj?.metadata?.name}`;
}

/**
 * The manifests of an app or of a set of files, indexed the way Kuma relates them: pods to
 * namespaces, Services to the pods they select, routes to Services.
 */
export class ManifestIndex {
  public readonly namespaces = new Map<string, Manifest>();
  public readonly pods: PodOwner[] = [];
  public readonly services: Manifest[] = [];
  public readonly ingresses: Manifest[] = [];
  public readonly httpRoutes: Manifest[] = [];
  public readonly ingressClasses = new Map<string, Manifest>();
  public readonly ingressClassParameters: Manifest[] = [];
  public readonly meshes = new Map<string, Manifest>();
  /** Gateway API Gateways by `<namespace>/<name>`, GatewayClasses by name. */
  public readonly gatewayApiGateways = new Map<string, Manifest>();
  public readonly gatewayClasses = new Map<string, Manifest>();
  /** ServiceAccounts by `<namespace>/<name>`. */
  private readonly serviceAccounts = new Map<string, Manifest>();
  private readonly servicesByKey = new Map<string, Manifest>();
  private readonly podsByNamespace = new Map<string | undefined, PodOwner[]>();
  private signal?: boolean;

  /**
   * @param manifests the set
   * @param declaredNamespaces labels of namespaces not in the set, as the user declares them
   *   (`--namespace-label`, `MeshNamespace.fromNamespaceAttributes()`)
   */
  constructor(public readonly manifests: Manifest[], private readonly declaredNamespaces: ReadonlyMap<string, Record<string, string>> = new Map()) {
    for (const m of manifests) this.add(m);
    // indexes, so that no rule is quadratic in the number of objects
    for (const svc of this.services) this.servicesByKey.set(`${svc.obj.metadata?.namespace}/${svc.obj.metadata?.name}`, svc);
    for (const pod of this.pods) {
      const list = this.podsByNamespace.get(pod.namespace);
      if (list) list.push(pod);
      else this.podsByNamespace.set(pod.namespace, [pod]);
    }
  }

  private add(m: Manifest): void {
    const o = m.obj;
    if (o === null || typeof o !== 'object') return;
    const kind = o.kind;
    const api = String(o.apiVersion ?? '');
    const name = o.metadata?.name;
    if (api === 'v1' && kind === 'Namespace' && name) {
      this.namespaces.set(name, m);
    } else if (api === 'v1' && kind === 'Service') {
      this.services.push(m);
    } else if (api === 'v1' && kind === 'ServiceAccount' && name) {
      this.serviceAccounts.set(`${o.metadata?.namespace}/${name}`, m);
    } else if (podMetadataPath(o) !== undefined) {
      this.pods.push(podOwner(m, o));
    } else if (api.startsWith('networking.k8s.io/') && kind === 'Ingress') {
      this.ingresses.push(m);
    } else if (api.startsWith('networking.k8s.io/') && kind === 'IngressClass' && name) {
      this.ingressClasses.set(name, m);
    } else if (api.startsWith('gateway.networking.k8s.io/') && kind === 'HTTPRoute') {
      this.httpRoutes.push(m);
    } else if (api.startsWith('gateway.networking.k8s.io/') && kind === 'Gateway' && name) {
      this.gatewayApiGateways.set(`${o.metadata?.namespace}/${name}`, m);
    } else if (api.startsWith('gateway.networking.k8s.io/') && kind === 'GatewayClass' && name) {
      this.gatewayClasses.set(name, m);
    } else if (api.startsWith('configuration.konghq.com/') && kind === 'IngressClassParameters') {
      this.ingressClassParameters.push(m);
    } else if (api === 'kuma.io/v1alpha1' && kind === 'Mesh' && name) {
      this.meshes.set(name, m);
    }
  }

  /** What the injection label of a namespace makes Kuma do; unknown when the Namespace is not in the set. */
  public injection(namespace: string | undefined): NamespaceInjection {
    const labels = this.namespaceLabels(namespace);
    if (labels === undefined) return NamespaceInjection.unknown();
    const value = labels[KumaLabel.SIDECAR_INJECTION];
    if (value === undefined) return NamespaceInjection.unlabelled();
    try {
      return NamespaceInjection.labelled(value);
    } catch {
      return NamespaceInjection.unlabelled();
    }
  }

  // Sources: kumahq/kuma@v2.14.3 deployments/charts/kuma/templates/cp-webhooks-and-secrets.yaml;
  // pkg/plugins/runtime/k8s/webhooks/injector/precheck.go (needToInject)
  /**
   * Whether Kuma injects a sidecar into these pods: the pod label first, then the namespace's.
   * Undefined when it depends on a namespace not in the set.
   */
  public meshed(pod: PodOwner): boolean | undefined {
    const ns = this.injection(pod.namespace);
    const podLabel = pod.labels[KumaLabel.SIDECAR_INJECTION];
    if (podLabel === 'enabled') return ns.known ? ns.allowsPodOptIn : undefined;
    if (podLabel !== undefined) return false;
    return ns.known ? ns.injectsAllPods : undefined;
  }

  // Sources: kumahq/kuma pkg/plugins/runtime/k8s/util/util.go (MeshOfByLabelOrAnnotation@v2.14.3; 3.x MeshOfByLabel@348b6528bc)
  /**
   * The mesh of these pods as Kuma resolves it: pod label, pod annotation, namespace label,
   * namespace annotation, `default` (3.x: the labels only), and what decided it.
   */
  public meshOf(pod: PodOwner, annotationsRead = true): { mesh: string; how: string } {
    const nsLabels = this.namespaceLabels(pod.namespace);
    const nsAnnotations = this.namespaces.get(pod.namespace ?? '')?.obj.metadata?.annotations ?? {};
    const steps: Array<[string | undefined, string]> = [
      [pod.labels[KumaLabel.MESH], 'its pod label kuma.io/mesh'],
      [annotationsRead ? pod.annotations[KumaLabel.MESH] : undefined, 'its pod annotation kuma.io/mesh'],
      [nsLabels?.[KumaLabel.MESH], `the kuma.io/mesh label of namespace ${pod.namespace}`],
      [annotationsRead ? nsAnnotations[KumaLabel.MESH] : undefined, `the kuma.io/mesh annotation of namespace ${pod.namespace}`],
    ];
    for (const [mesh, how] of steps) if (typeof mesh === 'string' && mesh !== '') return { mesh, how };
    return { mesh: 'default', how: 'no kuma.io/mesh label' };
  }

  /** A namespace's labels: its Namespace object's, else the declared ones; undefined when not known. */
  public namespaceLabels(namespace: string | undefined): Record<string, string> | undefined {
    if (namespace === undefined) return undefined;
    const ns = this.namespaces.get(namespace);
    if (ns !== undefined) return ns.obj.metadata?.labels ?? {};
    return this.declaredNamespaces.get(namespace);
  }

  /**
   * Whether the set says anything about Kuma: a Kuma kind, or a `kuma.io/`, `traffic.kuma.io/`,
   * `k8s.kuma.io/`... label or annotation on an object or a pod template (a namespace labelled
   * for injection is one), or a declared namespace label. A set without one is not Kuma's: the
   * analysis reports nothing on it.
   */
  public hasKumaSignal(): boolean {
    if (this.signal !== undefined) return this.signal;
    const kumaKey = (meta: any) => [meta?.labels, meta?.annotations].some((m) => m !== null && typeof m === 'object' && Object.keys(m).some((k) => KUMA_KEY.test(k)));
    this.signal = this.manifests.some((m) => {
      const o = m.obj;
      if (o === null || typeof o !== 'object') return false;
      if (/^kuma\.io\//.test(String(o.apiVersion ?? ''))) return true;
      // an ExternalName to a Kuma address (`.mesh` VIPs, MeshService hostnames)
      if (o.kind === 'Service' && /\.mesh(\.local)?\.?$/.test(String(o.spec?.externalName ?? ''))) return true;
      return kumaKey(o.metadata) || kumaKey(podTemplateOf(o)?.metadata);
    }) || [...this.declaredNamespaces.values()].some((labels) => kumaKey({ labels }));
    return this.signal;
  }

  /**
   * Whether these pods are a delegated gateway for the target version: `kuma.io/gateway: enabled`
   * where Kuma reads it (2.x); where Kuma marks gateways by excluded inbound ports (2.14 by choice,
   * 3.x), a pod that excludes inbound ports, or still carries the removed `kuma.io/gateway`.
   */
  public isGateway(pod: PodOwner, caps: KumaCapabilities): boolean {
    const value = pod.annotations[KumaAnnotation.GATEWAY];
    const annotationMarked = caps.gatewayMarkings.includes(GatewayMarking.GATEWAY_ANNOTATION);
    if (annotationMarked && value === 'enabled') return true;
    if (!caps.gatewayMarkings.includes(GatewayMarking.EXCLUDED_INBOUND_PORTS)) return false;
    return pod.annotations[KumaAnnotation.EXCLUDE_INBOUND_PORTS] !== undefined || (!annotationMarked && value !== undefined);
  }

  /** The pods a Service selects: same namespace, every selector label on the pod. */
  public selectedPods(service: any): PodOwner[] {
    const selector: Record<string, string> = service.spec?.selector ?? {};
    const keys = Object.keys(selector);
    if (keys.length === 0) return [];
    return (this.podsByNamespace.get(service.metadata?.namespace) ?? []).filter((p) => keys.every((k) => p.labels[k] === selector[k]));
  }

  /** The ServiceAccount `name` in `namespace`, if it is in the set. */
  public serviceAccount(namespace: string | undefined, name: string): Manifest | undefined {
    return this.serviceAccounts.get(`${namespace}/${name}`);
  }

  /** The Service `name` in `namespace`. */
  public service(namespace: string | undefined, name: string): Manifest | undefined {
    return this.servicesByKey.get(`${namespace}/${name}`);
  }
}

/** A key in one of Kuma's domains: kuma.io/, traffic.kuma.io/, k8s.kuma.io/, ... */
const KUMA_KEY = /^([a-z0-9-]+\.)*kuma\.io\//;

/**
 * Where the pod metadata of a manifest is: a bare Pod's own, a workload's pod template, a
 * CronJob's job template; undefined for a manifest without pods. Read by the analysis, written by
 * `lint --fix`.
 */
export function podMetadataPath(obj: any): string[] | undefined {
  if (obj.apiVersion === 'v1' && obj.kind === 'Pod') return ['metadata'];
  if (POD_TEMPLATE_KINDS.has(obj.kind) && obj.spec?.template) return ['spec', 'template', 'metadata'];
  if (obj.kind === 'CronJob' && obj.spec?.jobTemplate?.spec?.template) return ['spec', 'jobTemplate', 'spec', 'template', 'metadata'];
  return undefined;
}

function podOwner(manifest: Manifest, obj: any): PodOwner {
  const path = podMetadataPath(obj)!;
  const podMetadata = path.reduce((o, key) => o?.[key], obj);
  return {
    manifest,
    namespace: obj.metadata?.namespace,
    // a bare Pod's metadata is its pod metadata: it has no workload level
    workloadAnnotations: path.length === 1 ? {} : obj.metadata?.annotations ?? {},
    labels: podMetadata?.labels ?? {},
    annotations: podMetadata?.annotations ?? {},
    metadataPath: path,
  };
}

/**
 * The pods of a workload as Kuma's converter sees them: the pod template's metadata and spec in
 * the workload's namespace (a bare Pod as it is).
 */
export function podView(pod: PodOwner): any {
  const obj = pod.manifest.obj;
  return {
    metadata: { name: obj.metadata?.name, namespace: pod.namespace, labels: pod.labels, annotations: pod.annotations },
    spec: podTemplateOf(obj)?.spec ?? {},
  };
}

/** The pod template of a manifest (`{ metadata, spec }`; a bare Pod is its own), if it has pods. */
export function podTemplateOf(obj: any): any {
  const path = podMetadataPath(obj);
  return path === undefined ? undefined : path.slice(0, -1).reduce((o, key) => o?.[key], obj);
}

/**
 * `NameExtractor` applied to a workload of the set: its pods are named after it (a Deployment's
 * through their ReplicaSet, a CronJob's through their Job); a bare Pod after its owner or itself.
 */
export function workloadOfPodOwner(pod: PodOwner): { name: string; isDeployment: boolean } {
  const obj = pod.manifest.obj;
  if (obj.kind === 'Pod') {
    const owner = (obj.metadata?.ownerReferences ?? [])[0];
    return { name: owner?.name ?? obj.metadata?.name, isDeployment: false };
  }
  return { name: obj.metadata?.name, isDeployment: obj.kind === 'Deployment' };
}

/** A Service's `spec.ports` as far as they are port mappings (hostile YAML may hold anything there). */
export function servicePorts(service: any): any[] {
  const ports = service?.spec?.ports;
  return (Array.isArray(ports) ? ports : []).filter((p: any) => p !== null && typeof p === 'object');
}

/** One backend of an Ingress or HTTPRoute. */
export interface RouteBackend {
  readonly route: Manifest;
  readonly namespace: string | undefined;
  readonly service: string;
  readonly port?: number;
  readonly portName?: string;
  /** Where the backend is in the route object (the lint reports its line). */
  readonly path: ReadonlyArray<string | number>;
}

/** The Service backends of every Ingress and HTTPRoute. */
export function routeBackends(index: ManifestIndex): RouteBackend[] {
  return [...index.ingresses, ...index.httpRoutes].flatMap((route) => backendsOfRoute(route.obj).map((b) => ({ route, ...b })));
}

/** The Service backends of one networking.k8s.io Ingress or gateway.networking.k8s.io HTTPRoute object. */
export function backendsOfRoute(o: any): Omit<RouteBackend, 'route'>[] {
  const ns = o.metadata?.namespace;
  const list = (v: any): any[] => (Array.isArray(v) ? v : []);
  if (o.kind === 'Ingress') {
    return [
      { b: o.spec?.defaultBackend, path: ['spec', 'defaultBackend'] },
      ...list(o.spec?.rules).flatMap((r: any, i: number) => list(r?.http?.paths).map((p: any, j: number) => ({ b: p?.backend, path: ['spec', 'rules', i, 'http', 'paths', j, 'backend'] }))),
    ]
      .filter(({ b }) => b?.service?.name)
      .map(({ b, path }) => ({ namespace: ns, service: b.service.name, port: b.service.port?.number, portName: b.service.port?.name, path: [...path, 'service'] }));
  }
  return list(o.spec?.rules).flatMap((r: any, i: number) => list(r?.backendRefs).map((ref: any, j: number) => ({ ref, path: ['spec', 'rules', i, 'backendRefs', j] })))
    .filter(({ ref }) => (ref?.kind ?? 'Service') === 'Service' && (ref?.group ?? '') === '' && ref?.name)
    .map(({ ref, path }) => ({ namespace: ref.namespace ?? ns, service: ref.name, port: ref.port, path }));
}
