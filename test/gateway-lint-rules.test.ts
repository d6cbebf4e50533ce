import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { DelegatedGatewayDeployment, FindingSeverity, GatewayFlavour, GatewayPermissionTarget, KongIngressClass, KumaVersion, Mesh, MeshAnalysis, MeshAnalyzer, MeshNamespace, MeshService } from '../src';
import { kongDeployment } from './support/kong-deployment';
import { MESHED_POD } from '../examples/shop-chart';

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

describe('KUMA026 gateway-not-permitted', () => {
  const mesh = { apiVersion: 'kuma.io/v1alpha1', kind: 'Mesh', metadata: { name: 'default' }, spec: { mtls: { enabledBackend: 'ca-1', backends: [{ name: 'ca-1', type: 'builtin' }] } } };
  const web = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:1' }] } } },
  };
  const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } };
  const route = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'shop' }, spec: { ingressClassName: 'kong', rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] } };
  const mtp = (targetRef: any, from: any, action = 'Allow') => ({
    apiVersion: 'kuma.io/v1alpha1',
    kind: 'MeshTrafficPermission',
    metadata: { name: 'allow-kong', namespace: 'kuma-system', labels: { 'kuma.io/mesh': 'default' } },
    spec: { targetRef, from: [{ targetRef: from, default: { action } }] },
  });
  const base = [KONG_NS, ns('shop', { 'kuma.io/sidecar-injection': 'enabled' }), kongDeployment({ 'kuma.io/gateway': 'enabled' }), web, svc, route];

  test('mTLS on and no permission for the gateway: a warning that says what it assumes', () => {
    const [f] = of('KUMA026', [...base, mesh]);
    expect(f).toEqual(expect.objectContaining({
      severity: FindingSeverity.WARNING,
      object: 'Ingress shop/web',
      message: 'sends Deployment kong/kong to Service shop/web, whose pods (Deployment shop/web) are in mesh default, which runs mTLS (Mesh default: mtls.enabledBackend ca-1), and no MeshTrafficPermission in these files allows the gateway in: Kuma denies its requests ("RBAC: access denied") unless a permission outside these files allows them',
    }));
    // a Deny, or a permission for another client, does not let it in
    expect(of('KUMA026', [...base, mesh, mtp({ kind: 'Mesh' }, { kind: 'Mesh' }, 'Deny')])).toHaveLength(1);
    expect(of('KUMA026', [...base, mesh, mtp({ kind: 'Mesh' }, { kind: 'MeshSubset', tags: { app: 'other' } })])).toHaveLength(1);
  });

  test('Kong\'s controller, marked a gateway by Kong\'s ingress chart, is not named as the route\'s sender', () => {
    const controller = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'kong-controller', namespace: 'kong' },
      spec: {
        selector: { matchLabels: { app: 'kong-controller' } },
        template: {
          metadata: { labels: { app: 'kong-controller' }, annotations: { 'kuma.io/gateway': 'enabled' } },
          spec: { containers: [{ name: 'ingress-controller', image: 'kong/kubernetes-ingress-controller:3.4', env: [{ name: 'CONTROLLER_INGRESS_CLASS', value: 'kong' }] }] },
        },
      },
    };
    const [f] = of('KUMA026', [...base, controller, mesh]);
    expect(f.message).toMatch(/^sends Deployment kong\/kong to Service shop\/web/);
    // a permission for the proxy alone is enough
    expect(of('KUMA026', [...base, controller, mesh, mtp({ kind: 'Mesh' }, { kind: 'MeshSubset', tags: { app: 'kong' } })])).toEqual([]);
  });

  test('silent when a permission lets the gateway in, without mTLS, and for Kuma 3.x', () => {
    expect(of('KUMA026', [...base, mesh, mtp({ kind: 'Mesh' }, { kind: 'Mesh' })])).toEqual([]);
    // by kuma.io/service names: the backend's (one per Service port), the gateway's as Kuma names it
    const proxy = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'kong-proxy', namespace: 'kong' }, spec: { selector: { app: 'kong' }, ports: [{ port: 80 }] } };
    const byName = (client: string) => of('KUMA026', [...base, proxy, mesh, mtp({ kind: 'MeshService', name: 'web_shop_svc_80' }, { kind: 'MeshSubset', tags: { 'kuma.io/service': client } })]);
    expect(byName('kong-proxy_kong_svc_80')).toEqual([]);
    expect(byName('other_kong_svc_80')).toHaveLength(1);
    // no Service of the set selects the gateway: its name depends on Services elsewhere, so a permission by name counts
    expect(of('KUMA026', [...base, mesh, mtp({ kind: 'Mesh' }, { kind: 'MeshSubset', tags: { 'kuma.io/service': 'kong-proxy_kong_svc_80' } })])).toEqual([]);
    expect(of('KUMA026', [...base, mesh, mtp({ kind: 'Dataplane', labels: { app: 'web' } }, { kind: 'MeshSubset', tags: { app: 'kong' } })])).toEqual([]);
    expect(of('KUMA026', base)).toEqual([]);
    expect(of('KUMA026', [...base, mesh], { version: KumaVersion.V3_0 })).toEqual([]);
  });
});

