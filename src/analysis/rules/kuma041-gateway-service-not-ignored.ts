import { Report, RuleDefinition } from './rule';
import { KumaCapabilities } from '../../kuma/_kuma-capabilities';
import { GatewayMarking } from '../../kuma/gateway-marking';
import { KumaAnnotation, ServiceAnnotation } from '../../kuma/well-known';
import { describe, ManifestIndex, PodOwner } from '../../model/_manifests';
import { productOf } from '../../model/_route-owners';
import { FindingSeverity } from '../finding';

/*
 * KUMA041 gateway-service-not-ignored: a Service that selects a Kuma 3.x delegated gateway's pods
 * (a gateway marked by traffic.kuma.io/exclude-inbound-ports) without `kuma.io/ignore: "true"`.
 * Kuma 3.x makes a MeshService of it whose endpoints are the gateway's pods and gives the gateway
 * inbounds for its ports (kumahq/kuma PR #18662: "gateway pods get inbounds from their Service like
 * every other workload"; "Services and Pods annotated as gateways are no longer skipped"). Kong's
 * "Migrate gateways to Kong Mesh 3.x": "Add kuma.io/ignore: "true" to gateway Services that
 * shouldn't become mesh destinations". A warning: a Service meant as a mesh destination stays as
 * it is (ignore the rule for it). The value must be "true" (the MeshService controller reads it with
 * GetBoolean, meshservice_controller.go). Fixable.
 */

export const KUMA041: RuleDefinition = {
  id: 'KUMA041',
  name: 'gateway-service-not-ignored',
  severity: FindingSeverity.WARNING,
  fixable: true,
  summary: 'A Service selects the pods of a Kuma 3.x delegated gateway and is not annotated kuma.io/ignore: "true": Kuma makes a MeshService of it whose endpoints are the gateway\'s pods and gives the gateway inbounds for its ports.',
  rationale: 'Kuma 3.x no longer skips the Services of gateway pods (kumahq/kuma#18662): it makes a MeshService of each, with the gateway\'s pods as endpoints, and gives the gateway inbounds for its ports, so the gateway\'s proxy Service becomes a mesh destination. The annotation `kuma.io/ignore: "true"` keeps a Service out.',
  restsOn: 'Reads Services (not ExternalName) that select the pods of a delegated gateway recognised as Kong, ingress-nginx or Traefik (marked by `traffic.kuma.io/exclude-inbound-ports`, or still by `kuma.io/gateway`), with `--kuma-version 3.0`; silent for Services annotated `kuma.io/ignore: "true"` and on 2.x, where `kuma.io/gateway` makes Kuma skip them.',
  fix: 'Annotate the Service `kuma.io/ignore: "true"`, or ignore KUMA041 for a Service meant as a mesh destination; `cdk8s-kuma lint --fix` adds the annotation.',
  exampleFlags: ['--kuma-version', '3.0'],
  sources: [
    'kumahq/kuma#18662',
    'kumahq/kuma pkg/plugins/runtime/k8s/controllers/meshservice_controller.go@348b6528bc',
    'https://developer.konghq.com/mesh/migrate-gateways-to-3/',
  ],
  check: (ctx, report) => gatewayServiceFindings(ctx.index, ctx.caps, ctx.gateways, report),
};

/** KUMA041 for every Service of a 3.x-marked gateway. */
function gatewayServiceFindings(index: ManifestIndex, caps: KumaCapabilities, gateways: PodOwner[], report: Report): void {
  if (caps.gatewayMarkings.includes(GatewayMarking.GATEWAY_ANNOTATION)) return; // 2.x: kuma.io/gateway skips them
  // a gateway still carrying the removed kuma.io/gateway too (KUMA014): `lint --fix` then marks its
  // Services in the same pass as it rewrites the gateway
  // and only pods recognisable as an API gateway (an ordinary pod may exclude an inbound port too,
  // a metrics port, and its Services are mesh destinations)
  const marked = new Set(gateways.filter((g) => productOf(g) !== undefined || g.annotations[KumaAnnotation.GATEWAY] !== undefined));
  for (const svc of index.services) {
    const o = svc.obj;
    if (o.spec?.type === 'ExternalName' || o.metadata?.annotations?.[ServiceAnnotation.KUMA_IGNORE] === 'true') continue;
    const gateway = index.selectedPods(o).find((p) => marked.has(p));
    if (gateway === undefined) continue;
    report(svc,
      `selects the pods of delegated gateway ${describe(gateway.manifest.obj)} and is not annotated kuma.io/ignore: "true": Kuma ${caps.version} makes a MeshService of it whose endpoints are the gateway's pods, and gives the gateway inbounds for its ports (kumahq/kuma PR #18662)`,
      {
        api: 'Annotate it kuma.io/ignore: "true" (DelegatedGateway marks the Services of its pods), or name it in meshDestinationServices if it is meant as a mesh destination.',
        cli: 'Annotate it kuma.io/ignore: "true" (cdk8s-kuma lint --fix does), or ignore KUMA041 for a Service meant as a mesh destination.',
      },
      { edit: { target: svc, ops: [{ op: 'set', path: ['metadata', 'annotations', ServiceAnnotation.KUMA_IGNORE], value: 'true' }] } });
  }
}
