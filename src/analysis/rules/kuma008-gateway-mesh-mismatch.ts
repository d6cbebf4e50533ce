import { describe } from '../../model/_manifests';
import { FindingSeverity } from '../finding';
import { RuleDefinition } from './rule';

export const KUMA008: RuleDefinition = {
  id: 'KUMA008',
  name: 'gateway-mesh-mismatch',
  severity: FindingSeverity.ERROR,
  fixable: false,
  summary: 'A route sends to pods in a mesh in which no delegated gateway of the set runs.',
  rationale: 'A data plane proxy belongs to exactly one mesh and gets outbounds and mTLS identities for that mesh only, so a gateway in another mesh has no mesh route to these pods: its requests leave as plain traffic, and a backend that requires mTLS refuses them.',
  restsOn: 'Reads the routes the set\'s delegated gateways serve, the pods their backend Services select (unless known unmeshed), and each side\'s mesh as Kuma resolves it: pod label, pod annotation, namespace label, namespace annotation, else `default` (3.x: labels only). Runs on every `--kuma-version`; silent without a delegated gateway in the set.',
  fix: 'Put the gateway and its backends in one mesh with the `kuma.io/mesh` label on both pod templates or their namespaces, or reach the other mesh explicitly through a MeshExternalService.',
  exampleFlags: ['--kuma-version', '2.14'],
  sources: [
    'kumahq/kuma pkg/plugins/runtime/k8s/util/util.go@v2.14.3',
    'kumahq/kuma pkg/plugins/runtime/k8s/util/util.go@348b6528bc',
    'https://developer.konghq.com/mesh/mesh-multi-tenancy',
  ],
  check: (ctx, report) => {
    const { index, gateways } = ctx;
    if (gateways.length === 0) return;
    // the mesh as Kuma resolves it: labels, and in 2.x the deprecated annotations (kumahq/kuma-website#952)
    const readsAnnotation = !ctx.caps.meshAnnotationIgnored;
    const gatewayMeshes = new Map(gateways.map((g) => [index.meshOf(g, readsAnnotation).mesh, `${describe(g.manifest.obj)} by ${index.meshOf(g, readsAnnotation).how}`]));
    for (const b of ctx.servedBy.keys()) {
      const svc = index.service(b.namespace, b.service);
      if (svc === undefined) continue;
      const meshes = new Map<string, string>();
      for (const p of index.selectedPods(svc.obj).filter((x) => index.meshed(x) !== false)) {
        const m = index.meshOf(p, readsAnnotation);
        if (!meshes.has(m.mesh)) meshes.set(m.mesh, m.how);
      }
      for (const [mesh, how] of meshes) {
        if (gatewayMeshes.has(mesh)) continue;
        report(b.route,
          `routes to ${describe(svc.obj)}, whose pods are in mesh ${mesh} (by ${how}), but the delegated gateways are in ${[...gatewayMeshes].map(([m, why]) => `${m} (${why})`).join(', ')}`,
          'Put the gateway and the services it routes to in the same mesh, with the kuma.io/mesh label on both (an annotation is deprecated, and ignored by Kuma 3.x), or route across meshes through a MeshExternalService.', { at: b.path });
      }
    }
  },
};
