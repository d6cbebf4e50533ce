import { describe, PodOwner } from '../../model/_manifests';
import { FindingSeverity } from '../finding';
import { policyRoles } from './_policy-roles';
import { RuleDefinition } from './rule';

/*
 * KUMA034: an outbound policy aimed at a delegated gateway that Kuma computes as a *producer*
 * policy: it then applies to the proxies its targetRef selects in every namespace, and is synced to
 * every zone, instead of to the gateway's own namespace and zone.
 */

export const KUMA034: RuleDefinition = {
  id: 'KUMA034',
  name: 'gateway-policy-producer',
  severity: FindingSeverity.WARNING,
  fixable: false,
  summary: 'An outbound policy aimed at a delegated gateway names only MeshServices of its own namespace, so Kuma computes it as a producer policy: it applies to every proxy with the gateway\'s labels in every namespace and is synced to every zone.',
  rationale: 'Kuma computes an outbound policy whose `to[]` items all name MeshServices of its own namespace as a producer policy, which applies to the proxies its targetRef selects in every namespace and is synced to every zone, so a policy meant for one delegated gateway also reaches any other proxy with the same labels.',
  restsOn: 'Reads policies with `--kuma-version` 2.9 or later whose top-level targetRef (Dataplane labels or MeshSubset tags) selects a delegated gateway of the policy\'s namespace and that Kuma computes as producer policies; 2.x `kuma.io/service` names (a name without namespace) and policies in the control plane\'s namespace are not reported.',
  fix: 'Make it a consumer policy: in 2.x select each MeshService by its labels `kuma.io/display-name` and `k8s.kuma.io/namespace`, in 3.x add one more label such as `kuma.io/mesh`.',
  exampleFlags: ['--kuma-version', '2.14'],
  sources: [
    'kumahq/kuma pkg/core/resources/labels/compute.go@v2.14.3',
    'kumahq/kuma pkg/core/resources/labels/compute.go@348b6528bc',
    'kumahq/kuma pkg/plugins/policies/core/matchers/dataplane.go@v2.14.3',
    'kumahq/kuma pkg/kds/context/context.go@v2.14.3',
  ],
  check: (ctx, report) => {
    const { caps, gateways } = ctx;
    for (const { m, o, namespace, computed, assumed, shape } of policyRoles(ctx)) {
      if ('error' in computed || computed.role !== 'producer') continue;
      // 2.x kuma.io/service names (a name without namespace) are producer items by Kuma's own design
      if (shape === 'name' && (o.spec?.to ?? []).some((t: any) => t?.targetRef?.name !== undefined && t?.targetRef?.namespace === undefined)) continue;
      const gateway = gateways.find((g) => g.namespace === namespace && selects(o.spec?.targetRef, g));
      if (gateway === undefined) continue;
      report(m,
        `selects delegated gateway ${describe(gateway.manifest.obj)} and names only MeshServices of its own namespace ${namespace}${shape === 'labels' ? ' by kuma.io/display-name' : ' by name'}, so Kuma ${caps.version} makes it a producer policy${assumed}: it applies to every proxy with the gateway's labels in every namespace and is synced to every zone, not to this gateway alone`,
        shape === 'labels'
          ? 'Select each MeshService with one more label (kuma.io/mesh: <its mesh>): the policy is then a consumer policy of the gateway\'s namespace.'
          : 'Select each MeshService by its labels kuma.io/display-name and k8s.kuma.io/namespace instead of its name: the policy is then a consumer policy of the gateway\'s namespace.', { at: ['spec', 'targetRef'] });
    }
  },
};

/** Whether a top-level targetRef selects the pods of `pod` (by Dataplane labels or MeshSubset tags, all of them on the pods). */
function selects(targetRef: any, pod: PodOwner): boolean {
  const selector = targetRef?.kind === 'Dataplane' ? targetRef.labels : targetRef?.kind === 'MeshSubset' ? targetRef.tags : undefined;
  if (selector === null || typeof selector !== 'object') return false;
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => pod.labels[k] === v);
}
