import { parse as parseYaml } from 'yaml';
import { byteCompare, predictDataplane, PredictedInbound, servicesSelectingPod } from './_dataplane';
import { dataplaneLabels } from './_dataplane-labels';
import { describe, Manifest, ManifestIndex, PodOwner, podView } from './_manifests';
import { KumaCapabilities } from '../kuma/_kuma-capabilities';
import { GatewayMarking } from '../kuma/gateway-marking';
import { KumaAnnotation } from '../kuma/well-known';

/*
 * The Dataplane object Kuma makes of one pod of each meshed pod template: the injector's
 * annotations (kumahq/kuma pkg/plugins/runtime/k8s/webhooks/injector/injector.go `NewAnnotations`,
 * v2.14.3), then the pod converter (pkg/plugins/runtime/k8s/controllers/pod_converter.go
 * `dataplaneFor`, `MetricsFor`, `PodToDataplane`): mesh, labels (_dataplane-labels.ts), inbounds or
 * a 2.x delegated gateway's tags (_dataplane.ts) and the transparent-proxy settings. What depends on
 * the running cluster is left out and said so in `omitted`. Checked against Kuma's converter
 * fixtures through `cdk8s-kuma dataplanes` (test/conformance/dataplanes-command.test.ts).
 */

/** The control plane the prediction assumes. */
export interface DataplaneSettings {
  readonly caps: KumaCapabilities;
  /** The zone's name (`KUMA_MULTIZONE_ZONE_NAME`, "default" for a standalone control plane). */
  readonly zone: string;
  /** The control plane's mode: `zone` in a cluster; undefined as Kuma's converter tests run it. */
  readonly mode?: 'zone';
  /** `KUMA_RUNTIME_KUBERNETES_WORKLOAD_LABELS`: pod labels that name the workload (2.13 on). */
  readonly workloadLabels: readonly string[];
  /**
   * Read every Pod (not a workload's template) as Kuma's injector left it (`kubectl get pods -o yaml`):
   * the converter alone. A pod annotated `kuma.io/sidecar-injected: "true"` is read so anyway.
   */
  readonly asInjected: boolean;
}

/** What the prediction says of one pod template. */
export interface DataplanePrediction {
  /** The workload or Pod. */
  readonly owner: Manifest;
  /** The Dataplane (undefined when Kuma makes none: `error` says why). */
  readonly dataplane?: any;
  /** Comments for the reader: what is assumed, left out or worth knowing about this Dataplane. */
  readonly comments: string[];
  readonly error?: string;
}

/** The injector's defaults (kumahq/kuma pkg/config/app/kuma-cp/kuma-cp.defaults.yaml, runtime.kubernetes.injector.sidecarContainer, v2.14.3). */
const REDIRECT_PORT_INBOUND = 15006;
const REDIRECT_PORT_OUTBOUND = 15001;
const IP_FAMILY_MODES: Record<string, string> = { dualstack: 'DualStack', ipv4: 'IPv4' };

/** The labels Kubernetes' controllers put on the pods they make (values known only in a cluster). */
const CONTROLLER_LABELS: Record<string, string[]> = {
  Deployment: ['pod-template-hash'],
  ReplicaSet: ['pod-template-hash'],
  StatefulSet: ['controller-revision-hash', 'statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index'],
  DaemonSet: ['controller-revision-hash', 'pod-template-generation'],
  Job: ['batch.kubernetes.io/controller-uid', 'batch.kubernetes.io/job-name', 'controller-uid', 'job-name'],
  CronJob: ['batch.kubernetes.io/controller-uid', 'batch.kubernetes.io/job-name', 'controller-uid', 'job-name'],
};

/** `bootstrapServer.params.adminPort`, the injector's default `kuma.io/envoy-admin-port`. */
const ADMIN_PORT = 9901;
/** The values `GetEnabled` reads (pkg/plugins/runtime/k8s/metadata/annotations.go). */
const KUMA_BOOLEANS = ['enabled', 'disabled', 'true', 'false', 'yes', 'no'];

const NOT_PREDICTED_2X = 'Not predicted (they depend on the running cluster): networking.address (the pod\'s IP), each inbound\'s health and state '
  + '(its readiness), and the Node\'s labels in each inbound\'s tags where the control plane copies them. Outbounds appear only with '
  + 'runtime.kubernetes.kubeOutboundsAsVIPs off (on by default), probes only with virtual probes (off by default).';
