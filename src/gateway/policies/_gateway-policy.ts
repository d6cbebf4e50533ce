import { ApiObjectMetadata, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import type { GatewayOutboundPolicyOptions, GatewayUpstream } from './gateway-upstream';
import { capabilitiesOf } from '../../kuma/_kuma-capabilities';
import { computePolicyRole } from '../../kuma/_policy-role';
import { KumaProtocol } from '../../kuma/kuma-protocol';
import type { KumaVersion } from '../../kuma/kuma-version';
import { KumaLabel } from '../../kuma/well-known';
import { meshServicesModeOf } from '../../mesh/_mesh-mode';
import { IMesh, MeshServicesMode } from '../../mesh/mesh';
import { lookup, register } from '../../private/_registry';
import { invalid } from '../../private/_validation';
import { recordPolicyUpstream } from '../_gateway-outbounds';
import type { IDelegatedGatewayRef } from '../gateway-ref';

// Sources: kumahq/kuma-website app/_src/guides/gateway-delegated.md (per-version blocks);
// https://developer.konghq.com/mesh/use-kong-as-delegated-gateway/; kumahq/kuma UPGRADE.md@348b6528bc ("Upgrade to `3.0.0`")
/**
 * Where a policy about the gateway's own traffic lives and how it selects the gateway, per Kuma
 * version (kuma-website guide gateway-delegated.md):
 * up to 2.8 policies live in the control plane namespace; from 2.9 in the namespace of the proxies
 * they configure. The gateway is a `MeshSubset` of its tags up to 2.9 and a `Dataplane` selected by
 * labels from 2.10 (3.0 removes top-level `MeshSubset`).
 */
export function gatewayPlacement(gateway: IDelegatedGatewayRef): { namespace: string; targetRef: any } {
  const identity = gateway.identity;
  return workloadPlacement(gateway.version, identity.namespace, gateway.controlPlaneNamespace, identity.labels, identity.tags);
}

/**
 * The same rule for any workload: the policy lives in the workload's namespace from 2.9 (in the
 * control plane namespace before), and selects the workload's Dataplanes by `labels` from 2.10
 * (a `MeshSubset` of its `tags` before).
 */
export function workloadPlacement(version: KumaVersion, namespace: string, controlPlaneNamespace: string,
  labels: Record<string, string>, tags: Record<string, string> = labels): { namespace: string; targetRef: any } {
  const caps = capabilitiesOf(version);
  return {
    namespace: caps.policiesInWorkloadNamespace ? namespace : controlPlaneNamespace,
    targetRef: caps.dataplaneTargetRef ? { kind: 'Dataplane', labels } : { kind: 'MeshSubset', tags },
  };
}

/**
 * The `placeIn` option is where the gateway's `allowTo()`/`addTimeout()`/... create the policy; a
 * construct created directly is in its constructor's scope, so another `placeIn` there is refused.
 * It must be in the gateway's app (another app is another synth, another set of files). (Not
 * `scope`: jsii's Python binding flattens props into keyword arguments, and a `scope` prop
 * collides with the constructor's `scope` parameter.)
 */
export function checkPolicyScope(policy: IConstruct, scope: IConstruct | undefined, gateway: IDelegatedGatewayRef): void {
  if (scope === undefined) return;
  if (policy.node.scope !== scope) {
    throw invalid(policy, 'placeIn', scope.node.path, `differs from where this policy is created (${policy.node.scope?.node.path})`,
      'Remove placeIn (it is for the gateway\'s allowTo(), addTimeout(), addRetry() and addCircuitBreaker()), or create the policy in that scope.');
  }
  if (scope.node.root !== gateway.node.root) {
    throw invalid(policy, 'placeIn', scope.node.path || '(an App)', 'is in another app than the gateway', 'Pass a construct of the gateway\'s app, such as the Chart of the upstream\'s team.');
  }
}

const MAX_NAME = 253;

/**
 * The name of a policy the user did not name: `<gateway>-to-<target>` (the gateway workload's
 * name, the upstream Service's or namespace's), so that a review shows what it is about and a
 * construct rename does not rename it. A name the user gives is kept as it is. Either is refused
 * when another policy of the same kind already has it in the same chart (one file, one cluster)
 * and namespace: kubectl would keep only the last one.
 */
export function policyName(policy: IConstruct, kind: string, gateway: IDelegatedGatewayRef, target: string,
  namespace: string, name: string | undefined): string {
  const chosen = name ?? `${gateway.workloadName}-to-${target}`.toLowerCase().replace(/[^a-z0-9.-]+/g, '-');
  if (name === undefined && chosen.length > MAX_NAME) {
    throw invalid(policy, 'name', chosen, `would be the policy's name, but Kubernetes allows at most ${MAX_NAME} characters`, 'Pass a shorter name.');
  }
  const key = `${Chart.of(policy).node.path}/${kind}/${namespace}/${chosen}`;
  const other = lookup<IConstruct>(policy, 'policy', key);
  if (other !== undefined && other !== policy) {
    throw invalid(policy, 'name', chosen, `is already the name of ${other.node.path}, a ${kind} in namespace ${namespace} of the same chart; kubectl would keep only the last one`,
      'Pass a name that tells the two apart.');
  }
  register(policy, 'policy', key, policy);
  return chosen;
}

/** Metadata of a policy: the user's name, the namespace it must live in, the `kuma.io/mesh` label. */
export function policyMetadata(name: string | undefined, namespace: string, mesh: string): ApiObjectMetadata {
  // A `name: undefined` key would hide the name cdk8s generates: leave the key out.
  return { ...name === undefined ? {} : { name }, namespace, labels: { [KumaLabel.MESH]: mesh } };
}

/**
 * The `to[].targetRef` of an upstream, in the policy's `namespace`:
 * - Kuma 3.x: the MeshService by labels, `kuma.io/display-name` (its name) and
 *   `k8s.kuma.io/namespace`: the 3.0 CRDs declare only `kind`, `labels` and `sectionName` there
 *   and prune `name`/`namespace` (crds/3.0-dev kuma.io_meshtimeouts.yaml; Kong's 3.x example
 *   selects `kuma.io/display-name`);
 * - 2.x with `meshServices.mode: Exclusive`: the MeshService by name and namespace;
 * - else the `kuma.io/service` name `<name>_<namespace>_svc_<port>`.
 * A port becomes `sectionName`, the MeshService port's *name* (the Service port's name, or its
 * number), which is what `sectionName` matches (Kuma's MeshService controller fixtures).
 *
 * An upstream in the policy's own namespace would make the gateway's policy a *producer* policy
 * (src/kuma/_policy-role.ts), applied to every client of the upstream in every namespace and zone, and
 * a policy with one upstream there and one elsewhere is refused by Kuma's webhook. So such an
 * upstream is named so that Kuma computes a consumer item, selecting the same MeshService: 2.x by
 * its labels `kuma.io/display-name` and `k8s.kuma.io/namespace` (a labels ref has no name, the
 * producer test of kumahq/kuma v2.14.3 pkg/core/resources/labels/compute.go), 3.x adding its
 * `kuma.io/mesh` label (a label other than those two, the producer test on master 348b6528bc; every
 * MeshService carries the label of its mesh, the policy's own, compute.go `Compute`).
 */
export function upstreamTargetRef(scope: IConstruct, gateway: IDelegatedGatewayRef, mesh: IMesh | undefined, upstream: GatewayUpstream,
  namespace?: string): any {
  const caps = capabilitiesOf(gateway.version);
  const byLabels = caps.upstreamRefByLabels;
  const mode = byLabels ? MeshServicesMode.EXCLUSIVE : meshServicesModeOf(scope, mesh, gateway.mesh).mode;
  const { service, port } = upstream;
  if (mode === MeshServicesMode.EXCLUSIVE) {
    if (!caps.meshServiceRefs) {
      throw invalid(scope, 'to[].service', service.node.path,
        `cannot be referenced in mesh ${JSON.stringify(gateway.mesh)}, which runs meshServices.mode Exclusive (no kuma.io/service names): Kuma ${gateway.version}'s policy targetRef has no namespace or sectionName for a MeshService (its CRDs have them from 2.8)`,
        'Target Kuma 2.8 or newer, or run the mesh in another meshServices.mode.');
    }
    if (service.namespace === undefined) {
      throw invalid(scope, 'to[].service.namespace', undefined, `is not known for ${service.node.path}`, 'Set the Service\'s namespace.');
    }
    const sectionName = port === undefined ? undefined : service.meshServicePortName(port);
    const labels = { [KumaLabel.DISPLAY_NAME]: service.name, [KumaLabel.NAMESPACE]: service.namespace };
    const ownNamespace = caps.policyRoles && service.namespace === namespace;
    if (ownNamespace && !byLabels && sectionName !== undefined && !caps.dataplaneTargetRef) {
      // Kuma 2.9 refuses sectionName beside labels ("sectionName should not be combined with labels",
      // kumahq/kuma v2.9.13 pkg/core/resources/apis/mesh/validators.go); 2.10 accepts it
      throw invalid(scope, 'to[].port', port,
        `cannot be named for ${service.node.path}, an upstream in the gateway's own namespace ${namespace}: Kuma ${gateway.version} selects it by labels (so that the policy stays the gateway's consumer policy), and refuses a port (sectionName) beside labels`,
        'Drop the port (the policy then applies to every port of the upstream), or target Kuma 2.10 or newer.');
    }
    if (byLabels) return { kind: 'MeshService', labels: ownNamespace ? { ...labels, [KumaLabel.MESH]: gateway.mesh } : labels, sectionName };
    return ownNamespace ? { kind: 'MeshService', labels, sectionName } : { kind: 'MeshService', name: service.name, namespace: service.namespace, sectionName };
  }
  return { kind: 'MeshService', name: service.kumaService(service.servicePort(port)) };
}

/**
 * The parts every outbound policy of the gateway shares: metadata and the top-level `targetRef` at
 * the gateway, and one `to` entry per upstream with the same `default`.
 */
export function outboundPolicy(scope: IConstruct, kind: string, gateway: IDelegatedGatewayRef, options: GatewayOutboundPolicyOptions,
  conf: any | ((u: GatewayUpstream, i: number) => any)): { metadata: ApiObjectMetadata; spec: any } {
  if (options.to.length === 0) {
    throw invalid(scope, 'to', [], 'is empty; the policy would configure no upstream', 'List the upstream Services the gateway routes to.');
  }
  const placement = gatewayPlacement(gateway);
  const services = [...new Set(options.to.map((u) => u.service.name))];
  const target = services.length === 1 ? services[0] : `${services[0]}-and-${services.length - 1}-more`;
  const spec = {
    targetRef: placement.targetRef,
    to: options.to.map((u, i) => ({ targetRef: upstreamTargetRef(scope, gateway, options.mesh, u, placement.namespace), default: typeof conf === 'function' ? conf(u, i) : conf })),
  };
  checkConsumerRole(scope, kind, gateway, spec, placement.namespace);
  for (const u of options.to) recordPolicyUpstream(gateway, { service: u.service, port: u.port });
  return {
    metadata: policyMetadata(policyName(scope, kind, gateway, target, placement.namespace, options.name), placement.namespace, gateway.mesh),
    spec,
  };
}

/**
 * Refuses an outbound policy of the gateway that Kuma would not store as a consumer policy (its
 * webhook refuses mixed roles; a producer policy applies in every namespace and zone). Kuma 2.x
 * `kuma.io/service` names are producer items whatever the library does (the only shape their
 * `to` has), so only MeshService refs are checked.
 */
function checkConsumerRole(scope: IConstruct, kind: string, gateway: IDelegatedGatewayRef, spec: any, namespace: string): void {
  const caps = capabilitiesOf(gateway.version);
  if (!caps.policyRoles || spec.to.some((t: any) => t.targetRef.name !== undefined && t.targetRef.namespace === undefined)) return;
  const computed = computePolicyRole(spec, namespace, gateway.controlPlaneNamespace, caps.upstreamRefByLabels ? 'labels' : 'name');
  const role = 'error' in computed ? computed.error : computed.role;
  if (role === 'consumer' || role === 'system') return;
  throw invalid(scope, 'to', spec.to.map((t: any) => t.targetRef), `makes Kuma ${gateway.version} compute the ${kind} as ${JSON.stringify(role)}, not a consumer policy of the gateway`,
    'Report this as a bug of cdk8s-kuma: the library names upstreams so that Kuma computes a consumer policy.');
}

/** A count: an integer from `min` up, or undefined. */
export function count(scope: IConstruct, field: string, n: number | undefined, min: number): number | undefined {
  if (n !== undefined && (!Number.isInteger(n) || n < min || n > 2147483647)) {
    throw invalid(scope, field, n, `is not an integer from ${min} to 2147483647`, `Use a whole number of at least ${min}.`);
  }
  return n;
}

/** Drops undefined values, and returns undefined for an object left empty. */
export function compact<T extends object>(obj: T): T | undefined {
  const entries = Object.entries(obj).filter(([, v]) => v !== undefined);
  return entries.length === 0 ? undefined : Object.fromEntries(entries) as T;
}

/** The protocols whose outbounds Kuma builds an HTTP connection manager for: where HTTP policy settings apply. */
const L7_PROTOCOLS: string[] = [KumaProtocol.HTTP, KumaProtocol.HTTP2, KumaProtocol.GRPC];

/** The protocol Kuma takes for an upstream's port, when this app knows it (a MeshService of the app). */
export function upstreamProtocol(u: GatewayUpstream): string | undefined {
  const service = u.service as { _kumaProtocolOf?: (port: number) => string };
  return typeof service._kumaProtocolOf === 'function' ? service._kumaProtocolOf(u.service.servicePort(u.port)) : undefined;
}

/**
 * Refuses options that act on HTTP requests for an upstream whose port Kuma treats as plain TCP
 * (no `appProtocol`, or tcp, tls, kafka, mysql): its outbound has no HTTP connection manager, so
 * they would silently do nothing.
 *
 * @param given the HTTP options set, by field name
 * @param applies what the policy does apply on a TCP outbound, for the message
 */
export function refuseHttpOptionsOnTcp(scope: IConstruct, upstreams: GatewayUpstream[], given: string[], kind: string, applies: string): void {
  if (given.length === 0) return;
  for (const u of upstreams) {
    const protocol = upstreamProtocol(u);
    if (protocol === undefined || L7_PROTOCOLS.includes(protocol)) continue;
    throw invalid(scope, given[0], `${u.service.name} port ${u.service.servicePort(u.port)} (${protocol})`,
      `acts on HTTP requests, but Kuma treats this upstream port as ${protocol}${protocol === KumaProtocol.TCP ? ' (it has no appProtocol)' : ''}, whose outbound has no HTTP layer: Kuma's ${kind} applies only ${applies} there`,
      `Give the Service port the protocol its clients speak (appProtocol: KumaProtocol.HTTP, HTTP2 or GRPC), or drop ${given.join(', ')} for this upstream.`);
  }
}
