import { FindingSeverity, KumaVersion, MeshAnalysis } from '../src';
import { kongDeployment } from './support/kong-deployment';

// The rules users' issues ask for: a kuma.io/gateway value Kuma's converter refuses (KUMA006),
// inbound policies aimed at a delegated gateway (KUMA025, kumahq/kuma#12107), a gateway and its
// backends in different meshes by label or annotation (KUMA008, kumahq/kuma-website#952). Each
// fires on a fixture and stays silent on its corrected twin.

const ns = (name: string, labels: Record<string, string> = {}, annotations: Record<string, string> = {}) =>
  ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels, annotations } });
const KONG_NS = ns('kong', { 'kuma.io/sidecar-injection': 'enabled' });
const of = (id: string, objects: any[], options = {}) => MeshAnalysis.analyze(objects, options).filter((f) => f.ruleId === id);

describe('KUMA006 gateway-annotation-value', () => {
  test('each value says what Kuma does with it; enabled is silent', () => {
    const msg = (v: string) => of('KUMA006', [KONG_NS, kongDeployment({ 'kuma.io/gateway': v })])[0]?.message;
    expect(msg('true')).toBe('has kuma.io/gateway: "true" on its pod template, which Kuma\'s pod converter refuses ("invalid delegated gateway type"), so the pods get no Dataplane at all; "enabled" is the only delegated value in Kuma 2.x');
    expect(msg('provided')).toMatch(/which Kuma's pod converter takes for a provided gateway, not a delegated one/);
    expect(msg('builtin')).toMatch(/builtin gateway \(MeshGateway\) Dataplane/);
    expect(msg('enabled')).toBeUndefined();
  });
});

describe('KUMA025 gateway-inbound-policy', () => {
  const policy = (targetRef: any, section: 'from' | 'rules' | 'to' = 'from', kind = 'MeshTrafficPermission') => ({
    apiVersion: 'kuma.io/v1alpha1',
    kind,
    metadata: { name: 'kong-in', namespace: 'kuma-system', labels: { 'kuma.io/mesh': 'default' } },
    spec: { targetRef, [section]: [{ targetRef: { kind: 'Mesh' }, default: section === 'from' ? { action: 'Allow' } : {} }] },
  });
  const gw = kongDeployment({ 'kuma.io/gateway': 'enabled' });

  test('a from policy selecting the gateway by its pod labels or by Dataplane labels', () => {
    const [f] = of('KUMA025', [KONG_NS, gw, policy({ kind: 'MeshSubset', tags: { app: 'kong' } })]);
    expect(f).toEqual(expect.objectContaining({
      severity: FindingSeverity.WARNING,
      object: 'MeshTrafficPermission kuma-system/kong-in',
      message: 'is an inbound policy (spec.from) whose targetRef MeshSubset {"app":"kong"} selects Deployment kong/kong, a delegated gateway (kuma.io/gateway: enabled): Kuma builds the gateway without inbound listeners, so the policy matches nothing there and does nothing for it (kumahq/kuma#12107)',
    }));
    expect(of('KUMA025', [KONG_NS, gw, policy({ kind: 'Dataplane', labels: { 'app': 'kong', 'k8s.kuma.io/namespace': 'kong' } }, 'rules', 'MeshTimeout')])
      .map((x) => x.message.split(' whose')[0])).toEqual(['is an inbound policy (spec.rules)']);
  });

  test('silent for outbound (to) policies, mesh-wide targetRefs, other workloads, and a gateway marked the 3.x way', () => {
    expect(of('KUMA025', [KONG_NS, gw, policy({ kind: 'MeshSubset', tags: { app: 'kong' } }, 'to', 'MeshTimeout')])).toEqual([]);
    expect(of('KUMA025', [KONG_NS, gw, policy({ kind: 'Mesh' })])).toEqual([]);
    expect(of('KUMA025', [KONG_NS, gw, policy({ kind: 'MeshSubset', tags: { app: 'web' } })])).toEqual([]);
    const gw3 = kongDeployment({ 'traffic.kuma.io/exclude-inbound-ports': '8000' });
    expect(of('KUMA025', [KONG_NS, gw3, policy({ kind: 'MeshSubset', tags: { app: 'kong' } }, 'rules')], { version: KumaVersion.V3_0 })).toEqual([]);
  });
});

describe('KUMA008 gateway-mesh-mismatch, with the mesh as Kuma resolves it', () => {
  const web = (meshLabel?: string, meshAnnotation?: string) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web', ...meshLabel ? { 'kuma.io/mesh': meshLabel } : {} }, annotations: meshAnnotation ? { 'kuma.io/mesh': meshAnnotation } : {} },
        spec: { containers: [{ name: 'web', image: 'web:1' }] },
      },
    },
  });
  const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop', annotations: { 'ingress.kubernetes.io/service-upstream': 'true', 'nginx.ingress.kubernetes.io/service-upstream': 'true' } }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } };
  const route = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'shop' }, spec: { ingressClassName: 'kong', rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] } };
  const set = (backend: any) => [KONG_NS, ns('shop', { 'kuma.io/sidecar-injection': 'enabled' }), kongDeployment({ 'kuma.io/gateway': 'enabled' }), backend, svc, route];

  test('a backend put in another mesh by its pod annotation (2.x reads it): the finding says how each mesh was decided', () => {
    expect(of('KUMA008', set(web(undefined, 'payments')), { ignore: ['KUMA007'] })[0].message)
      .toBe('routes to Service shop/web, whose pods are in mesh payments (by its pod annotation kuma.io/mesh), but the delegated gateways are in default (Deployment kong/kong by no kuma.io/mesh label)');
    expect(of('KUMA008', set(web('payments')))[0].message).toMatch(/in mesh payments \(by its pod label kuma.io\/mesh\)/);
    expect(of('KUMA008', set(web()))).toEqual([]);
  });
});
