import { byLabels, reachableBackendsAnnotation, sortedRefs } from '../../kuma/_reachable-backends';
import { KumaAnnotation } from '../../kuma/well-known';
import { PodOwner, podMetadataPath } from '../../model/_manifests';
import { DerivedBackend, derivedBackend, describeRef } from '../../model/_reachable-derivation';
import { FindingSeverity } from '../finding';
import { RuleDefinition } from './rule';

export const KUMA011: RuleDefinition = {
  id: 'KUMA011',
  name: 'gateway-reachable-services',
  severity: FindingSeverity.WARNING,
  fixable: true,
  summary: 'A delegated gateway lists no reachable services (3.x: reachable backends); the ones its routes send to can be derived (MeshAnalyzer fix mode only, with exactly one gateway).',
  severityNote: 'An error on `--kuma-version 3.0`, where a sidecar without the list is reported to get no outbound on a control plane that restricts outbound traffic; a warning on 2.x, where it only gets outbounds for the whole mesh.',
  rationale: 'Without a reachable list a Kuma 2.x sidecar gets an outbound (listener, cluster, endpoints) for every service of the mesh, which on a gateway costs memory and a configuration push for every change anywhere in the mesh. Kuma 3.0 is reported to give a sidecar without `kuma.io/reachable-backends` no outbound at all unless the control plane is set to allow all outbound traffic (kumahq/kuma#18831), so the gateway\'s routes fail.',
  restsOn: 'Reads the set\'s only delegated gateway (silent with none or several) when its pod template lists neither `kuma.io/transparent-proxying-reachable-services` nor `kuma.io/reachable-backends`, and the backends of the routes it serves. It asks for the services list on 2.x outside Exclusive mode and for the backends list in Exclusive mode (2.9+) and on 3.x; silent when no backend can be derived.',
  fix: 'List exactly the backends the gateway\'s routes send to, in `kuma.io/transparent-proxying-reachable-services` (2.x) or `kuma.io/reachable-backends` (Exclusive mode, 3.x); `cdk8s-kuma lint --fix` writes the derived list when every backend can be listed.',
  exampleFlags: ['--kuma-version', '2.14'],
  sources: [
    'kumahq/kuma pkg/xds/sync/dataplane_proxy_builder.go@v2.14.3',
    'kumahq/kuma#18831',
    'https://developer.konghq.com/mesh/prepare-the-mesh-for-production/',
  ],
  check: (ctx, report) => {
    const { index, caps, gateways, exclusive } = ctx;
    const served = [...ctx.servedBy.keys()];
    // derive a single gateway's reachable services (2.x) or backends (3.x: the
    // kuma.io/service list is gone) from the routes (fix mode only), every backend or none.
    const gw1 = gateways.length === 1 ? gateways[0] : undefined;
    const listsReachable = (g: PodOwner) =>
      g.annotations[KumaAnnotation.REACHABLE_SERVICES] !== undefined || g.annotations[KumaAnnotation.REACHABLE_BACKENDS] !== undefined;
    // in meshServices.mode Exclusive: the backends list
    const mode = caps.metadataKeys.has(KumaAnnotation.REACHABLE_SERVICES) && !exclusive ? 'services'
      : caps.metadataKeys.has(KumaAnnotation.REACHABLE_BACKENDS) ? 'backends' : undefined;
    if (gw1 !== undefined && !listsReachable(gw1) && mode !== undefined) {
      const derived = served.map((b) => derivedBackend(index, b, mode)).filter((d): d is DerivedBackend => d !== undefined);
      const unlisted = [...new Set(derived.flatMap((d) => 'unlisted' in d ? [d.unlisted] : []))];
      // a list without one of the backends would cut the gateway off from it: no fix then
      const notFixed = unlisted.length === 0 ? '' : `; not derived, because a list without every backend would cut the gateway off from the others: ${unlisted.join('; ')}`;
      if (mode === 'services') {
        const names = [...new Set(derived.flatMap((d) => 'service' in d ? [d.service] : []))].sort();
        if (names.length > 0 || unlisted.length > 0) {
          report(gw1.manifest,
            `lists no reachable services, so its sidecar builds outbounds for the whole mesh; its routes send to ${names.join(', ') || 'no kuma.io/service it can list'}${notFixed}`,
            unlisted.length > 0 ? {
              api: 'Set reachableBackends (Kuma 2.9+: MeshService hostnames by their labels) together with reachableServices, or leave both unset.',
              cli: 'List every backend: kuma.io/reachable-backends (Kuma 2.9+, MeshServices by labels) together with kuma.io/transparent-proxying-reachable-services, or leave both unset.',
            } : {
              api: 'Set reachableServices on the gateway, or run MeshAnalyzer with fix: true to derive them.',
              cli: 'List them in kuma.io/transparent-proxying-reachable-services on the pod template (cdk8s-kuma lint --fix writes them).',
            },
            { autoFix: unlisted.length > 0 ? undefined : { kind: 'reachable-services', gateway: gw1, services: names } });
        }
      } else {
        // Kuma 3.0 reads refs by labels only (kumahq/kuma PR #18832, reported for the release)
        const shaped = derived.flatMap((d) => 'ref' in d ? [caps.reachableBackendsByLabels ? byLabels(d.ref) : d.ref] : []);
        const refs = sortedRefs(shaped);
        if (refs.length > 0 || unlisted.length > 0) {
          const yaml = reachableBackendsAnnotation(refs);
          // Kuma 3.0 gives a sidecar without the list no outbound at all (kumahq/kuma PR #18831,
          // reported for the release), unless its control plane is told to allow all outbound traffic
          const restricted = caps.restrictsOutboundByDefault;
          report(gw1.manifest,
            `lists no reachable backends, so ${restricted
              ? `its sidecar gets no outbound on a control plane that restricts outbound traffic (Kuma ${ctx.version}'s default, as reported for the release: kumahq/kuma PR #18831; not if the control plane sets restrictOutbound: false), and its routes fail`
              : 'its sidecar builds outbounds for the whole mesh'}; its routes send to ${refs.map(describeRef).join(', ') || 'no backend it can list'}${notFixed}`,
            unlisted.length > 0 ? {
              api: 'Point the routes at MeshService hostnames (<name>.<namespace>.svc.<zone>.mesh.local) and set reachableBackends, or leave it unset.',
              cli: 'Point the routes at MeshService hostnames and list them in kuma.io/reachable-backends, or leave it unset.',
            } : {
              api: restricted ? 'Leave deriveReachableBackends on (DelegatedGateway derives them on Kuma 3.x), set reachableBackends, or run MeshAnalyzer with fix: true.'
                : 'Set reachableBackends on the gateway, or run MeshAnalyzer with fix: true to derive them.',
              cli: 'List them in kuma.io/reachable-backends on the pod template (cdk8s-kuma lint --fix writes them).',
            },
            {
              severity: restricted ? FindingSeverity.ERROR : FindingSeverity.WARNING,
              autoFix: unlisted.length > 0 ? undefined
                : { kind: 'edit', target: gw1.manifest, ops: [{ op: 'set', path: [...podMetadataPath(gw1.manifest.obj)!, 'annotations', KumaAnnotation.REACHABLE_BACKENDS], value: yaml }] },
            });
        }
      }
    }
  },
};
