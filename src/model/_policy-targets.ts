import { predictDataplane, servicesSelectingPod } from './_dataplane';
import { ManifestIndex, PodOwner, podView, workloadOfPodOwner } from './_manifests';
import { KumaCapabilities } from '../kuma/_kuma-capabilities';

/*
 * Which pods a policy's targetRef selects, as Kuma 2.x matches them (MeshSubset tags, Dataplane
 * labels, MeshService by name or kuma.io/service), and the kuma.io/service Kuma gives a delegated
 * gateway (pod_converter.go, kumahq/kuma@v2.14.3 pkg/plugins/runtime/k8s/controllers): the rules on
 * policies aimed at gateways (KUMA025, KUMA026) read them.
 */

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
