import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { BackendRef, byLabels } from '../kuma/_reachable-backends';
import type { IMeshService } from '../mesh/mesh-service';
import type * as Manifests from '../model/_manifests';
import type * as Derivation from '../model/_reachable-derivation';
import type * as Owners from '../model/_route-owners';
import { lazy } from '../private/_lazy';

/*
 * What a delegated gateway of the app is known to send to, for the `kuma.io/reachable-backends`
 * its pod template carries where the control plane restricts outbound traffic. Without the list,
 * a Kuma 3.0 sidecar gets no outbound at all on such a control plane ("Unset reachableBackends now
 * resolves to no outbounds", kumahq/kuma PR #18831 and issue #18798; the setting
 * `defaults.restrictOutbound` is named by Kong's "Prepare the mesh for production",
 * https://developer.konghq.com/mesh/prepare-the-mesh-for-production/: REPORTED, the released
 * code was not read).
 *
 * - The backends of the routes (Ingress, HTTPRoute) its controller serves, anywhere in the app, as
 *   the analysis reads them (src/model/_route-owners.ts): by ingress class and GatewayClass
 *   controller; a gateway whose product is not recognised may serve any route.
 * - The upstreams of its outbound policies (timeouts, retries, circuit breakers) and the Services
 *   its permissions let it into.
 * Each is a ref by labels only (`kuma.io/display-name`, `k8s.kuma.io/namespace`, and `kuma.io/zone`
 * for another zone's MeshService): Kuma 3.0 reads no `name`/`namespace` there (kumahq/kuma PR #18832
 * "select reachableBackends by labels only", REPORTED for the release) and 2.9 - 2.14 accept labels
 * too (pkg/plugins/runtime/k8s/controllers/pod_converter.go at v2.9.13, `Labels: ref.Labels`).
 */

// eslint-disable-next-line @typescript-eslint/no-require-imports
const manifests = lazy(() => require('../model/_manifests') as typeof Manifests);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const derivation = lazy(() => require('../model/_reachable-derivation') as typeof Derivation);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const owners = lazy(() => require('../model/_route-owners') as typeof Owners);

/** A Service the gateway's policies name, and the port if one. */
export interface PolicyUpstream {
  readonly service: IMeshService;
  readonly port?: number;
}

const POLICY_UPSTREAMS = new WeakMap<IConstruct, PolicyUpstream[]>();

/** Records that a policy of `gateway` sends it to `service` (read at synth by the gateway). */
export function recordPolicyUpstream(gateway: IConstruct, upstream: PolicyUpstream): void {
  const list = POLICY_UPSTREAMS.get(gateway);
  if (list === undefined) POLICY_UPSTREAMS.set(gateway, [upstream]);
  else list.push(upstream);
}

/** The upstreams the gateway's policies recorded. */
export function policyUpstreamsOf(gateway: IConstruct): PolicyUpstream[] {
  return [...POLICY_UPSTREAMS.get(gateway) ?? []];
}

/** A backend the derivation reached, or one it could not list, with why. */
export type RouteOutbound =
  | { readonly ref: BackendRef; readonly via: string }
  | { readonly unlisted: string; readonly service: string; readonly namespace?: string; readonly via: string };

/** The kinds a route's ownership and its backends are read from. */
const ROUTE_KINDS = new Set(['Service', 'Ingress', 'IngressClass', 'HTTPRoute', 'Gateway', 'GatewayClass', 'Namespace']);

/** The app's objects that routes and their backends are read from, as they serialize now. */
export function routeObjects(root: IConstruct): Manifests.Manifest[] {
  const objects: Manifests.Manifest[] = [];
  for (const c of root.node.findAll()) {
    // an imported MeshService (MeshService.fromServiceAttributes()) is a Service of another app
    const imported = (c as any)._routeManifest;
    if (typeof imported === 'function') objects.push({ obj: imported.call(c) });
    if (ApiObject.isApiObject(c) && ROUTE_KINDS.has(c.kind)) objects.push(manifests().manifestOf(c));
  }
  return objects;
}

/**
 * The backends of the routes that the gateway whose pods `workload` renders serves, among the
 * app's `objects` (`routeObjects()`).
 */
export function routeOutbounds(workload: ApiObject, objects: Manifests.Manifest[]): RouteOutbound[] {
  const { ManifestIndex } = manifests();
  const self: Manifests.Manifest = { obj: workload.toJson(), construct: workload };
  const index = new ManifestIndex([...objects.filter((m) => m.construct !== workload), self]);
  const pod = index.pods.find((p) => p.manifest === self);
  if (pod === undefined || owners().isKongControllerOnly(pod)) return [];
  const out: RouteOutbound[] = [];
  for (const [b, via] of owners().gatewayRouteBackends(index, [pod])) {
    const d = derivation().derivedBackend(index, b, 'backends');
    if (d === undefined) continue; // outside the mesh: no outbound of Kuma's
    if ('ref' in d) out.push({ ref: byLabels(d.ref), via });
    else if ('unlisted' in d) out.push({ unlisted: d.unlisted, service: b.service, namespace: b.namespace, via });
  }
  return out;
}
