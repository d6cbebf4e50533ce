/*
 * The role Kuma gives a policy (the `kuma.io/policy-role` label it computes on every policy it
 * stores), as Kuma's `ComputePolicyRole` computes it: kumahq/kuma v2.14.3
 * pkg/core/resources/labels/compute.go (2.9 - 2.13: pkg/core/resources/model/resource.go) and, for
 * 3.0, the same function on master 348b6528bc, where `to[].targetRef` selects by labels only.
 *
 * - In the control plane's (system) namespace, or without a namespace: `system`.
 * - No `to` (MeshTrafficPermission, `from`- or `rules`-only policies): `workload-owner`
 *   (2.x: `from` and `to` in one policy are refused).
 * - Every `to[]` item a MeshService (or, from 2.11, a MeshHTTPRoute: `httpRouteProducer`; 2.9 and
 *   2.10 count MeshService only, v2.9.13 pkg/core/resources/model/resource.go) named by the
 *   policy's own namespace (or none):
 *   `producer`. 2.x names it by `name` (+ `namespace`); 3.0 by the labels `kuma.io/display-name`
 *   (+ `k8s.kuma.io/namespace`) and no other label.
 * - No such item: `consumer`. Both kinds of item: refused by Kuma's webhook.
 *
 * The role decides where the policy applies: a consumer or workload-owner policy only to proxies of
 * its own namespace and zone, a producer policy to the proxies its targetRef selects in every
 * namespace, synced to every zone (pkg/plugins/policies/core/matchers/dataplane.go
 * dppSelectedByNamespace, dppSelectedByZone; pkg/kds/context/context.go).
 */

/** A policy's role, as the values of `kuma.io/policy-role`. */
export type PolicyRole = 'system' | 'workload-owner' | 'producer' | 'consumer';

/** The message of Kuma's webhook for a policy that mixes producer and consumer items (compute.go). */
export const MIXED_ROLES = 'it\'s not allowed to mix producer and consumer items in the same policy';
/** The message of Kuma 2.x's webhook for a policy with both `from` and `to` (compute.go @ v2.14.3). */
export const MIXED_FROM_TO = 'it\'s not allowed to mix \'to\' and \'from\' arrays in the same policy';

/** How a Kuma version's `to[].targetRef` names one resource: by `name` (2.x) or by labels (3.0). */
export type RefShape = 'name' | 'labels';

const DISPLAY_NAME = 'kuma.io/display-name';
const K8S_NAMESPACE = 'k8s.kuma.io/namespace';

/** Whether a `to[].targetRef` is a producer item for a policy in `namespace`. */
export function isProducerItem(ref: any, namespace: string, shape: RefShape, httpRouteProducer = true): boolean {
  if (ref === null || typeof ref !== 'object') return false;
  if (ref.kind !== 'MeshService' && (ref.kind !== 'MeshHTTPRoute' || !httpRouteProducer)) return false;
  if (shape === 'name') {
    const ns = ref.namespace ?? '';
    return typeof ref.name === 'string' && ref.name !== '' && (ns === '' || ns === namespace);
  }
  const labels: Record<string, unknown> = ref.labels !== null && typeof ref.labels === 'object' ? ref.labels : {};
  if (typeof labels[DISPLAY_NAME] !== 'string' || labels[DISPLAY_NAME] === '') return false;
  if (Object.keys(labels).some((k) => k !== DISPLAY_NAME && k !== K8S_NAMESPACE)) return false;
  const ns = labels[K8S_NAMESPACE] ?? '';
  return ns === '' || ns === namespace;
}

/**
 * The role Kuma computes for a policy `spec` stored in `namespace` (undefined: Universal), or the
 * error its webhook answers with.
 */
export function computePolicyRole(spec: any, namespace: string | undefined, systemNamespace: string, shape: RefShape,
  httpRouteProducer = true): { role: PolicyRole } | { error: string } {
  if (namespace === undefined || namespace === '' || namespace === systemNamespace) return { role: 'system' };
  const to: any[] = Array.isArray(spec?.to) ? spec.to : [];
  const from: any[] = shape === 'name' && Array.isArray(spec?.from) ? spec.from : [];
  if (from.length > 0 && to.length > 0) return { error: MIXED_FROM_TO };
  if (to.length === 0) return { role: 'workload-owner' };
  const producers = to.filter((item) => isProducerItem(item?.targetRef, namespace, shape, httpRouteProducer)).length;
  if (producers === to.length) return { role: 'producer' };
  if (producers === 0) return { role: 'consumer' };
  return { error: MIXED_ROLES };
}
