import { FindingSeverity } from './finding';
import { KumaCapabilities } from '../kuma/_kuma-capabilities';
import { KumaAnnotation } from '../kuma/well-known';
import { predictDataplane, servicesSelectingPod } from '../model/_dataplane';
import { describe, Manifest, ManifestIndex, PodOwner, podView, workloadOfPodOwner } from '../model/_manifests';

/*
 * KUMA025: an inbound policy (spec.from, spec.rules) whose top-level targetRef selects a Kuma 2.x
 * delegated gateway. The gateway's Dataplane has no inbound listener (kuma.io/gateway: enabled;
 * pod_converter.go `GatewayByServiceFor`), so Kuma's matcher finds nothing to apply a `from` or
 * `rules` section to: the policy silently does nothing for the gateway (kumahq/kuma#12107,
 * "Since MeshTLS is a 'from' policy, and the delegated gateway does not have a listener
 * (inbound), no policy is matched"). A targetRef of kind Mesh (every proxy) is not aimed at the
 * gateway and is left alone.
 */

type Emit = (id: string, severity: FindingSeverity, m: Manifest, message: string, fix: string) => void;

function tagsMatch(tags: Record<string, unknown>, pod: PodOwner, serviceTag: string | undefined, emptyMatches: boolean): boolean {
  const entries = Object.entries(tags ?? {});
  if (entries.length === 0) return emptyMatches; // every proxy of the mesh
  return entries.every(([k, v]) => (k === 'k8s.kuma.io/namespace' ? pod.namespace === v
    : k === 'kuma.io/service' ? serviceTag === v : pod.labels[k] === v));
}

/**
 * Whether a targetRef selects a workload's pods, and how (for a message). `meshWide`: whether
 * a Mesh targetRef (or empty tags) counts; a kind the manifests cannot resolve is `unknown`.
 */
export function targetRefSelects(index: ManifestIndex, ref: any, policyNamespace: string | undefined, pod: PodOwner,
  serviceTag: string | undefined, meshWide = false): string | undefined {
  if (ref === null || typeof ref !== 'object') return undefined;
  switch (ref.kind) {
    case 'Mesh':
      return meshWide ? 'targetRef Mesh' : undefined;
    case 'MeshSubset':
      return tagsMatch(ref.tags, pod, serviceTag, meshWide) ? `targetRef MeshSubset ${JSON.stringify(ref.tags ?? {})}` : undefined;
    case 'Dataplane':
      if (ref.name !== undefined) return meshWide ? 'unknown' : undefined; // a Dataplane by name: not known from the manifests
      if (ref.namespace !== undefined && ref.namespace !== pod.namespace) return undefined;
      return tagsMatch(ref.labels, pod, serviceTag, meshWide) ? `targetRef Dataplane with labels ${JSON.stringify(ref.labels ?? {})}` : undefined;
    case 'MeshService':
    case 'MeshServiceSubset': {
      if (typeof ref.name !== 'string') return undefined;
      // 2.x: a kuma.io/service name (<svc>_<ns>_svc_<port>), or a MeshService name with namespace
      if (serviceTag !== undefined && ref.name === serviceTag) return `targetRef ${ref.kind} ${ref.name}`;
      const svc = index.service(ref.namespace ?? policyNamespace, ref.name);
      if (svc !== undefined && index.selectedPods(svc.obj).includes(pod)) return `targetRef ${ref.kind} ${ref.name} (a Service of the workload)`;
      return undefined;
    }
    default:
      return meshWide ? 'unknown' : undefined;
  }
}

/**
 * The `kuma.io/service` Kuma gives each gateway (pod_converter.go, predicted from the Services of
 * the set), computed on first ask and kept: the policy rules that name gateways by it share one.
 */
export function gatewayServiceTags(index: ManifestIndex, caps: KumaCapabilities): (gateway: PodOwner) => string | undefined {
  let services: any[] | undefined;
  const tags = new Map<PodOwner, string | undefined>();
  return (g) => {
    if (!tags.has(g)) {
      services ??= index.services.map((x) => x.obj);
      tags.set(g, predictDataplane(podView(g), servicesSelectingPod(podView(g), services),
        { inboundTags: caps.inboundTags, workload: workloadOfPodOwner(g) }).gateway?.tags?.['kuma.io/service']);
    }
    return tags.get(g);
  };
}

/** KUMA025 for the set's policies and its 2.x delegated gateways. */
export function gatewayInboundFindings(index: ManifestIndex, caps: KumaCapabilities, gateways: PodOwner[],
  serviceTagOf: (gateway: PodOwner) => string | undefined, emit: Emit): void {
  // only gateways Kuma builds without inbounds: kuma.io/gateway: enabled where Kuma reads it
  const delegated = gateways.filter((g) => g.annotations[KumaAnnotation.GATEWAY] === 'enabled' && caps.metadataKeys.has(KumaAnnotation.GATEWAY));
  if (delegated.length === 0) return;
  for (const m of index.manifests) {
    const o = m.obj;
    if (o?.apiVersion !== 'kuma.io/v1alpha1' || !caps.policyKinds.has(o.kind)) continue;
    const sections = ['from', 'rules'].filter((k) => Array.isArray(o.spec?.[k]) && o.spec[k].length > 0);
    if (sections.length === 0) continue;
    for (const g of delegated) {
      const how = targetRefSelects(index, o.spec?.targetRef, o.metadata?.namespace, g, serviceTagOf(g));
      if (how === undefined) continue;
      emit('KUMA025', FindingSeverity.WARNING, m,
        `is an inbound policy (spec.${sections.join(', spec.')}) whose ${how} selects ${describe(g.manifest.obj)}, a delegated gateway (kuma.io/gateway: enabled): Kuma builds the gateway without inbound listeners, so the policy matches nothing there and does nothing for it (kumahq/kuma#12107)`,
        'Configure the gateway\'s incoming traffic in the gateway itself (its own plugins or annotations), and use a to section for the traffic it sends into the mesh.');
    }
  }
}