const NOT_PREDICTED_3X = 'Not predicted (they depend on the running cluster): networking.address (the pod\'s IP), each inbound\'s health and state '
  + '(its readiness), and the Node\'s labels among the labels where the control plane copies them.';

/** One prediction per meshed pod template of the set, in the set's order; `notes` says which pods were left out and why. */
export function predictDataplanes(index: ManifestIndex, settings: DataplaneSettings): { predictions: DataplanePrediction[]; notes: string[] } {
  const notes: string[] = [];
  const predictions: DataplanePrediction[] = [];
  const objectOf = objectLookup(index);
  const owned = ownedInSet(index, objectOf);
  const servicesByNamespace = new Map<string, any[]>();
  for (const s of index.services) {
    const ns = String(s.obj.metadata?.namespace);
    const list = servicesByNamespace.get(ns);
    if (list === undefined) servicesByNamespace.set(ns, [s.obj]);
    else list.push(s.obj);
  }
  for (const pod of index.pods) {
    const obj = pod.manifest.obj;
    if (owned.has(obj)) continue;
    // --as-injected is about Pods (kubectl get pods): a workload's template is injected as always
    const injected = (settings.asInjected && obj.kind === 'Pod') || pod.annotations[KumaAnnotation.SIDECAR_INJECTED] === 'true';
    if (!injected) {
      const meshed = index.meshed(pod);
      if (meshed === false) continue;
      if (meshed === undefined) {
        notes.push(`${describe(obj)}: its namespace ${pod.namespace ?? '(none)'} is not in the set, so whether Kuma injects its pods is not known `
          + `(declare it: --namespace-label ${pod.namespace ?? '<ns>'}=kuma.io/sidecar-injection=enabled)`);
        continue;
      }
    }
    predictions.push(predictOne(index, pod, injected, servicesByNamespace.get(String(pod.namespace)) ?? [], settings, objectOf));
  }
  return { predictions, notes };
}

