import { FindingSeverity } from '../finding';
import { RuleDefinition } from './rule';

/*
 * KUMA037 mesh-identity-missing: MeshTrafficPermissions of a mesh that no MeshIdentity of the set
 * covers: Kuma 3.0 applies them only to proxies a MeshIdentity matches, and a mesh without one
 * serves plaintext (kumahq/kuma UPGRADE.md, "Upgrade to 3.0.0"). It assumes the set holds the
 * mesh's identities, and says so.
 */

export const KUMA037: RuleDefinition = {
  id: 'KUMA037',
  name: 'mesh-identity-missing',
  severity: FindingSeverity.WARNING,
  fixable: false,
  summary: 'Kuma 3.x MeshTrafficPermissions of a mesh that no MeshIdentity in the files covers: permissions apply only to proxies a MeshIdentity matches, and a mesh without one serves plaintext and lets every client in.',
  rationale: 'In Kuma 3.0 a proxy gets mTLS only when a MeshIdentity matches it, and a mesh whose proxies no MeshIdentity covers serves and accepts plaintext with MeshTrafficPermissions no longer applied, so the permission restricts nothing and every client gets in.',
  restsOn: 'Reads the files\' MeshTrafficPermissions and MeshIdentities by mesh (the `kuma.io/mesh` label, for a permission also its namespace\'s label, else `default`), with `--kuma-version 3.0`; it assumes the files hold the mesh\'s identities and does not check a MeshIdentity\'s selector. Silent on 2.x.',
  fix: 'Add a MeshIdentity for the mesh (for example a Bundled one selecting every Dataplane), or ignore KUMA037 where the cluster already has one.',
  exampleFlags: ['--kuma-version', '3.0'],
  sources: [
    'kumahq/kuma UPGRADE.md@348b6528bc',
    'kumahq/kuma deployments/charts/kuma/crds/kuma.io_meshidentities.yaml@348b6528bc',
  ],
  check: (ctx, report) => {
    const { index, caps } = ctx;
    if (!caps.permissionRules) return;
    // KUMA037: permissions of a mesh the set gives no MeshIdentity
    const identities = new Set(index.manifests.filter((m) => m.obj?.apiVersion === 'kuma.io/v1alpha1' && m.obj?.kind === 'MeshIdentity')
      .map((m) => m.obj.metadata?.labels?.['kuma.io/mesh'] ?? 'default'));
    for (const m of index.manifests) {
      const o = m.obj;
      if (o?.apiVersion !== 'kuma.io/v1alpha1' || o?.kind !== 'MeshTrafficPermission') continue;
      const mesh = o.metadata?.labels?.['kuma.io/mesh'] ?? index.namespaceLabels(o.metadata?.namespace)?.['kuma.io/mesh'] ?? 'default';
      if (identities.has(mesh)) continue;
      report(m,
        `is a permission of mesh ${mesh}, and these files have no MeshIdentity of it (assuming they hold the mesh's identities): Kuma ${caps.version} applies MeshTrafficPermissions only to proxies a MeshIdentity matches, and a mesh without one serves plaintext and lets every client in (kumahq/kuma UPGRADE.md, "Upgrade to 3.0.0")`,
        { api: 'Add a MeshIdentity of the mesh (MeshIdentity), or ignore KUMA037 where the cluster has one.', cli: 'Add a MeshIdentity of the mesh, or ignore KUMA037 where the cluster has one.' });
    }
  },
};
