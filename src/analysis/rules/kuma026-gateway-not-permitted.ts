import { Report, RuleDefinition } from './rule';
import { kumaServiceTag } from '../../kuma/_addresses';
import { KumaCapabilities } from '../../kuma/_kuma-capabilities';
import { KumaLabel } from '../../kuma/well-known';
import { describe, Manifest, ManifestIndex, PodOwner, RouteBackend } from '../../model/_manifests';
import { targetRefSelects } from '../../model/_policy-targets';
import { isKongControllerOnly } from '../../model/_route-owners';
import { FindingSeverity } from '../finding';

/*
 * KUMA026: a Kuma 2.x mesh with mTLS on denies traffic no MeshTrafficPermission allows, so a
 * delegated gateway routing into it gets "RBAC: access denied" (403) or 502s until an MTP lets it
 * in (kumahq/kuma#995, #5087; Kong Mesh's delegated gateway guide: "Make sure that your mesh is
 * configured to allow external traffic using a MeshTrafficPermission policy",
 * https://developer.konghq.com/mesh/gateway-delegated). Only meshes whose Mesh object is in the set
 * with spec.mtls.enabledBackend are checked, and the finding is a warning that says it assumes no
 * permission outside these files: an MTP elsewhere, or a legacy TrafficPermission, may allow it.
 * An MTP allows the gateway when its top-level targetRef selects the backend's pods (Mesh,
 * MeshSubset tags, Dataplane labels, MeshService) and one of its `from` entries with action Allow
 * (or AllowWithShadowDeny) selects the gateway; a targetRef the manifests cannot resolve counts as
 * allowing (no finding rests on a guess).
 */

export const KUMA026: RuleDefinition = {
  id: 'KUMA026',
  name: 'gateway-not-permitted',
  severity: FindingSeverity.WARNING,
  fixable: false,
  summary: 'Kuma 2.x: a delegated gateway routes to pods of a mesh whose Mesh (in the set) runs mTLS, and no MeshTrafficPermission in the set allows the gateway in: Kuma denies its requests unless a permission elsewhere does (kumahq/kuma#995, #5087).',
  rationale: 'With mTLS enabled, a Kuma 2.x mesh lets in only the traffic a permission allows, so the gateway\'s requests to these pods are refused ("RBAC: access denied") unless a MeshTrafficPermission lets the gateway in.',
  restsOn: 'Reads Meshes of the files with `spec.mtls.enabledBackend`, the meshed pods behind routes a delegated gateway serves, and the files\' MeshTrafficPermissions (a `from` entry with action Allow or AllowWithShadowDeny whose targetRef selects the gateway). Only on 2.x; silent when the files hold a legacy TrafficPermission, and it assumes no permission outside the files.',
  fix: 'Add a MeshTrafficPermission whose targetRef selects the backend pods and whose `from` allows the gateway (a MeshSubset of its tags, such as its `kuma.io/service`, with action `Allow`).',
  exampleFlags: ['--kuma-version', '2.14'],
  sources: [
    'https://developer.konghq.com/mesh/gateway-delegated',
    'kumahq/kuma#5087',
    'kumahq/kuma#995',
  ],
  check: (ctx, report) => gatewayPermissionFindings(ctx.index, ctx.caps, ctx.gateways, [...ctx.servedBy.keys()], ctx.serviceTagOf, report),
};

const ALLOW = new Set(['Allow', 'AllowWithShadowDeny']);