function predictOne(index: ManifestIndex, pod: PodOwner, injected: boolean, services: any[], settings: DataplaneSettings,
  objectOf: ObjectLookup): DataplanePrediction {
  const { caps } = settings;
  const obj = pod.manifest.obj;
  const view = podView(pod);
  const bare = obj.kind === 'Pod';
  const workload = workloadOf(pod, objectOf);
  const name = bare ? String(obj.metadata?.name) : podNameOf(obj);
  view.metadata.name = name;
  const from = pod.manifest.source ?? pod.manifest.construct?.node.path;
  const at = from === undefined ? '' : ` (${from})`;
  const comments: string[] = [bare ? `${describe(obj)}${at}`
    : `${describe(obj)}${at}: the Dataplane of each of its pods, named here ${name}${obj.kind === 'StatefulSet' ? ' (the first pod)' : ' (a cluster adds a generated suffix, and so does kuma.io/display-name in 3.x)'}.`];
  const controllerLabels = CONTROLLER_LABELS[String(obj.kind)];
  const copiedInto = [caps.dataplaneLabels?.podLabels ? 'the labels' : undefined, caps.inboundTags ? 'the inbound tags' : undefined].filter((x) => x !== undefined);
  if (!bare && controllerLabels !== undefined && copiedInto.length > 0) {
    comments.push(`Its pods also carry ${controllerLabels.join(', ')} (set by the ${obj.kind} controller), which Kuma copies into ${copiedInto.join(' and ')}: not shown.`);
  }
  const annotations: Record<string, string> = { ...pod.annotations };
  const { mesh } = index.meshOf(pod, !caps.meshAnnotationIgnored);
  const refused = (why: string): DataplanePrediction => ({ owner: pod.manifest, comments, error: `Kuma's injector refuses the pods of ${describe(obj)}: ${why}` });
  if (!injected) {
    // PodValidator (v2.13.0 on): kuma.io/workload is Kuma's to set
    if (caps.dataplaneLabels?.workload && view.metadata.labels?.['kuma.io/workload'] !== undefined) {
      return refused('its pod label kuma.io/workload is Kuma\'s to set (the pod webhook denies it); remove it, or name the workload with the control plane\'s workloadLabels');
    }
    // 2.x: the transparent proxy reads kuma.io/gateway as a boolean (NewPodRedirectFromAnnotations,
    // GetEnabled): any other value fails the injection, and the webhook's failure policy rejects the pod
    const gateway = annotations[KumaAnnotation.GATEWAY];
    if (gateway !== undefined && caps.gatewayMarkings.includes(GatewayMarking.GATEWAY_ANNOTATION) && !KUMA_BOOLEANS.includes(gateway)) {
      return refused(`kuma.io/gateway ${JSON.stringify(gateway)} is not one of ${KUMA_BOOLEANS.join(', ')}, which its transparent proxy reads (a delegated gateway is "enabled")`);
    }
    // the ServiceAccount admission plugin gives a pod without one the namespace's "default"
    if (typeof view.spec.serviceAccountName !== 'string' || view.spec.serviceAccountName === '') {
      view.spec = { ...view.spec, serviceAccountName: typeof view.spec.serviceAccount === 'string' && view.spec.serviceAccount !== '' ? view.spec.serviceAccount : 'default' };
    }
    if (caps.injector.meshLabel) view.metadata.labels = { ...view.metadata.labels, 'kuma.io/mesh': mesh };
    // NewAnnotations (2.x): the transparent proxy is always on in Kubernetes, with the control plane's ports
    annotations['kuma.io/transparent-proxying'] = 'enabled';
    annotations['kuma.io/transparent-proxying-inbound-port'] = String(REDIRECT_PORT_INBOUND);
    annotations['kuma.io/transparent-proxying-outbound-port'] = String(REDIRECT_PORT_OUTBOUND);
    if ((annotations['kuma.io/transparent-proxying-ip-family-mode'] ?? '') === '') annotations['kuma.io/transparent-proxying-ip-family-mode'] = 'dualstack';
    const admin = annotations[KumaAnnotation.ENVOY_ADMIN_PORT];
    if (caps.injector.adminPortFromPod && admin !== undefined && !isUint32(admin)) {
      return refused(`kuma.io/envoy-admin-port ${JSON.stringify(admin)} is not a port`);
    }
    if (!caps.injector.adminPortFromPod && admin !== undefined && admin !== String(ADMIN_PORT)) {
      comments.push(`kuma.io/envoy-admin-port ${admin}: Kuma ${caps.version}'s injector writes the control plane's ${ADMIN_PORT} over it.`);
    }
    annotations[KumaAnnotation.ENVOY_ADMIN_PORT] = caps.injector.adminPortFromPod ? admin ?? String(ADMIN_PORT) : String(ADMIN_PORT);
    comments.push(caps.transparentProxyPorts
      ? `Injected with the control plane's defaults: redirect ports ${REDIRECT_PORT_INBOUND} (inbound) and ${REDIRECT_PORT_OUTBOUND} (outbound), `
        + `${caps.injector.ipFamilyFromPod ? 'IP family dualstack unless the pod says' : 'IP family and IPv6 inbound port not predicted before Kuma 2.9'}, `
        + `Envoy admin port ${ADMIN_PORT} unless the pod says (with transparentProxy.configMap.enabled the Dataplane carries no redirect ports or IP family).`
      : `Injected with the control plane's defaults: Envoy admin port ${ADMIN_PORT}.`);
  }
  view.metadata.annotations = annotations;
  const gatewayAnnotation = caps.gatewayMarkings.includes(GatewayMarking.GATEWAY_ANNOTATION);
  const predicted = predictDataplane(view, servicesSelectingPod(view, services), {
    zone: settings.zone,
    inboundTags: caps.inboundTags,
    workload,
    gatewayAnnotation,
  });
  if (predicted.error !== undefined) return { owner: pod.manifest, comments, error: `Kuma makes no Dataplane of ${describe(obj)}: ${predicted.error}` };
  let transparentProxying: any;
  let metrics: any;
  try {
    transparentProxying = transparentProxyingOf(annotations, caps);
    metrics = metricsOf(annotations, comments, caps);
  } catch (e: any) {
    return { owner: pod.manifest, comments, error: `Kuma makes no Dataplane of ${describe(obj)}: ${e.message}` };
  }
  const networking: any = {};
  const admin = annotations[KumaAnnotation.ENVOY_ADMIN_PORT];
  if (admin !== undefined && isUint32(admin)) networking.admin = { port: Number(admin) };
  const gatewayTags = predicted.gateway?.tags ?? {};
  if (predicted.gateway !== undefined) networking.gateway = Object.keys(gatewayTags).length === 0 ? {} : { tags: sortKeys(gatewayTags) };
  if (predicted.inbounds !== undefined && predicted.inbounds.length > 0) networking.inbound = predicted.inbounds.map(inboundObject);
  if (transparentProxying !== undefined) networking.transparentProxying = transparentProxying;
  const computed = caps.dataplaneLabels === undefined ? undefined : dataplaneLabels(view, {
    rules: caps.dataplaneLabels,
    name,
    mesh,
    mode: settings.mode,
    zone: settings.zone,
    workloadLabels: settings.workloadLabels,
  });
  if (computed === undefined) comments.push(`Labels: Kuma ${caps.version} computes them outside the pod converter (its webhook defaulter): not predicted.`);
  // store.go SplitLabelsAndAnnotations: long values are annotations of the object, labels to Kuma
  const stored = Object.entries(computed ?? {}).filter(([k]) => caps.labelsStoredAsAnnotations.includes(k));
  if (stored.length > 0) {
    comments.push(`${stored.map(([k]) => k).join(', ')}: stored as annotations of the Kubernetes object (their values may exceed a label's 63 characters); `
      + 'Kuma reads them as labels (kumactl, policies).');
  }
  const kept = Object.entries(computed ?? {}).filter(([k]) => !caps.labelsStoredAsAnnotations.includes(k));
  const labels = computed === undefined ? undefined : sortKeys(Object.fromEntries(kept));
  const leftover = annotations[KumaAnnotation.GATEWAY] !== undefined && !gatewayAnnotation;
  if (leftover) comments.push(`kuma.io/gateway: Kuma ${caps.version} does not read it (kumahq/kuma#18662): every port not in traffic.kuma.io/exclude-inbound-ports is redirected to the sidecar.`);
  comments.push(...trafficComments(annotations, predicted.gateway !== undefined, caps));
  comments.push(caps.transparentProxyPorts ? NOT_PREDICTED_2X : NOT_PREDICTED_3X);
  const dataplane = {
    apiVersion: 'kuma.io/v1alpha1',
    kind: 'Dataplane',
    mesh,
    metadata: {
      ...stored.length === 0 ? {} : { annotations: sortKeys(Object.fromEntries(stored)) },
      ...labels === undefined ? {} : { labels },
      name,
      namespace: pod.namespace,
    },
    spec: { ...metrics === undefined ? {} : { metrics }, networking },
  };
  return { owner: pod.manifest, dataplane, comments };
}

