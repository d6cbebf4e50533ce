import { Report, RuleDefinition } from './rule';
import { KumaCapabilities } from '../../kuma/_kuma-capabilities';
import { KumaAnnotation } from '../../kuma/well-known';
import { describe, ManifestIndex, PodOwner } from '../../model/_manifests';
import { targetRefSelects } from '../../model/_policy-targets';
import { FindingSeverity } from '../finding';

/*
 * KUMA025: an inbound policy (spec.from, spec.rules) whose top-level targetRef selects a Kuma 2.x
 * delegated gateway. The gateway's Dataplane has no inbound listener (kuma.io/gateway: enabled;
 * pod_converter.go `GatewayByServiceFor`), so Kuma's matcher finds nothing to apply a `from` or
 * `rules` section to: the policy silently does nothing for the gateway (kumahq/kuma#12107,
 * "Since MeshTLS is a 'from' policy, and the delegated gateway does not have a listener
 * (inbound), no policy is matched"). A targetRef of kind Mesh (every proxy) is not aimed at the
 * gateway and is left alone.
 */

export const KUMA025: RuleDefinition = {
  id: 'KUMA025',
  name: 'gateway-inbound-policy',
  severity: FindingSeverity.WARNING,
  fixable: false,
  summary: 'Kuma 2.x: a policy with spec.from or spec.rules whose top-level targetRef selects a delegated gateway (MeshSubset tags, Dataplane labels, or its MeshService): the gateway has no inbound listeners, so the policy does nothing for it (kumahq/kuma#12107).',
  rationale: 'Kuma 2.x builds a delegated gateway\'s Dataplane without inbound listeners, so a policy\'s `from` or `rules` section, which applies to incoming traffic, matches nothing on it and does nothing for the gateway (kumahq/kuma#12107).',
  restsOn: 'Reads policies with a non-empty `spec.from` or `spec.rules` whose top-level targetRef selects a gateway marked `kuma.io/gateway: enabled` (MeshSubset tags, Dataplane labels, its MeshService or its `kuma.io/service`); a `kind: Mesh` targetRef is not reported. Only on `--kuma-version` 2.6 to 2.14.',
  fix: 'Configure the gateway\'s incoming traffic in the gateway itself (its plugins or annotations), and use `spec.to` policies for the traffic it sends into the mesh.',
  exampleFlags: ['--kuma-version', '2.14'],
  sources: [
    'kumahq/kuma#12107',
    'kumahq/kuma pkg/plugins/runtime/k8s/controllers/pod_converter.go@v2.14.3',
    'kumahq/kuma pkg/plugins/policies/core/matchers/dataplane.go@v2.14.3',
  ],
  check: (ctx, report) => gatewayInboundFindings(ctx.index, ctx.caps, ctx.gateways, ctx.serviceTagOf, report),
};

/** KUMA025 for the set's policies and its 2.x delegated gateways. */
function gatewayInboundFindings(index: ManifestIndex, caps: KumaCapabilities, gateways: PodOwner[],
  serviceTagOf: (gateway: PodOwner) => string | undefined, report: Report): void {
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
      report(m,
        `is an inbound policy (spec.${sections.join(', spec.')}) whose ${how} selects ${describe(g.manifest.obj)}, a delegated gateway (kuma.io/gateway: enabled): Kuma builds the gateway without inbound listeners, so the policy matches nothing there and does nothing for it (kumahq/kuma#12107)`,
        'Configure the gateway\'s incoming traffic in the gateway itself (its own plugins or annotations), and use a to section for the traffic it sends into the mesh.', { at: ['spec', 'targetRef'] });
    }
  }
}