/** KUMA026 for the set's 2.x meshes with mTLS. */
function gatewayPermissionFindings(index: ManifestIndex, caps: KumaCapabilities, gateways: PodOwner[],
  served: RouteBackend[], gwTag: (gateway: PodOwner) => string | undefined, report: Report): void {
  if (caps.permissionRules || gateways.length === 0) return; // 3.x permissions match SPIFFE IDs (KUMA015 and allowTo())
  const mtlsMeshes = new Map([...index.meshes].filter(([, m]) => typeof m.obj.spec?.mtls?.enabledBackend === 'string' && m.obj.spec.mtls.enabledBackend !== ''));
  if (mtlsMeshes.size === 0) return;
  // a legacy TrafficPermission in the set: its matching is not modelled here, so nothing is claimed
  if (index.manifests.some((m) => m.obj?.apiVersion === 'kuma.io/v1alpha1' && m.obj?.kind === 'TrafficPermission')) return;
  const permissions = index.manifests.filter((m) => m.obj?.apiVersion === 'kuma.io/v1alpha1' && m.obj?.kind === 'MeshTrafficPermission');
  // a client named by its kuma.io/service when no Service of the set selects the gateway: Kuma
  // then names it <workload>_<namespace>_svc, but a Service outside these files would name it
  // after itself, so the permission may well be for it and counts as allowing
  const unresolvable = (ref: any, g: PodOwner) => (gwTag(g) === undefined || /_svc$/.test(gwTag(g)!))
    && (ref?.kind === 'MeshService' || ref?.kind === 'MeshServiceSubset' || ref?.tags?.['kuma.io/service'] !== undefined);
  const mesh = (p: PodOwner) => index.meshOf(p, !caps.meshAnnotationIgnored).mesh;
  const meshOfPolicy = (m: Manifest) => m.obj.metadata?.labels?.[KumaLabel.MESH] ?? 'default';

  const allows = (g: PodOwner, backend: PodOwner, backendTags: string[]) => permissions.some((p) => {
    if (meshOfPolicy(p) !== mesh(backend)) return false;
    const ns = p.obj.metadata?.namespace;
    const targets = [undefined, ...backendTags].some((tag) => targetRefSelects(index, p.obj.spec?.targetRef, ns, backend, tag, true) !== undefined);
    if (!targets) return false;
    return (p.obj.spec?.from ?? []).some((f: any) => ALLOW.has(f?.default?.action)
      && (targetRefSelects(index, f?.targetRef, ns, g, gwTag(g), true) !== undefined || unresolvable(f?.targetRef, g)));
  });

  const reported = new Set<string>();
  for (const b of served) {
    const svc = index.service(b.namespace, b.service);
    if (svc === undefined || svc.obj.spec?.type === 'ExternalName') continue;
    const pods = index.selectedPods(svc.obj).filter((p) => index.meshed(p) === true && mtlsMeshes.has(mesh(p)));
    // the backend's kuma.io/service names, one per Service port (a policy may target any of them)
    const tags = (svc.obj.spec?.ports ?? []).map((p: any) => kumaServiceTag(svc.obj.metadata?.name, svc.obj.metadata?.namespace, p.port));
    for (const backend of pods) {
      // the pods that send the route's traffic: Kong's controller only configures the proxy
      const inMesh = gateways.filter((g) => mesh(g) === mesh(backend) && !isKongControllerOnly(g));
      const denied = inMesh.filter((g) => !allows(g, backend, tags));
      if (denied.length === 0) continue;
      const key = `${describe(b.route.obj)}|${describe(backend.manifest.obj)}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const m = mtlsMeshes.get(mesh(backend))!;
      const who = denied.map((g) => describe(g.manifest.obj)).join(', ');
      report(b.route,
        `sends ${who} to ${describe(svc.obj)}, whose pods (${describe(backend.manifest.obj)}) are in mesh ${mesh(backend)}, which runs mTLS (Mesh ${m.obj.metadata?.name}: mtls.enabledBackend ${m.obj.spec.mtls.enabledBackend}), and no MeshTrafficPermission in these files allows ${denied.length === 1 ? 'the gateway' : 'the gateways'} in: Kuma denies ${denied.length === 1 ? 'its' : 'their'} requests ("RBAC: access denied") unless a permission outside these files allows them`,
        {
          api: 'Let the gateway in with DelegatedGateway.allowTo() (or allowToRouteBackends()) for the upstream.',
          cli: `Add a MeshTrafficPermission whose targetRef selects ${describe(backend.manifest.obj)} and whose from allows the gateway (a MeshSubset with its kuma.io/service${gwTag(denied[0]) === undefined ? '' : ` ${gwTag(denied[0])}`}, action Allow).`,
        }, { at: b.path });
    }
  }
}
