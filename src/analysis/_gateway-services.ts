import type { EditOp, FixText } from './_rules';
import { FindingSeverity } from './finding';
import { KumaCapabilities } from '../kuma/_kuma-capabilities';
import { GatewayMarking } from '../kuma/gateway-marking';
import { KumaAnnotation, ServiceAnnotation } from '../kuma/well-known';
import { describe, Manifest, ManifestIndex, PodOwner } from '../model/_manifests';
import { productOf } from '../model/_route-owners';

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

type Emit = (id: string, severity: FindingSeverity, m: Manifest, message: string, fix: FixText, edit?: { target: Manifest; ops: EditOp[] }) => void;

/** KUMA041 for every Service of a 3.x-marked gateway. */
export function gatewayServiceFindings(index: ManifestIndex, caps: KumaCapabilities, gateways: PodOwner[], emit: Emit): void {
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
    emit('KUMA041', FindingSeverity.WARNING, svc,
      `selects the pods of delegated gateway ${describe(gateway.manifest.obj)} and is not annotated kuma.io/ignore: "true": Kuma ${caps.version} makes a MeshService of it whose endpoints are the gateway's pods, and gives the gateway inbounds for its ports (kumahq/kuma PR #18662)`,
      {
        api: 'Annotate it kuma.io/ignore: "true" (DelegatedGateway marks the Services of its pods), or name it in meshDestinationServices if it is meant as a mesh destination.',
        cli: 'Annotate it kuma.io/ignore: "true" (cdk8s-kuma lint --fix does), or ignore KUMA041 for a Service meant as a mesh destination.',
      },
      { target: svc, ops: [{ op: 'set', path: ['metadata', 'annotations', ServiceAnnotation.KUMA_IGNORE], value: 'true' }] });
  }
}
