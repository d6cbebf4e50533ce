import { describe, podTemplateOf } from '../../model/_manifests';
import { FindingSeverity } from '../finding';
import { emitter, RuleDefinition } from './rule';

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
  example: {
    flags: ['--kuma-version', '3.0'],
    bad: `# KUMA038 bad: the Kong gateway runs as kong's default ServiceAccount and the permission lets in .../ns/kong/sa/default, an identity every pod of namespace kong without its own account shares
apiVersion: v1
kind: Namespace
metadata:
  name: kong
  labels:
    kuma.io/sidecar-injection: enabled
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: kong
  namespace: kong
spec:
  selector:
    matchLabels:
      app: kong
  template:
    metadata:
      labels:
        app: kong
      annotations:
        traffic.kuma.io/exclude-inbound-ports: "8000,8443"
    spec:
      containers:
        - name: proxy
          image: kong:3.9
---
apiVersion: kuma.io/v1alpha1
kind: MeshTrafficPermission
metadata:
  name: kong-to-web
  namespace: shop
  labels:
    kuma.io/mesh: default
spec:
  targetRef:
    kind: Dataplane
    labels:
      app: web
  rules:
    - default:
        allow:
          - spiffeID:
              type: Exact
              value: spiffe://default.zone-1.mesh.local/ns/kong/sa/default
---
apiVersion: kuma.io/v1alpha1
kind: MeshIdentity
metadata:
  name: identity
  namespace: kuma-system
  labels:
    kuma.io/mesh: default
spec:
  selector:
    dataplane:
      matchLabels: {}
  provider:
    type: Bundled
    bundled:
      autogenerate:
        enabled: true
`,
    good: `# KUMA038 good: the gateway runs as its own ServiceAccount kong, and the permission lets in only .../ns/kong/sa/kong
apiVersion: v1
kind: Namespace
metadata:
  name: kong
  labels:
    kuma.io/sidecar-injection: enabled
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: kong
  namespace: kong
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: kong
  namespace: kong
spec:
  selector:
    matchLabels:
      app: kong
  template:
    metadata:
      labels:
        app: kong
      annotations:
        traffic.kuma.io/exclude-inbound-ports: "8000,8443"
    spec:
      serviceAccountName: kong
      containers:
        - name: proxy
          image: kong:3.9
---
apiVersion: kuma.io/v1alpha1
kind: MeshTrafficPermission
metadata:
  name: kong-to-web
  namespace: shop
  labels:
    kuma.io/mesh: default
spec:
  targetRef:
    kind: Dataplane
    labels:
      app: web
  rules:
    - default:
        allow:
          - spiffeID:
              type: Exact
              value: spiffe://default.zone-1.mesh.local/ns/kong/sa/kong
---
apiVersion: kuma.io/v1alpha1
kind: MeshIdentity
metadata:
  name: identity
  namespace: kuma-system
  labels:
    kuma.io/mesh: default
spec:
  selector:
    dataplane:
      matchLabels: {}
  provider:
    type: Bundled
    bundled:
      autogenerate:
        enabled: true
`,
  },
  sources: [
    'kumahq/kuma pkg/core/resources/apis/meshidentity/api/v1alpha1/helpers.go@348b6528bc',
    'https://kubernetes.io/docs/concepts/security/service-accounts/#default-service-accounts',
  ],
  check: (ctx, report) => {
    const { index, caps, gateways } = ctx;
    const emit = emitter(report);
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
      emit(FindingSeverity.WARNING, g.manifest,
        `is a delegated gateway under the default ServiceAccount of namespace ${g.namespace}, and ${describe(permission.m.obj)} lets in its SPIFFE ID ${permission.id} (Kuma's default path template), which every pod of the namespace without an account of its own shares: the permission lets them all in`,
        'Give the gateway a ServiceAccount of its own (spec.template.spec.serviceAccountName), and allow that one.');
    }
  },
};
