import { FindingSeverity } from '../finding';
import { RuleDefinition } from './rule';

export const KUMA010: RuleDefinition = {
  id: 'KUMA010',
  name: 'mesh-vip-exclusive',
  severity: FindingSeverity.ERROR,
  fixable: false,
  summary: 'An ExternalName Service points at a .mesh name while the mesh runs meshServices.mode Exclusive, where .mesh VIPs are not served.',
  rationale: 'Kuma 2.x builds no `kuma.io/service` VIPs in a mesh running `meshServices.mode: Exclusive`, and Kuma 3.x removed them with the mode field (every mesh behaves as Exclusive), so a `.mesh` name has no outbound behind it and the route\'s requests fail.',
  restsOn: 'Reads ExternalName Services that routes of the set send to and whose `externalName` ends in `.mesh`, with the services mode from `--mesh-services-mode` or the Mesh named `default` in the files. On `--kuma-version 3.0` it applies whatever the mode; on 2.x it is silent unless the mode is known to be Exclusive.',
  fix: 'Point the ExternalName at the MeshService hostname `<name>.<namespace>.svc.<zone>.mesh.local` (or `<name>.mzsvc.mesh.local` for a MeshMultiZoneService) and send to the Service\'s real port.',
  exampleFlags: ['--kuma-version', '2.14'],
  sources: [
    'kumahq/kuma pkg/xds/context/mesh_context_builder.go@v2.14.3',
    'kumahq/kuma UPGRADE.md@348b6528bc',
    'kumahq/kuma pkg/defaults/hostname_generator.go@v2.14.3',
  ],
  check: (ctx, report) => {
    if (!ctx.exclusive && ctx.caps.meshVips) return;
    for (const b of ctx.backends) {
      const svc = ctx.index.service(b.namespace, b.service);
      if (svc?.obj.spec?.type !== 'ExternalName') continue;
      const name = String(svc.obj.spec.externalName ?? '');
      if (!name.endsWith('.mesh')) continue;
      report(svc,
        `points at ${name}, but the mesh runs meshServices.mode Exclusive${!ctx.caps.meshVips ? ` (every ${ctx.version} mesh does)` : ''}, where .mesh VIPs are not served`,
        'Point it at the MeshService hostname <name>.<namespace>.svc.<zone>.mesh.local or <name>.mzsvc.mesh.local, with the real port.', { at: ['spec', 'externalName'] });
    }
  },
};
