import type { EditOp, FixText } from './_rules';
import { FindingSeverity } from './finding';
import { KumaCapabilities } from '../kuma/_kuma-capabilities';
import { CONTROL_PLANE_LABELS, OWNED_LABEL_PROBLEM } from '../kuma/_owned-labels';
import { byLabels, parseBackendRefs, reachableBackendsAnnotation } from '../kuma/_reachable-backends';
import { KumaAnnotation } from '../kuma/well-known';
import { describe, Manifest, ManifestIndex, PodOwner, podMetadataPath, podTemplateOf } from '../model/_manifests';

/*
 * What a Kuma 3.x mesh needs for identity and labels, on hand-written YAML:
 * - KUMA035 control-plane-owned-label: a label Kuma computes (pkg/core/resources/labels/
 *   registry.go) written on a Kuma resource, a meshed pod template (its Dataplane's labels) or a
 *   Service of meshed pods (copied onto its MeshService). Kuma 3.0 refuses it (kumahq/kuma PR
 *   #18273 for k8s.kuma.io/service-account, merged; PR #18760 for the others, reported); 2.x
 *   overwrites it or keeps the wrong value.
 * - KUMA036 reachable-backends-by-name: a `kuma.io/reachable-backends` ref by `name`/`namespace`,
 *   which Kuma 3.0 resolves to nothing ("select reachableBackends by labels only", kumahq/kuma PR
 *   #18832; reported for the release). Fixable: the same refs by labels.
 * - KUMA037 mesh-identity-missing: MeshTrafficPermissions of a mesh that no MeshIdentity of the set
 *   covers: Kuma 3.0 applies them only to proxies a MeshIdentity matches, and a mesh without one
 *   serves plaintext (kumahq/kuma UPGRADE.md, "Upgrade to 3.0.0"). It assumes the set holds the
 *   mesh's identities, and says so.
 * - KUMA038 gateway-default-service-account: a delegated gateway under the namespace's `default`
 *   ServiceAccount that a permission of the set lets in by that SPIFFE ID (`/ns/<ns>/sa/default`,
 *   Kuma's default path template), which every pod without an account of its own shares: the
 *   permission lets them all in.
 */

type Emit = (id: string, severity: FindingSeverity, m: Manifest, message: string, fix: FixText, edit?: { target: Manifest; ops: EditOp[] }) => void;

