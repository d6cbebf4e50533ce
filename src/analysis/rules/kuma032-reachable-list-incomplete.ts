import { Report, RuleDefinition } from './rule';
import { KumaCapabilities } from '../../kuma/_kuma-capabilities';
import { parseBackendRefs } from '../../kuma/_reachable-backends';
import { KumaAnnotation } from '../../kuma/well-known';
import { describe, ManifestIndex, PodOwner, RouteBackend } from '../../model/_manifests';
import { derivedBackend, describeRef, refTakesIn } from '../../model/_reachable-derivation';
import { gatewayRouteBackends, isKongControllerOnly } from '../../model/_route-owners';
import { FindingSeverity } from '../finding';

/*
 * KUMA032: a delegated gateway lists the backends its sidecar builds outbounds for
 * (`kuma.io/transparent-proxying-reachable-services`, `kuma.io/reachable-backends`), and a route it
 * serves sends to one that is not in the list. Kuma builds no outbound for it (kumahq/kuma v2.14.3
 * pkg/xds/sync/dataplane_proxy_builder.go: with a list, only what it names; with the services list
 * alone, no MeshService outbound at all), so the request leaves through passthrough, in plaintext
 * and outside every policy, or fails where passthrough is off or the destination requires mTLS.
 * In Kuma 2.x a ClusterIP backend also has its kuma.io/service outbound, which a backends list
 * alone does not filter: it is reported only when the services list is there and misses it.
 */

export const KUMA032: RuleDefinition = {
  id: 'KUMA032',
  name: 'reachable-list-incomplete',
  severity: FindingSeverity.ERROR,
  fixable: false,
  summary: 'A delegated gateway lists its reachable services or backends, and a route it serves sends to one the list leaves out: Kuma builds no outbound for it, so the requests leave through passthrough in plaintext, or fail (always, for a .mesh or .mesh.local name, which resolves only through an outbound).',
  severityNote: 'An error when a left-out backend is an ExternalName to a `.mesh` or `.mesh.local` name, which cannot resolve without an outbound; a warning otherwise, as passthrough may still carry the traffic.',
  rationale: 'With a reachable list Kuma builds outbounds only for what it names (with the services list alone, no MeshService outbound at all), so requests to a backend the list leaves out go through passthrough in plaintext, outside every policy, or fail where passthrough is off or the backend requires mTLS; a `.mesh` or `.mesh.local` name resolves only through an outbound and always fails.',
  restsOn: 'Reads each delegated gateway\'s `kuma.io/transparent-proxying-reachable-services` (2.x outside Exclusive mode) and `kuma.io/reachable-backends` (2.9+) on its pod template, and the backends of the routes it serves; Kong controller-only pods are skipped. On 2.x a ClusterIP backend is reported only when the services list is present and misses it, since a backends list alone does not filter `kuma.io/service` outbounds.',
  fix: 'Add every backend of the gateway\'s routes to the list, or remove the list.',
  exampleFlags: ['--kuma-version', '2.14'],
  sources: [
    'kumahq/kuma pkg/xds/sync/dataplane_proxy_builder.go@v2.14.3',
    'kumahq/kuma pkg/xds/generator/dns_generator.go@v2.14.3',
  ],
  check: (ctx, report) => reachableCoverageFindings(ctx.index, ctx.caps, ctx.gateways, ctx.backends, ctx.servedBy, ctx.exclusive, report),
};

