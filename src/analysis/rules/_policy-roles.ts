import { RuleContext } from './rule';
import { DEFAULT_CONTROL_PLANE_NAMESPACES } from '../../kuma/_control-plane-namespaces';
import { computePolicyRole } from '../../kuma/_policy-role';
import { Manifest } from '../../model/_manifests';

/*
 * The role Kuma computes for each policy of the set (ComputePolicyRole, kumahq/kuma v2.14.3
 * pkg/core/resources/labels/compute.go; master 348b6528bc for 3.0's labels refs; see
 * src/kuma/_policy-role.ts), computed once for KUMA033 and KUMA034.
 */

/** A policy and the role Kuma computes for it, or the error its webhook refuses it with. */
export interface PolicyRoleOf {
  readonly m: Manifest;
  readonly o: any;
  readonly namespace: string;
  readonly computed: ReturnType<typeof computePolicyRole>;
  /** What the computation assumes about the control plane's namespace, for the message. */
  readonly assumed: string;
  readonly shape: 'labels' | 'name';
}

/** The roles of the set's namespaced policies (Kuma 2.9+). */
export function policyRoles(ctx: RuleContext): PolicyRoleOf[] {
  return ctx.shared('policy-roles', () => {
    const { index, caps } = ctx;
    if (!caps.policyRoles) return [];
    const shape = caps.upstreamRefByLabels ? 'labels' : 'name';
    const out: PolicyRoleOf[] = [];
    for (const m of index.manifests) {
      const o = m.obj;
      if (o === null || typeof o !== 'object' || o.apiVersion !== 'kuma.io/v1alpha1' || !caps.policyKinds.has(o.kind)) continue;
      const namespace = o.metadata?.namespace;
      if (typeof namespace !== 'string' || namespace === '') continue;
      const system = ctx.controlPlane?.(m)?.namespace;
      if (system === undefined && DEFAULT_CONTROL_PLANE_NAMESPACES.includes(namespace)) continue;
      const assumed = system === undefined ? ` (assuming ${namespace} is not the control plane's namespace, where every policy is a system policy)` : '';
      const computed = computePolicyRole(o.spec, namespace, system ?? DEFAULT_CONTROL_PLANE_NAMESPACES[0], shape, caps.httpRouteProducerItems);
      out.push({ m, o, namespace, computed, assumed, shape });
    }
    return out;
  });
}
