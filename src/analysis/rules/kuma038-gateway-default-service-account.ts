import { describe, podTemplateOf } from '../../model/_manifests';
import { FindingSeverity } from '../finding';
import { RuleDefinition } from './rule';

/*
 * KUMA038 gateway-default-service-account: a delegated gateway under the namespace's `default`
 * ServiceAccount that a permission of the set lets in by that SPIFFE ID (`/ns/<ns>/sa/default`,
 * Kuma's default path template), which every pod without an account of its own shares: the
 * permission lets them all in.
 */

export const KUMA038: RuleDefinition = {
  id: 'KUMA038',
  name: 'gateway-default-service-account',
  severity: FindingSeverity.WARNING,
  fixable: false,
  summary: 'A Kuma 3.x delegated gateway runs under its namespace\'s default ServiceAccount, and a permission lets in that SPIFFE ID, which every pod of the namespace without an account of its own shares: the permission lets them all in.',
  rationale: 'Under Kuma\'s default SPIFFE path template (`/ns/<namespace>/sa/<serviceaccount>`) a workload\'s identity is its namespace and ServiceAccount, and every pod that names no account runs as `default`, so a permission that lets in `.../ns/<namespace>/sa/default` lets in every such pod of the namespace, not only the gateway.',
  restsOn: 'Reads delegated gateways whose pod template names no ServiceAccount (or `default`) and the `rules[].default.allow[].spiffeID.value` of the files\' MeshTrafficPermissions, matching any value that ends in `/ns/<gateway namespace>/sa/default`, with `--kuma-version 3.0`; silent on 2.x.',
  fix: 'Give the gateway a ServiceAccount of its own (`spec.template.spec.serviceAccountName`) and allow that identity instead.',
  exampleFlags: ['--kuma-version', '3.0'],
  sources: [
    'kumahq/kuma pkg/core/resources/apis/meshidentity/api/v1alpha1/helpers.go@348b6528bc',
    'https://kubernetes.io/docs/concepts/security/service-accounts/#default-service-accounts',
  ],
  check: (ctx, report) => {
    const { index, caps, gateways } = ctx;
    if (!caps.permissionRules) return;
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
      report(g.manifest,
        `is a delegated gateway under the default ServiceAccount of namespace ${g.namespace}, and ${describe(permission.m.obj)} lets in its SPIFFE ID ${permission.id} (Kuma's default path template), which every pod of the namespace without an account of its own shares: the permission lets them all in`,
        'Give the gateway a ServiceAccount of its own (spec.template.spec.serviceAccountName), and allow that one.', { at: [...g.metadataPath.slice(0, -1), 'spec', 'serviceAccountName'] });
    }
  },
};