/** KUMA032 for every gateway that lists its reachable services or backends. */
function reachableCoverageFindings(index: ManifestIndex, caps: KumaCapabilities, gateways: PodOwner[],
  backends: RouteBackend[], servedByAll: Map<RouteBackend, string>, exclusive: boolean, report: Report): void {
  for (const g of gateways.filter((x) => !isKongControllerOnly(x))) {
    const servicesText = g.annotations[KumaAnnotation.REACHABLE_SERVICES];
    const backendsText = g.annotations[KumaAnnotation.REACHABLE_BACKENDS];
    // in meshServices.mode Exclusive there are no kuma.io/service outbounds for the list to keep
    const services = servicesText === undefined || !caps.metadataKeys.has(KumaAnnotation.REACHABLE_SERVICES) || exclusive ? undefined
      : String(servicesText).split(',').map((s) => s.trim()).filter((s) => s !== '');
    const refs = backendsText === undefined || !caps.metadataKeys.has(KumaAnnotation.REACHABLE_BACKENDS) ? undefined
      : parseBackendRefs(String(backendsText));
    if (services === undefined && refs === undefined) continue;
    // one gateway: what the set's gateways serve is what it serves (computed once for the analysis)
    const served = gateways.length === 1 ? servedByAll : gatewayRouteBackends(index, [g], backends);
    const missing = new Map<string, string>();
    // a .mesh or .mesh.local name resolves only through an outbound (kumahq/kuma v2.14.3
    // pkg/xds/generator/dns_generator.go skips addresses without one): left out, it cannot work at all
    let meshName = false;
    for (const [b, via] of served) {
      const svc = index.service(b.namespace, b.service)?.obj;
      if (svc === undefined) continue;
      const asService = services === undefined ? undefined : derivedBackend(index, b, 'services');
      const asRef = derivedBackend(index, b, 'backends');
      const inServices = asService !== undefined && 'service' in asService && services!.includes(asService.service);
      const inRefs = asRef !== undefined && 'ref' in asRef && refs !== undefined && refs.some((r) => refTakesIn(r, asRef.ref, g.namespace));
      let what: string | undefined;
      if (svc.spec?.type !== 'ExternalName') {
        const ref = asRef !== undefined && 'ref' in asRef ? asRef.ref : undefined;
        if (ref === undefined) continue;
        // 2.x: a ClusterIP backend also has its kuma.io/service outbound, unfiltered without the services list
        const legacy = caps.metadataKeys.has(KumaAnnotation.REACHABLE_SERVICES) && !exclusive;
        const covered = legacy ? services === undefined || inServices || inRefs : inRefs;
        if (!covered) what = `${describe(svc)} (${legacy ? `kuma.io/service ${(asService as any)?.service ?? '?'}, ` : ''}${describeRef(ref)})`;
      } else if (asService !== undefined && 'service' in asService) {
        if (!inServices) what = `${describe(svc)} (kuma.io/service ${asService.service})`;
      } else if (asRef !== undefined && 'ref' in asRef) {
        if (!inRefs) what = `${describe(svc)} (${describeRef(asRef.ref)}${refs === undefined ? ', which the services list cannot name: with it alone Kuma builds no MeshService outbound' : ''})`;
      }
      if (what !== undefined && !missing.has(what)) missing.set(what, via);
      if (what !== undefined && svc.spec?.type === 'ExternalName') meshName = true;
    }
    if (missing.size === 0) continue;
    const listed = [services === undefined ? undefined : 'kuma.io/transparent-proxying-reachable-services', refs === undefined ? undefined : 'kuma.io/reachable-backends']
      .filter((x) => x !== undefined).join(' and ');
    const outcome = meshName
      ? 'a mesh name (.mesh, .mesh.local) resolves only through an outbound, so the requests to it fail'
      : 'so the requests leave through passthrough, in plaintext and outside every policy, or fail where passthrough is off or the destination requires mTLS';
    report(g.manifest,
      `lists what its sidecar reaches (${listed}), but its routes also send to ${[...missing.keys()].join(', ')}, which the list leaves out: Kuma builds no outbound for ${missing.size === 1 ? 'it' : 'them'}${meshName ? ': ' : ', '}${outcome} (the gateway serves the route to ${[...missing.keys()][0].split(' (')[0]}: ${[...missing.values()][0]})`,
      {
        api: 'Add each to reachableServices or reachableBackends (ReachableBackend.meshAddress() for a .mesh.local address), or list nothing.',
        cli: `Add each to ${listed} on the pod template, or remove the list.`,
      }, {
        severity: meshName ? FindingSeverity.ERROR : FindingSeverity.WARNING,
        at: [...g.metadataPath, 'annotations', services === undefined ? KumaAnnotation.REACHABLE_BACKENDS : KumaAnnotation.REACHABLE_SERVICES],
      });
  }
}
