import { ControlPlaneFact, DEFAULT_NAMESPACES } from './_control-plane';
import { FindingSeverity } from './finding';
import { KumaCapabilities } from '../kuma/_kuma-capabilities';
import { computePolicyRole } from '../kuma/_policy-role';
import { describe, Manifest, ManifestIndex, PodOwner } from '../model/_manifests';

/*
 * KUMA033: a policy whose `to[]` items mix producer and consumer items, which Kuma's webhook
 * refuses ("it's not allowed to mix producer and consumer items in the same policy"), and in 2.x
 * one with both `from` and `to`.
 * KUMA034: an outbound policy aimed at a delegated gateway that Kuma computes as a *producer*
 * policy: it then applies to the proxies its targetRef selects in every namespace, and is synced to
 * every zone, instead of to the gateway's own namespace and zone.
 * Both rest on Kuma's ComputePolicyRole (kumahq/kuma v2.14.3 pkg/core/resources/labels/compute.go;
 * master 348b6528bc for 3.0's labels refs), see src/_policy-role.ts.
 */

type Emit = (id: string, severity: FindingSeverity, m: Manifest, message: string, fix: string) => void;


/** Whether a top-level targetRef selects the pods of `pod` (by Dataplane labels or MeshSubset tags, all of them on the pods). */
function selects(targetRef: any, pod: PodOwner): boolean {
  const selector = targetRef?.kind === 'Dataplane' ? targetRef.labels : targetRef?.kind === 'MeshSubset' ? targetRef.tags : undefined;
  if (selector === null || typeof selector !== 'object') return false;
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => pod.labels[k] === v);
}

/** KUMA033 and KUMA034 for every Kuma policy of the set. */
export function policyRoleFindings(index: ManifestIndex, caps: KumaCapabilities, gateways: PodOwner[],
  given: ((m: Manifest) => ControlPlaneFact | undefined) | undefined, emit: Emit): void {
  if (!caps.policyRoles) return;
  const shape = caps.upstreamRefByLabels ? 'labels' : 'name';
  for (const m of index.manifests) {
    const o = m.obj;
    if (o === null || typeof o !== 'object' || o.apiVersion !== 'kuma.io/v1alpha1' || !caps.policyKinds.has(o.kind)) continue;
    const namespace = o.metadata?.namespace;
    if (typeof namespace !== 'string' || namespace === '') continue;
    const fact = given?.(m);
    const system = fact?.namespace;
    if (system === undefined && DEFAULT_NAMESPACES.includes(namespace)) continue;
    const assumed = system === undefined ? ` (assuming ${namespace} is not the control plane's namespace, where every policy is a system policy)` : '';
    const computed = computePolicyRole(o.spec, namespace, system ?? DEFAULT_NAMESPACES[0], shape, caps.version.atLeast(2, 11));
    if ('error' in computed) {
      emit('KUMA033', FindingSeverity.ERROR, m,
        `is refused by Kuma ${caps.version}'s webhook: "${computed.error}"${assumed}. A to[] item that names a MeshService${shape === 'labels' ? ' by kuma.io/display-name (and k8s.kuma.io/namespace) only' : ' by name'} in the policy's own namespace is a producer item (for every client of that service), any other a consumer item (for the proxies the policy selects)`,
        shape === 'labels'
          ? 'Split it into a consumer policy (in the clients\' namespace; select its own-namespace MeshServices with one more label, such as kuma.io/mesh) and a producer policy (in the service\'s namespace).'
          : 'Split it into a consumer policy (select its own-namespace MeshServices by labels kuma.io/display-name and k8s.kuma.io/namespace) and a producer policy (in the service\'s namespace).');
      continue;
    }
    if (computed.role !== 'producer') continue;
    // 2.x kuma.io/service names (a name without namespace) are producer items by Kuma's own design
    if (shape === 'name' && (o.spec?.to ?? []).some((t: any) => t?.targetRef?.name !== undefined && t?.targetRef?.namespace === undefined)) continue;
    const gateway = gateways.find((g) => g.namespace === namespace && selects(o.spec?.targetRef, g));
    if (gateway === undefined) continue;
    emit('KUMA034', FindingSeverity.WARNING, m,
      `selects delegated gateway ${describe(gateway.manifest.obj)} and names only MeshServices of its own namespace ${namespace}${shape === 'labels' ? ' by kuma.io/display-name' : ' by name'}, so Kuma ${caps.version} makes it a producer policy${assumed}: it applies to every proxy with the gateway's labels in every namespace and is synced to every zone, not to this gateway alone`,
      shape === 'labels'
        ? 'Select each MeshService with one more label (kuma.io/mesh: <its mesh>): the policy is then a consumer policy of the gateway\'s namespace.'
        : 'Select each MeshService by its labels kuma.io/display-name and k8s.kuma.io/namespace instead of its name: the policy is then a consumer policy of the gateway\'s namespace.');
  }
}
