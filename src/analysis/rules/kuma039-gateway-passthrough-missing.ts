import { Report, RuleDefinition } from './rule';
import { runsKongIngressController } from '../../kuma/_gateway-pod-rules';
import { KumaCapabilities } from '../../kuma/_kuma-capabilities';
import { describe, ManifestIndex, PodOwner, podTemplateOf } from '../../model/_manifests';
import { gatewayRouteBackends, productOf } from '../../model/_route-owners';
import { FindingSeverity } from '../finding';

/*
 * KUMA039 gateway-passthrough-missing: a Kuma 3.0 delegated gateway that sends traffic outside the
 * mesh, and no MeshPassthrough of the set selects it. A 3.0 sidecar no MeshPassthrough selects
 * drops such traffic (kumahq/kuma issue #18801 "Default passthrough to None"; Kong's kuma-migrator
 * docs, "Meshes": REPORTED for the release, which the finding says). Known destinations outside the
 * mesh: the Kubernetes API, which a controller in the pod watches (ingress-nginx and Traefik run
 * theirs in the proxy's pod; Kong's controller image), and the external host of an ExternalName
 * Service a route of the gateway sends to (not a `.mesh` or `.mesh.local` name).
 */

export const KUMA039: RuleDefinition = {
  id: 'KUMA039',
  name: 'gateway-passthrough-missing',
  severity: FindingSeverity.WARNING,
  fixable: false,
  summary: 'A Kuma 3.x delegated gateway sends traffic outside the mesh (its controller watches the Kubernetes API; a route sends to an external ExternalName host) and no MeshPassthrough selects it: a 3.0 sidecar drops such traffic (passthrough off by default, reported for the release).',
  rationale: 'Kuma 3.0 is reported to drop traffic to destinations outside the mesh from any sidecar that no MeshPassthrough selects (passthrough off by default, kumahq/kuma#18801), so a gateway whose controller watches the Kubernetes API loses its view of the routes, and a route to an external ExternalName host fails.',
  restsOn: 'Reads delegated gateways recognised as ingress-nginx, Traefik or Kong\'s ingress controller (by image), the ExternalName backends outside `.mesh` and `.mesh.local` of the routes they serve, and the files\' MeshPassthroughs (mode All or Matched, unset meaning Matched; targetRef Mesh, or Dataplane labels in the gateway\'s namespace), with `--kuma-version 3.0`. Silent on 2.x, where passthrough is on by default.',
  fix: 'Add a MeshPassthrough that selects the gateway (targetRef kind Dataplane with its pod labels) with `passthroughMode: All`, or `Matched` listing the API server\'s address and the external hosts.',
  exampleFlags: ['--kuma-version', '3.0'],
  sources: [
    'kumahq/kuma#18801',
    'kumahq/kuma pkg/plugins/policies/meshpassthrough/plugin/v1alpha1/plugin.go@v2.14.3',
  ],
  check: (ctx, report) => passthroughFindings(ctx.index, ctx.caps, ctx.gateways, report),
};

/** Whether a MeshPassthrough's top-level targetRef takes in the gateway's pods and passes something through. */
function selects(mp: any, pod: PodOwner): boolean {
  // unset is Matched (kumahq/kuma v2.14.3 pkg/plugins/policies/meshpassthrough/plugin/v1alpha1/plugin.go)
  const mode = mp.spec?.default?.passthroughMode ?? 'Matched';
  if (mode !== 'All' && mode !== 'Matched') return false;
  const ref = mp.spec?.targetRef ?? { kind: 'Mesh' };
  if (ref.kind === 'Mesh') return true;
  if (ref.kind !== 'Dataplane') return false;
  const labels: Record<string, string> = ref.labels ?? {};
  return Object.entries(labels).every(([k, v]) => pod.labels[k] === v)
    && (mp.metadata?.namespace === pod.namespace || Object.keys(labels).length === 0);
}

/** KUMA039 for every gateway. */
function passthroughFindings(index: ManifestIndex, caps: KumaCapabilities, gateways: PodOwner[], report: Report): void {
  if (!caps.passthroughNoneByDefault || gateways.length === 0) return;
  const passthroughs = index.manifests.filter((m) => m.obj?.apiVersion === 'kuma.io/v1alpha1' && m.obj?.kind === 'MeshPassthrough');
  for (const g of gateways) {
    if (passthroughs.some((m) => selects(m.obj, g))) continue;
    const reasons: string[] = [];
    const product = productOf(g)?.name;
    const containers = podTemplateOf(g.manifest.obj)?.spec?.containers;
    const images: string[] = (Array.isArray(containers) ? containers : []).map((c: any) => String(c?.image ?? ''));
    if (product === 'ingress-nginx' || product === 'Traefik' || runsKongIngressController(images)) {
      reasons.push(`its ${product === 'Kong' ? 'Kong ingress controller' : product} watches the Kubernetes API`);
    }
    for (const [b] of gatewayRouteBackends(index, [g])) {
      const svc = index.service(b.namespace, b.service)?.obj;
      const host = String(svc?.spec?.externalName ?? '').replace(/\.$/, '');
      if (svc?.spec?.type === 'ExternalName' && host !== '' && !/\.mesh(\.local)?$/.test(host)) reasons.push(`a route sends to ${describe(svc)} (${host})`);
    }
    if (reasons.length === 0) continue;
    report(g.manifest,
      `is a delegated gateway that sends traffic outside the mesh (${[...new Set(reasons)].join('; ')}), and no MeshPassthrough of these files selects it: a Kuma ${caps.version} sidecar no MeshPassthrough selects drops such traffic (passthrough is off by default, as reported for the release: kumahq/kuma issue #18801)`,
      'Add a MeshPassthrough that selects the gateway (targetRef kind Dataplane with its pod labels; passthroughMode All, or Matched with the API server\'s address and the external hosts); DelegatedGateway writes one for ingress-nginx, Traefik and Kong\'s controller.');
  }
}