/** KUMA035 - KUMA038. */
export function identityFindings(index: ManifestIndex, caps: KumaCapabilities, gateways: PodOwner[], emit: Emit): void {
  const severity = caps.permissionRules ? FindingSeverity.ERROR : FindingSeverity.WARNING;
  const owned = (labels: Record<string, unknown> | undefined, allowed: (key: string, value: unknown) => boolean) =>
    Object.entries(labels ?? {}).filter(([k, v]) => CONTROL_PLANE_LABELS.includes(k) && !allowed(k, v)).map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
  const report = (m: Manifest, where: string, keys: string[]) => {
    if (keys.length === 0) return;
    emit('KUMA035', severity, m, `carries ${keys.join(', ')} ${where}, which ${OWNED_LABEL_PROBLEM.replace(/^is a label/, keys.length > 1 ? 'are labels' : 'is a label')}`,
      'Remove it: select by it in policies, but let the control plane set it.');
  };

  // KUMA035: Kuma resources (kuma.io/origin zone or global is what Kuma requires on federated ones)
  for (const m of index.manifests) {
    const o = m.obj;
    if (o === null || typeof o !== 'object' || o.apiVersion !== 'kuma.io/v1alpha1') continue;
    report(m, 'in its labels', owned(o.metadata?.labels, (k, v) => k === 'kuma.io/origin' && (v === 'zone' || v === 'global')));
  }
  // ... meshed pods (their Dataplane's labels) and the Services of meshed pods (their MeshService's)
  for (const pod of index.pods) {
    if (index.meshed(pod) === false) continue;
    report(pod.manifest, 'on its pods', owned(pod.labels, () => false));
  }
  for (const svc of index.services) {
    if (!index.selectedPods(svc.obj).some((p) => index.meshed(p) === true)) continue;
    report(svc, 'in its labels (Kuma copies them onto its MeshService)', owned(svc.obj.metadata?.labels, () => false));
  }

  // KUMA036: refs by name in kuma.io/reachable-backends, on 3.0
  if (caps.reachableBackendsByLabels) {
    for (const pod of index.pods) {
      const text = pod.annotations[KumaAnnotation.REACHABLE_BACKENDS];
      const refs = text === undefined ? undefined : parseBackendRefs(String(text));
      if (refs === undefined || !refs.some((r) => r.name !== undefined || r.namespace !== undefined)) continue;
      const fixed = refs.map((r) => byLabels({ ...r, namespace: r.name !== undefined ? r.namespace ?? pod.namespace : r.namespace }));
      const path = podMetadataPath(pod.manifest.obj);
      emit('KUMA036', FindingSeverity.ERROR, pod.manifest,
        `lists backends by name in kuma.io/reachable-backends, which Kuma ${caps.version} resolves to nothing, so the sidecar gets no outbound for them (refs select by labels only: kumahq/kuma PR #18832, as reported for the release)`,
        {
          api: 'Name each backend by its labels kuma.io/display-name and k8s.kuma.io/namespace (ReachableBackend writes them so on Kuma 3.x).',
          cli: 'Name each backend by its labels kuma.io/display-name and k8s.kuma.io/namespace (cdk8s-kuma lint --fix rewrites them).',
        },
        path === undefined ? undefined : {
          target: pod.manifest,
          ops: [{ op: 'set', path: [...path, 'annotations', KumaAnnotation.REACHABLE_BACKENDS], value: reachableBackendsAnnotation(fixed) }],
        });
    }
  }

  if (!caps.permissionRules) return;
  // KUMA037: permissions of a mesh the set gives no MeshIdentity
  const identities = new Set(index.manifests.filter((m) => m.obj?.apiVersion === 'kuma.io/v1alpha1' && m.obj?.kind === 'MeshIdentity')
    .map((m) => m.obj.metadata?.labels?.['kuma.io/mesh'] ?? 'default'));
  for (const m of index.manifests) {
    const o = m.obj;
    if (o?.apiVersion !== 'kuma.io/v1alpha1' || o?.kind !== 'MeshTrafficPermission') continue;
    const mesh = o.metadata?.labels?.['kuma.io/mesh'] ?? index.namespaceLabels(o.metadata?.namespace)?.['kuma.io/mesh'] ?? 'default';
    if (identities.has(mesh)) continue;
    emit('KUMA037', FindingSeverity.WARNING, m,
      `is a permission of mesh ${mesh}, and these files have no MeshIdentity of it (assuming they hold the mesh's identities): Kuma ${caps.version} applies MeshTrafficPermissions only to proxies a MeshIdentity matches, and a mesh without one serves plaintext and lets every client in (kumahq/kuma UPGRADE.md, "Upgrade to 3.0.0")`,
      { api: 'Add a MeshIdentity of the mesh (MeshIdentity), or ignore KUMA037 where the cluster has one.', cli: 'Add a MeshIdentity of the mesh, or ignore KUMA037 where the cluster has one.' });
  }

  // KUMA038: a gateway under the default ServiceAccount that a permission of the set lets in
  const allowed = index.manifests.filter((m) => m.obj?.apiVersion === 'kuma.io/v1alpha1' && m.obj?.kind === 'MeshTrafficPermission')
    .flatMap((m) => (Array.isArray(m.obj.spec?.rules) ? m.obj.spec.rules : [])
      .flatMap((r: any) => (Array.isArray(r?.default?.allow) ? r.default.allow : []))
      .map((a: any) => ({ m, id: String(a?.spiffeID?.value ?? '') })));
  for (const g of gateways) {
    const spec = podTemplateOf(g.manifest.obj)?.spec ?? {};
    const account = spec.serviceAccountName ?? spec.serviceAccount ?? 'default';
    if (account !== 'default' || g.namespace === undefined) continue;
    const permission = allowed.find((a) => a.id.endsWith(`/ns/${g.namespace}/sa/default`));
    if (permission === undefined) continue;
    emit('KUMA038', FindingSeverity.WARNING, g.manifest,
      `is a delegated gateway under the default ServiceAccount of namespace ${g.namespace}, and ${describe(permission.m.obj)} lets in its SPIFFE ID ${permission.id} (Kuma's default path template), which every pod of the namespace without an account of its own shares: the permission lets them all in`,
      'Give the gateway a ServiceAccount of its own (spec.template.spec.serviceAccountName), and allow that one.');
  }
}