describe('KUMA026 in an app', () => {
  test('a gateway routing into an mTLS mesh warns until allowTo() lets it in', () => {
    const app = Testing.app();
    const analyzer = new MeshAnalyzer(app, 'MeshAnalyzer');
    const chart = new Chart(app, 'edge');
    new Mesh(chart, 'Mesh', { metadata: { name: 'default' }, mtls: true });
    new MeshNamespace(chart, 'Kong', { metadata: { name: 'kong' } });
    new MeshNamespace(chart, 'Shop', { metadata: { name: 'shop' } });
    const proxy = new DelegatedGatewayDeployment(chart, 'Gateway', {
      flavour: GatewayFlavour.kong(),
      metadata: { name: 'kong', namespace: 'kong' },
      podMetadata: { labels: { 'app.kubernetes.io/name': 'kong' } },
      containers: [{ image: 'kong:3.9', portNumber: 8000 }],
    });
    new KongIngressClass(chart, 'Class', { name: 'kong', parametersNamespace: 'kong' });
    const web = new kplus.Deployment(chart, 'Web', { metadata: { name: 'web', namespace: 'shop' }, podMetadata: { labels: { 'app.kubernetes.io/name': 'web' } }, ...MESHED_POD, containers: [{ image: 'web', portNumber: 8080 }] });
    const svc = new MeshService(chart, 'WebSvc', { metadata: { name: 'web', namespace: 'shop' }, selector: web, ports: [{ port: 80, targetPort: 8080 }] });
    new kplus.Ingress(chart, 'Route', { metadata: { name: 'web', namespace: 'shop' }, className: 'kong', defaultBackend: kplus.IngressBackend.fromService(svc, { port: 80 }) });
    app.synth();
    expect(analyzer.findings.filter((f) => f.ruleId === 'KUMA026').map((f) => f.object)).toEqual(['Ingress shop/web']);
    proxy.gateway.allowTo('AllowWeb', GatewayPermissionTarget.service(svc));
    app.synth();
    expect(analyzer.findings.filter((f) => f.ruleId === 'KUMA026')).toEqual([]);
  });
});

describe('KUMA027 app-protocol-not-parsed', () => {
  const svc = (appProtocol: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'grpc', namespace: 'shop' }, spec: { selector: { app: 'grpc' }, ports: [{ port: 9000, appProtocol }] } });
  const pods = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'grpc', namespace: 'shop' }, spec: { selector: { matchLabels: { app: 'grpc' } }, template: { metadata: { labels: { app: 'grpc' } }, spec: { containers: [{ name: 'grpc', image: 'grpc:1' }] } } } };
  const meshed = ns('shop', { 'kuma.io/sidecar-injection': 'enabled' });

  test('kubernetes.io/h2c on a port of meshed pods: Kuma treats it as tcp', () => {
    expect(of('KUMA027', [meshed, pods, svc('kubernetes.io/h2c')]).map((f) => [f.severity, f.fix])).toEqual([[FindingSeverity.WARNING, 'Set appProtocol: http2 (MeshService\'s KumaProtocol.HTTP2 in an app).']]);
    expect(of('KUMA027', [meshed, pods, svc('http2')])).toEqual([]);
    expect(of('KUMA027', [ns('shop', { 'kuma.io/sidecar-injection': 'disabled' }), pods, svc('kubernetes.io/h2c')])).toEqual([]); // not meshed
  });
});
