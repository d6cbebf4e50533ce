/**
 * Policy roles as Kuma computes them (`ComputePolicyRole`): the cases of Kuma's own
 * pkg/core/resources/labels/compute_test.go (master 348b6528bc, labels refs) and their 2.x shape
 * (v2.14.3, name refs), then the gateway policies the library writes: always consumer policies.
 */
import { Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { DelegatedGatewayDeployment, GatewayFlavour, KumaVersion, Mesh, MeshAnalysis, MeshNamespace, MeshService, MeshServicesMode } from '../src';
import { synthValid } from './support/validate';
import { computePolicyRole, MIXED_FROM_TO, MIXED_ROLES } from '../src/kuma/_policy-role';

process.env.CDK8S_KUMA_QUIET = '1';

const ms = (labels: Record<string, string>) => ({ kind: 'MeshService', labels });
const to = (...refs: any[]) => ({ targetRef: { kind: 'Mesh' }, to: refs.map((targetRef) => ({ targetRef, default: { idleTimeout: '123s' } })) });

describe('computePolicyRole: Kuma\'s compute_test.go cases (3.0, labels refs)', () => {
  const role = (spec: any, ns: string) => computePolicyRole(spec, ns, 'kuma-system', 'labels');
  test.each([
    ['consumer policy', to({ kind: 'Mesh' }), 'kuma-demo', { role: 'consumer' }],
    ['consumer policy with labels', to(ms({ 'kuma.io/display-name': 'test', 'kuma.io/zone': 'zone-1', 'k8s.kuma.io/namespace': 'kuma-demo' })), 'kuma-demo', { role: 'consumer' }],
    ['producer policy', to(ms({ 'kuma.io/display-name': 'backend', 'k8s.kuma.io/namespace': 'kuma-demo' })), 'kuma-demo', { role: 'producer' }],
    ['producer policy with no namespace in to[]', to(ms({ 'kuma.io/display-name': 'backend' })), 'kuma-demo', { role: 'producer' }],
    ['producer policy for MeshHTTPRoute', to({ kind: 'MeshHTTPRoute', labels: { 'kuma.io/display-name': 'route-1', 'k8s.kuma.io/namespace': 'kuma-demo' } }), 'kuma-demo', { role: 'producer' }],
    ['workload-owner policy with rules', { targetRef: { kind: 'Mesh' }, rules: [{ default: { backends: [] } }] }, 'kuma-demo', { role: 'workload-owner' }],
    ['policy with consumer and producer to-items', to(
      ms({ 'kuma.io/display-name': 'backend-1', 'k8s.kuma.io/namespace': 'backend-1-ns' }),
      ms({ 'kuma.io/display-name': 'backend-2', 'k8s.kuma.io/namespace': 'backend-2-ns' })), 'backend-1-ns', { error: MIXED_ROLES }],
  ])('%s', (_name, spec, ns, expected) => {
    expect(role(spec, ns)).toEqual(expected);
  });

  test('the system namespace, and no namespace (Universal), give system', () => {
    expect(role(to(ms({ 'kuma.io/display-name': 'backend' })), 'kuma-system')).toEqual({ role: 'system' });
    expect(computePolicyRole(to({ kind: 'Mesh' }), undefined, 'kuma-system', 'labels')).toEqual({ role: 'system' });
  });

  test('a MeshService selected by other labels than its display name and namespace is a consumer item', () => {
    expect(role(to(ms({ 'kuma.io/display-name': 'web', 'k8s.kuma.io/namespace': 'shop', 'kuma.io/mesh': 'default' })), 'shop')).toEqual({ role: 'consumer' });
    expect(role(to(ms({ app: 'web' })), 'shop')).toEqual({ role: 'consumer' });
  });
});

describe('computePolicyRole: 2.x (name refs, v2.14.3)', () => {
  const role = (spec: any, ns: string) => computePolicyRole(spec, ns, 'kuma-system', 'name');
  test('by name in the own namespace or none: producer; elsewhere: consumer; mixed: refused', () => {
    expect(role(to({ kind: 'MeshService', name: 'backend', namespace: 'kuma-demo' }), 'kuma-demo')).toEqual({ role: 'producer' });
    expect(role(to({ kind: 'MeshService', name: 'backend_kuma-demo_svc_80' }), 'kong')).toEqual({ role: 'producer' });
    expect(role(to({ kind: 'MeshService', name: 'backend', namespace: 'kuma-demo' }), 'kong')).toEqual({ role: 'consumer' });
    expect(role(to({ kind: 'MeshService', labels: { 'kuma.io/display-name': 'backend', 'k8s.kuma.io/namespace': 'kong' } }), 'kong')).toEqual({ role: 'consumer' });
    expect(role(to({ kind: 'MeshService', name: 'a', namespace: 'kong' }, { kind: 'MeshService', name: 'b', namespace: 'shop' }), 'kong')).toEqual({ error: MIXED_ROLES });
  });
  test('from and to in one policy: refused; from alone: workload-owner', () => {
    expect(role({ ...to({ kind: 'Mesh' }), from: [{ targetRef: { kind: 'Mesh' } }] }, 'kong')).toEqual({ error: MIXED_FROM_TO });
    expect(role({ targetRef: { kind: 'Mesh' }, from: [{ targetRef: { kind: 'Mesh' } }] }, 'kong')).toEqual({ role: 'workload-owner' });
  });
});

/** A gateway in namespace kong with an upstream in kong and one in shop. */
function gatewayWithUpstreams(version: KumaVersion, exclusive = false) {
  const app = Testing.app();
  KumaVersion.use(app, version);
  const c = new Chart(app, 'edge', { disableResourceNameHashes: true });
  const mesh = exclusive ? new Mesh(c, 'Mesh', { metadata: { name: 'default' }, meshServicesMode: MeshServicesMode.EXCLUSIVE }) : undefined;
  const kongNs = new MeshNamespace(c, 'KongNs', { metadata: { name: 'kong' } });
  const shopNs = new MeshNamespace(c, 'ShopNs', { metadata: { name: 'shop' } });
  const upstream = (id: string, ns: MeshNamespace) => {
    const pods = new kplus.Deployment(c, `${id}Pods`, { metadata: { name: id, namespace: ns.name }, containers: [{ image: 'nginx', portNumber: 8080 }] });
    return new MeshService(c, id, { metadata: { name: id }, namespace: ns, selector: pods, ports: [{ port: 80, targetPort: 8080, appProtocol: 'http' as any }] });
  };
  const auth = upstream('auth', kongNs);
  const web = upstream('web', shopNs);
  const gw = new DelegatedGatewayDeployment(c, 'Kong', {
    metadata: { name: 'kong' },
    namespace: kongNs,
    flavour: GatewayFlavour.kong(),
    containers: [{ image: 'kong:3.9', portNumber: 8000 }],
  });
  gw.gateway.addTimeout('Timeouts', { to: [{ service: auth }, { service: web }], mesh, requestTimeout: Duration.seconds(5) });
  return c;
}

describe('the gateway\'s outbound policies are consumer policies', () => {
  test('3.0: an upstream in the gateway\'s namespace is selected with its kuma.io/mesh label too (a consumer item)', () => {
    const timeout = synthValid(gatewayWithUpstreams(KumaVersion.V3_0)).find((m) => m.kind === 'MeshTimeout');
    expect(timeout.metadata.namespace).toBe('kong');
    expect(timeout.spec.to.map((t: any) => t.targetRef)).toEqual([
      { kind: 'MeshService', labels: { 'kuma.io/display-name': 'auth', 'k8s.kuma.io/namespace': 'kong', 'kuma.io/mesh': 'default' } },
      { kind: 'MeshService', labels: { 'kuma.io/display-name': 'web', 'k8s.kuma.io/namespace': 'shop' } },
    ]);
    expect(computePolicyRole(timeout.spec, 'kong', 'kuma-system', 'labels')).toEqual({ role: 'consumer' });
  });

  test('2.14 Exclusive: an upstream in the gateway\'s namespace is selected by labels, the other by name', () => {
    const timeout = synthValid(gatewayWithUpstreams(KumaVersion.V2_14, true)).find((m) => m.kind === 'MeshTimeout');
    expect(timeout.spec.to.map((t: any) => t.targetRef)).toEqual([
      { kind: 'MeshService', labels: { 'kuma.io/display-name': 'auth', 'k8s.kuma.io/namespace': 'kong' } },
      { kind: 'MeshService', name: 'web', namespace: 'shop' },
    ]);
    expect(computePolicyRole(timeout.spec, 'kong', 'kuma-system', 'name')).toEqual({ role: 'consumer' });
  });

  test('2.8 (no policy roles, policies in the control plane namespace): unchanged', () => {
    const timeout = synthValid(gatewayWithUpstreams(KumaVersion.V2_8, true)).find((m) => m.kind === 'MeshTimeout');
    expect(timeout.metadata.namespace).toBe('kuma-system');
    expect(timeout.spec.to.map((t: any) => t.targetRef)).toEqual([
      { kind: 'MeshService', name: 'auth', namespace: 'kong' },
      { kind: 'MeshService', name: 'web', namespace: 'shop' },
    ]);
  });
});

describe('lint: KUMA033 policy-roles-mixed, KUMA034 gateway-policy-producer', () => {
  const kongNs = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kong', labels: { 'kuma.io/sidecar-injection': 'enabled' } } };
  const kong = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'kong', namespace: 'kong' },
    spec: {
      selector: { matchLabels: { app: 'kong' } },
      template: {
        metadata: { labels: { app: 'kong' }, annotations: { 'traffic.kuma.io/exclude-inbound-ports': '8000' } },
        spec: { containers: [{ name: 'proxy', image: 'kong:3.9' }] },
      },
    },
  };
  const timeout = (...refs: any[]) => ({
    apiVersion: 'kuma.io/v1alpha1',
    kind: 'MeshTimeout',
    metadata: { name: 'kong-out', namespace: 'kong' },
    spec: { targetRef: { kind: 'Dataplane', labels: { app: 'kong' } }, to: refs.map((targetRef) => ({ targetRef, default: { connectionTimeout: '2s' } })) },
  });
  const analyze = (objs: any[], version: KumaVersion) => MeshAnalysis.analyze(objs, { version }).filter((f: any) => f.ruleId >= 'KUMA033');

  test('3.0: an own-namespace item by display name and another namespace\'s: refused by Kuma\'s webhook', () => {
    const findings = analyze([kongNs, kong, timeout(ms({ 'kuma.io/display-name': 'auth', 'k8s.kuma.io/namespace': 'kong' }), ms({ 'kuma.io/display-name': 'web', 'k8s.kuma.io/namespace': 'shop' }))], KumaVersion.V3_0);
    expect(findings).toEqual([expect.objectContaining({
      ruleId: 'KUMA033',
      severity: 'error',
      object: 'MeshTimeout kong/kong-out',
      message: 'is refused by Kuma 3.0\'s webhook: "it\'s not allowed to mix producer and consumer items in the same policy" (assuming kong is not the control plane\'s namespace, where every policy is a system policy). A to[] item that names a MeshService by kuma.io/display-name (and k8s.kuma.io/namespace) only in the policy\'s own namespace is a producer item (for every client of that service), any other a consumer item (for the proxies the policy selects)',
    })]);
  });

  test('3.0: a gateway policy over its own namespace\'s MeshService only: a producer policy (warning); with kuma.io/mesh: none', () => {
    const producer = analyze([kongNs, kong, timeout(ms({ 'kuma.io/display-name': 'auth', 'k8s.kuma.io/namespace': 'kong' }))], KumaVersion.V3_0);
    expect(producer.map((f: any) => `${f.ruleId} ${f.severity} ${f.object}`)).toEqual(['KUMA034 warning MeshTimeout kong/kong-out']);
    expect(producer[0].message).toBe('selects delegated gateway Deployment kong/kong and names only MeshServices of its own namespace kong by kuma.io/display-name, so Kuma 3.0 makes it a producer policy (assuming kong is not the control plane\'s namespace, where every policy is a system policy): it applies to every proxy with the gateway\'s labels in every namespace and is synced to every zone, not to this gateway alone');
    expect(analyze([kongNs, kong, timeout(ms({ 'kuma.io/display-name': 'auth', 'k8s.kuma.io/namespace': 'kong', 'kuma.io/mesh': 'default' }))], KumaVersion.V3_0)).toEqual([]);
  });

  test('2.14: name refs mixed are refused; kuma.io/service names are not reported; 2.8 has no roles', () => {
    const mixed = [kongNs, kong, timeout({ kind: 'MeshService', name: 'auth', namespace: 'kong' }, { kind: 'MeshService', name: 'web', namespace: 'shop' })];
    expect(analyze(mixed, KumaVersion.V2_14).map((f: any) => f.ruleId)).toEqual(['KUMA033']);
    expect(analyze([kongNs, kong, timeout({ kind: 'MeshService', name: 'web_shop_svc_80' })], KumaVersion.V2_14)).toEqual([]);
    expect(analyze(mixed, KumaVersion.V2_8)).toEqual([]);
  });

  test('the library\'s own gateway policies pass both rules', () => {
    const manifests = synthValid(gatewayWithUpstreams(KumaVersion.V3_0));
    expect(analyze(manifests, KumaVersion.V3_0)).toEqual([]);
  });
});