function isUint32(v: string): boolean {
  return /^[0-9]+$/.test(v) && Number(v) <= 0xffffffff;
}

function inboundObject(i: PredictedInbound): any {
  return {
    ...i.name === undefined ? {} : { name: i.name },
    port: i.port,
    protocol: i.protocol,
    ...Object.keys(i.tags).length === 0 ? {} : { tags: sortKeys(i.tags) },
  };
}

/**
 * `dataplaneFor`'s transparent-proxying block from the pod's annotations as the injector left them:
 * 2.x reads it when the transparent proxy is enabled; 3.x reads the outbound settings always and
 * has no ports (`KumaCapabilities.transparentProxyPorts`).
 */
function transparentProxyingOf(annotations: Record<string, string>, caps: KumaCapabilities): any {
  const value = annotations['kuma.io/transparent-proxying'];
  if (caps.transparentProxyPorts && value !== undefined && !KUMA_BOOLEANS.includes(value)) {
    throw new Error(`kuma.io/transparent-proxying ${JSON.stringify(value)} is not a boolean`);
  }
  const enabled = caps.transparentProxyPorts && ['enabled', 'true', 'yes'].includes(value ?? '');
  const config = caps.transparentProxyPorts && (annotations['traffic.kuma.io/transparent-proxy-config'] ?? '') !== '';
  if (caps.transparentProxyPorts && !enabled && !config) return undefined;
  const tp: any = {};
  const list = (key: string) => {
    const v = annotations[key];
    if (v === undefined) return undefined;
    const items = v.split(',').filter((x) => x !== '');
    return items.length === 0 ? undefined : items;
  };
  const direct = list('kuma.io/direct-access-services');
  if (direct !== undefined) tp.directAccessServices = direct;
  if (enabled && caps.injector.ipFamilyFromPod) {
    const mode = annotations['kuma.io/transparent-proxying-ip-family-mode'] ?? 'dualstack';
    if (mode !== '') {
      if (IP_FAMILY_MODES[mode] === undefined) throw new Error(`invalid ip family mode '${mode}'`);
      tp.ipFamilyMode = IP_FAMILY_MODES[mode];
    }
  }
  const backends = caps.metadataKeys.has(KumaAnnotation.REACHABLE_BACKENDS) ? annotations[KumaAnnotation.REACHABLE_BACKENDS] : undefined;
  if (backends !== undefined) tp.reachableBackends = reachableBackendsOf(backends);
  const readsServices = caps.transparentProxyPorts && caps.metadataKeys.has(KumaAnnotation.REACHABLE_SERVICES);
  const services = readsServices ? list(KumaAnnotation.REACHABLE_SERVICES) : undefined;
  if (services !== undefined) tp.reachableServices = services;
  if (enabled) {
    for (const [field, key, what] of [['redirectPortInbound', 'kuma.io/transparent-proxying-inbound-port', 'inbound'], ['redirectPortOutbound', 'kuma.io/transparent-proxying-outbound-port', 'outbound']]) {
      const v = annotations[key];
      if (v === undefined) throw new Error(`transparent proxying ${what} port has to be set in transparent mode`);
      if (!isUint32(v)) throw new Error(`${key}: ${JSON.stringify(v)} is not a port`);
      tp[field] = Number(v);
    }
  }
  return Object.keys(tp).length === 0 ? undefined : sortKeys(tp);
}

/**
 * `processReachableBackendRefs`: the refs as the Dataplane carries them (empty fields dropped).
 * Kuma unmarshals the annotation into typed fields (`ReachableBackendRefs`: strings, a uint32 port,
 * a string map), so a value of another type fails, and the pod gets no Dataplane.
 */
function reachableBackendsOf(text: string): any {
  const invalidFormat = new Error(`cannot parse, ${KumaAnnotation.REACHABLE_BACKENDS} has invalid format`);
  let parsed: any;
  try {
    parsed = parseYaml(text);
  } catch {
    throw invalidFormat;
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw invalidFormat;
  const refs = parsed.refs ?? [];
  if (!Array.isArray(refs)) throw invalidFormat;
  const str = (v: unknown) => v === undefined || v === null || typeof v === 'string';
  for (const r of refs) {
    if (r === null) continue;
    if (typeof r !== 'object' || Array.isArray(r) || !str(r.kind) || !str(r.name) || !str(r.namespace)) throw invalidFormat;
    if (r.port !== undefined && r.port !== null && !(Number.isInteger(r.port) && r.port >= 0 && r.port <= 0xffffffff)) throw invalidFormat;
    if (r.labels !== undefined && r.labels !== null && (typeof r.labels !== 'object' || Array.isArray(r.labels) || !Object.values(r.labels).every((v) => typeof v === 'string'))) {
      throw invalidFormat;
    }
  }
  if (refs.length === 0) return {};
  return {
    refs: refs.filter((r: any) => r !== null).map((r: any) => sortKeys({
      ...r.kind ? { kind: r.kind } : {},
      ...r.labels && Object.keys(r.labels).length > 0 ? { labels: sortKeys(r.labels) } : {},
      ...r.name ? { name: r.name } : {},
      ...r.namespace ? { namespace: r.namespace } : {},
      ...r.port === undefined || r.port === null ? {} : { port: r.port },
    })),
  };
}

/** `MetricsFor`: the Prometheus path and port a pod asks for (aggregated endpoints are said, not predicted). */
function metricsOf(annotations: Record<string, string>, comments: string[], caps: KumaCapabilities): any {
  // 3.x has no Dataplane metrics (dataplane.proto: reserved "metrics"; its catalogue drops the annotations)
  if (!caps.metadataKeys.has('prometheus.metrics.kuma.io/port')) return undefined;
  const path = annotations['prometheus.metrics.kuma.io/path'] ?? '';
  const port = annotations['prometheus.metrics.kuma.io/port'];
  if (port !== undefined && !isUint32(port)) throw new Error(`prometheus.metrics.kuma.io/port: ${JSON.stringify(port)} is not a port`);
  const aggregate = Object.keys(annotations).some((k) => /^prometheus\.metrics\.kuma\.io\/aggregate-.+-(path|port|enabled|address)$/.test(k));
  if (aggregate) comments.push('metrics.conf.aggregate: the pod aggregates other endpoints (prometheus.metrics.kuma.io/aggregate-*): not predicted.');
  if (path === '' && port === undefined && !aggregate) return undefined;
  return { conf: { ...path === '' ? {} : { path }, ...port === undefined ? {} : { port: Number(port) } }, type: 'prometheus' };
}

/** What the pod's annotations do to its traffic that the Dataplane does not show (kuma-init reads them). */
function trafficComments(annotations: Record<string, string>, gateway: boolean, caps: KumaCapabilities): string[] {
  const out: string[] = [];
  if (gateway) out.push('A delegated gateway: kuma-init redirects no inbound port (kuma.io/gateway), so clients reach the gateway directly.');
  for (const [key, what] of [
    [KumaAnnotation.EXCLUDE_INBOUND_PORTS, 'inbound ports kuma-init does not redirect (reached directly, no mesh mTLS)'],
    [KumaAnnotation.EXCLUDE_OUTBOUND_PORTS, 'outbound ports kuma-init does not redirect (they leave without the mesh)'],
    [KumaAnnotation.EXCLUDE_OUTBOUND_IPS, 'outbound addresses kuma-init does not redirect'],
  ]) {
    if ((annotations[key] ?? '').trim() !== '' && caps.metadataKeys.has(key)) out.push(`${key}: ${annotations[key]}: ${what}.`);
  }
  return out;
}

/**
 * The pod name the cluster gives this template's first pod, as far as it is known: a StatefulSet's
 * `<name>-0`, else the workload's name (Deployments, DaemonSets and Jobs add generated suffixes).
 */
function podNameOf(obj: any): string {
  const name = String(obj.metadata?.name);
  return obj.kind === 'StatefulSet' ? `${name}-0` : name;
}

/** An object of the set by kind, namespace and name. */
type ObjectLookup = (kind: unknown, namespace: unknown, name: unknown) => any;

/** The set's objects by kind, namespace and name, indexed once (owner references are followed by them). */
function objectLookup(index: ManifestIndex): ObjectLookup {
  const key = (kind: unknown, ns: unknown, name: unknown) => `${kind}/${ns}/${name}`;
  const byKey = new Map(index.manifests.filter((m) => m.obj?.metadata?.name !== undefined)
    .map((m) => [key(m.obj.kind, m.obj.metadata?.namespace, m.obj.metadata.name), m.obj]));
  return (kind, ns, name) => byKey.get(key(kind, ns, name));
}

/** An object's first owner reference. */
function ownerOf(o: any): any {
  return Array.isArray(o?.metadata?.ownerReferences) ? o.metadata.ownerReferences[0] : undefined;
}

/**
 * `NameExtractor`: the workload a pod is named after. A bare Pod follows its owner, and a
 * ReplicaSet or Job owner to its Deployment or CronJob where the owner is in the set.
 */
function workloadOf(pod: PodOwner, objectOf: ObjectLookup): { name: string; isDeployment: boolean } {
  const obj = pod.manifest.obj;
  if (obj.kind !== 'Pod') return { name: obj.metadata?.name, isDeployment: obj.kind === 'Deployment' };
  const owner = ownerOf(obj);
  if (owner === undefined) return { name: obj.metadata?.name, isDeployment: false };
  if (owner.kind === 'ReplicaSet' || owner.kind === 'Job') {
    const parent = objectOf(owner.kind, obj.metadata?.namespace, owner.name);
    const grand = ownerOf(parent);
    if (grand !== undefined && (grand.kind === 'Deployment' || grand.kind === 'CronJob')) return { name: grand.name, isDeployment: grand.kind === 'Deployment' };
    // a ReplicaSet not in the set (kubectl get pods): the Deployment controller names it
    // <deployment>-<pod-template-hash>, and the pod carries that hash
    const hash = obj.metadata?.labels?.['pod-template-hash'];
    if (parent === undefined && owner.kind === 'ReplicaSet' && typeof hash === 'string' && hash !== '' && String(owner.name).endsWith(`-${hash}`)) {
      return { name: String(owner.name).slice(0, -hash.length - 1), isDeployment: true };
    }
  }
  return { name: owner.name, isDeployment: owner.kind === 'Deployment' };
}

/**
 * Pod templates whose pods are in the set (a dump of a cluster: Deployment, ReplicaSet and Pods):
 * the Pods are what Kuma converts, so the templates above them are not listed again.
 */
function ownedInSet(index: ManifestIndex, objectOf: ObjectLookup): Set<any> {
  const covered = new Set<any>();
  for (const p of index.pods) {
    if (p.manifest.obj.kind !== 'Pod') continue;
    // up the owner chain: Pod -> ReplicaSet -> Deployment, Pod -> Job -> CronJob
    let o: any = p.manifest.obj;
    for (let depth = 0; depth < 3 && o !== undefined; depth++) {
      const ref = ownerOf(o);
      o = ref === undefined ? undefined : objectOf(ref.kind, p.namespace, ref.name);
      if (o !== undefined) covered.add(o);
    }
  }
  return covered;
}

/** Keys in byte order, as Kuma's objects print (sigs.k8s.io/yaml sorts map keys). */
function sortKeys<T extends Record<string, any>>(o: T): T {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => byteCompare(a, b))) as T;
}
