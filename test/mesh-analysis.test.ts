import * as path from 'path';
import { ApiObject, App, Chart, Include, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  CrossZoneExternalName, DelegatedGateway, DelegatedGatewayDeployment, FindingSeverity, GatewayFlavour, KumaVersion, KumaWarnings, MeshAddress,
  MeshAnalysis, MeshAnalyzer, MeshNamespace, MeshService, MeshServicesMode,
} from '../src';
import { synthValid } from './support/validate';

// Plain manifests, as a Helm chart or a hand-written file would have them.
const ns = (name: string, labels?: Record<string, string>, annotations?: Record<string, string>) =>
  ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels, annotations } });
const deployment = (name: string, namespace: string, podLabels: Record<string, string>,
  podAnnotations: Record<string, string> = {}, annotations?: Record<string, string>) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace, annotations },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name, ...podLabels }, annotations: podAnnotations }, spec: { containers: [{ name, image: name }] } },
  },
});
const service = (name: string, namespace: string, selector: Record<string, string> | undefined, extra: any = {}) => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, namespace, annotations: extra.annotations }, spec: { selector, ports: extra.ports ?? [{ port: 80 }], type: extra.type },
});
const externalName = (name: string, namespace: string, target: string) =>
  ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { type: 'ExternalName', externalName: target } });
const ingress = (name: string, namespace: string, backend: string, port: number, annotations?: Record<string, string>, className?: string) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name, namespace, annotations },
  spec: { ingressClassName: className, rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: backend, port: { number: port } } } }] } }] },
});
const httpRoute = (name: string, namespace: string, backend: string, port: number, backendNamespace?: string) => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name, namespace },
  spec: { parentRefs: [{ name: 'kong' }], rules: [{ backendRefs: [{ name: backend, namespace: backendNamespace, port }] }] },
});
const UPSTREAM = { 'ingress.kubernetes.io/service-upstream': 'true', 'nginx.ingress.kubernetes.io/service-upstream': 'true' };
const GATEWAY = deployment('kong', 'kong', {}, { 'kuma.io/gateway': 'enabled' });
const KONG_NS = ns('kong', { 'kuma.io/sidecar-injection': 'enabled' });

const idsOf = (manifests: any[], options = {}) => MeshAnalysis.analyze(manifests, options).map((f) => `${f.ruleId} ${f.object}`);
const ids = (manifests: any[], options = {}) => idsOf(manifests, options);

describe('MeshAnalysis rules (each fires, and does not when the setup is right)', () => {
  test('KUMA001 service-upstream-missing', () => {
    const perPod = [ns('shop', { 'kuma.io/sidecar-injection': 'disabled' }), deployment('web', 'shop', { 'kuma.io/sidecar-injection': 'enabled' }), service('web', 'shop', { app: 'web' })];
    const [f] = MeshAnalysis.analyze(perPod);
    expect(f).toEqual({
      ruleId: 'KUMA001',
      rule: 'service-upstream-missing',
      severity: FindingSeverity.ERROR,
      object: 'Service shop/web',
      source: undefined,
      message: 'selects meshed pods (their kuma.io/sidecar-injection: enabled label), but namespace shop is labelled kuma.io/sidecar-injection=disabled, so Kuma does not add ingress.kubernetes.io/service-upstream and nginx.ingress.kubernetes.io/service-upstream; a delegated gateway would send to pod IPs and bypass the mesh',
      fix: 'Add both annotations with the value "true" (MeshService, ServiceUpstream.annotate() or MeshAnalyzer fix mode).',
    });
    // namespace not in the set: not known to be meshed, no finding; declared, the same error
    expect(ids(perPod.slice(1))).toEqual([]);
    expect(ids(perPod.slice(1), { namespaceLabels: { shop: { 'kuma.io/sidecar-injection': 'disabled' } } })).toEqual(['KUMA001 Service shop/web']);
    expect(ids(perPod.slice(1), { namespaceLabels: { shop: { 'kuma.io/sidecar-injection': 'enabled' } } })).toEqual([]);
    // annotated, or Kuma annotates (namespace enabled), or pods not meshed: nothing
    expect(ids([perPod[0], perPod[1], service('web', 'shop', { app: 'web' }, { annotations: UPSTREAM })])).toEqual([]);
    expect(ids([ns('shop', { 'kuma.io/sidecar-injection': 'enabled' }), deployment('web', 'shop', {}), service('web', 'shop', { app: 'web' })])).toEqual([]);
    expect(ids([ns('shop'), deployment('web', 'shop', {}), service('web', 'shop', { app: 'web' })])).toEqual([]);
  });

  test('KUMA001 is silent for a Service every route reaches through a Kong class with serviceUpstream (Kong Mesh\'s recommended setup)', () => {
    const routed = (manifests: any[]) => idsOf(manifests, { ignore: ['KUMA011', 'KUMA023'] });
    const perPod = [ns('shop', { 'kuma.io/sidecar-injection': 'disabled' }), deployment('web', 'shop', { 'kuma.io/sidecar-injection': 'enabled' }), service('web', 'shop', { app: 'web' })];
    const cls = { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'kong' }, spec: { controller: 'ingress-controllers.konghq.com/kong', parameters: { apiGroup: 'configuration.konghq.com', kind: 'IngressClassParameters', name: 'p', namespace: 'kong', scope: 'Namespace' } } };
    const params = { apiVersion: 'configuration.konghq.com/v1alpha1', kind: 'IngressClassParameters', metadata: { name: 'p', namespace: 'kong' }, spec: { serviceUpstream: true } };
    expect(routed([...perPod, KONG_NS, GATEWAY, cls, params, ingress('web', 'shop', 'web', 80, undefined, 'kong')])).toEqual([]);
    // one route that does not say so (another class) is enough for the pitfall
    expect(routed([...perPod, KONG_NS, GATEWAY, cls, params, ingress('web', 'shop', 'web', 80, undefined, 'kong'), ingress('web2', 'shop', 'web', 80, undefined, 'nginx')]))
      .toEqual(['KUMA001 Service shop/web']);
    // without serviceUpstream in the class's parameters, still an error
    expect(routed([...perPod, KONG_NS, GATEWAY, cls, { ...params, spec: {} }, ingress('web', 'shop', 'web', 80, undefined, 'kong')])).toEqual(['KUMA001 Service shop/web']);
  });

  test('KUMA013: a Namespace annotated (not labelled) kuma.io/sidecar-injection injects nothing', () => {
    const [f] = MeshAnalysis.analyze([ns('shop', undefined, { 'kuma.io/sidecar-injection': 'enabled' })]);
    expect(f).toMatchObject({
      ruleId: 'KUMA013',
      severity: FindingSeverity.ERROR,
      object: 'Namespace shop',
      message: 'annotation kuma.io/sidecar-injection "enabled" is not read by any supported Kuma version (injection is a label), and the namespace has no such label, so Kuma injects none of its pods',
      fix: 'Make it the label kuma.io/sidecar-injection and remove the annotation.',
    });
    expect(MeshAnalysis.analyze([ns('shop', { 'kuma.io/sidecar-injection': 'enabled' }, { 'kuma.io/sidecar-injection': 'enabled' })])[0].severity).toBe(FindingSeverity.WARNING);
  });

  test('KUMA030 route-port-missing: a route to a port (number or name) the Service does not have', () => {
    const routed = (manifests: any[]) => idsOf(manifests, { ignore: ['KUMA011'] });
    const web = service('web', 'shop', { app: 'web' }, { annotations: UPSTREAM, ports: [{ port: 80, name: 'http' }] });
    const base = [KONG_NS, GATEWAY, ns('shop', { 'kuma.io/sidecar-injection': 'enabled' }), deployment('web', 'shop', {}), web];
    const [f] = MeshAnalysis.analyze([...base, ingress('web', 'shop', 'web', 8080)], { ignore: ['KUMA011'] });
    expect(f).toEqual({
      ruleId: 'KUMA030',
      rule: 'route-port-missing',
      severity: FindingSeverity.ERROR,
      object: 'Ingress shop/web',
      source: undefined,
      message: 'sends to Service shop/web on port 8080, which the Service does not have (its ports: 80 (http)), so the route reaches no endpoint and the gateway answers 503',
      fix: 'Use one of the Service\'s ports (80 (http)).',
    });
    expect(routed([...base, httpRoute('web', 'shop', 'web', 81)])).toEqual(['KUMA030 HTTPRoute shop/web']);
    const byName = (name: string) => ({ ...ingress('web', 'shop', 'web', 80), spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name } } } }] } }] } });
    expect(routed([...base, byName('grpc')])).toEqual(['KUMA030 Ingress shop/web']);
    expect(routed([...base, byName('http')])).toEqual([]);
    expect(routed([...base, ingress('web', 'shop', 'web', 80)])).toEqual([]);
  });

  test('KUMA031 route-to-unmeshed: a gateway route into pods known not to be meshed', () => {
    const routed = (manifests: any[], options = {}) => idsOf(manifests, { ignore: ['KUMA011'], ...options });
    const legacy = [ns('legacy', { 'kuma.io/sidecar-injection': 'disabled' }), deployment('api', 'legacy', {}), service('api', 'legacy', { app: 'api' }, { annotations: UPSTREAM })];
    const [f] = MeshAnalysis.analyze([KONG_NS, GATEWAY, ...legacy, ingress('api', 'legacy', 'api', 80)], { ignore: ['KUMA011'] });
    expect(f).toMatchObject({
      ruleId: 'KUMA031',
      severity: FindingSeverity.WARNING,
      object: 'Ingress legacy/api',
      message: 'sends the delegated gateway\'s traffic to Service legacy/api, whose pods (Deployment legacy/api) are not meshed (namespace legacy is labelled kuma.io/sidecar-injection=disabled and the pods do not opt in), so the requests leave the mesh in plaintext, outside mTLS and every mesh policy; the gateway serves the route: it names no ingress class and the set has no default IngressClass, so any controller that takes class-less Ingresses may serve it',
    });
    // pods that opt in, a namespace not described, no gateway: nothing
    expect(routed([KONG_NS, GATEWAY, legacy[0], deployment('api', 'legacy', { 'kuma.io/sidecar-injection': 'enabled' }), legacy[2], ingress('api', 'legacy', 'api', 80)])).toEqual([]);
    expect(routed([KONG_NS, GATEWAY, ...legacy.slice(1), ingress('api', 'legacy', 'api', 80)])).toEqual([]);
    expect(routed([...legacy, ingress('api', 'legacy', 'api', 80)])).toEqual([]);
    // a namespace declared unlabelled by the user: the same warning
    expect(routed([KONG_NS, GATEWAY, ...legacy.slice(1), ingress('api', 'legacy', 'api', 80)], { namespaceLabels: { legacy: {} } })).toEqual(['KUMA031 Ingress legacy/api']);
  });

  test('KUMA002 route-backend-service-upstream', () => {
    const routed = (manifests: any[]) => idsOf(manifests, { ignore: ['KUMA011'] });
    const base = [KONG_NS, GATEWAY, ns('legacy'), service('api', 'legacy', undefined)];
    expect(routed([...base, ingress('api', 'legacy', 'api', 80)])).toEqual(['KUMA002 Ingress legacy/api']);
    expect(routed([...base, httpRoute('api', 'kong', 'api', 80, 'legacy')])).toEqual(['KUMA002 HTTPRoute kong/api']);
    // no delegated gateway in the set: not routed by one
    expect(routed([ns('legacy'), service('api', 'legacy', undefined), ingress('api', 'legacy', 'api', 80)])).toEqual([]);
    // the nginx Ingress annotation, or a Kong class with serviceUpstream, does it
    expect(routed([...base, ingress('api', 'legacy', 'api', 80, { 'nginx.ingress.kubernetes.io/service-upstream': 'true' })])).toEqual([]);
    const cls = { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'kong' }, spec: { controller: 'ingress-controllers.konghq.com/kong', parameters: { apiGroup: 'configuration.konghq.com', kind: 'IngressClassParameters', name: 'p', namespace: 'kong', scope: 'Namespace' } } };
    const params = { apiVersion: 'configuration.konghq.com/v1alpha1', kind: 'IngressClassParameters', metadata: { name: 'p', namespace: 'kong' }, spec: { serviceUpstream: true } };
    expect(routed([...base, cls, params, ingress('api', 'legacy', 'api', 80, undefined, 'kong')])).toEqual([]);
  });

  test('KUMA003 mesh-vip-port and KUMA010 mesh-vip-exclusive', () => {
    // a gateway that lists nothing also gets KUMA011, tested on its own
    const vipIds = (manifests: any[], options = {}) => idsOf(manifests, { ignore: ['KUMA011'], ...options });
    const vip = externalName('payments', 'kong', 'payments.payments.svc.8080.mesh');
    expect(vipIds([KONG_NS, GATEWAY, vip, ingress('pay', 'kong', 'payments', 8080)])).toEqual(['KUMA003 Ingress kong/pay']);
    expect(vipIds([KONG_NS, GATEWAY, vip, ingress('pay', 'kong', 'payments', 80)])).toEqual([]);
    const hostname = externalName('payments', 'kong', 'payments.payments.svc.zone-a.mesh.local');
    expect(vipIds([KONG_NS, GATEWAY, hostname, ingress('pay', 'kong', 'payments', 8080)])).toEqual([]);
    const exclusive = { apiVersion: 'kuma.io/v1alpha1', kind: 'Mesh', metadata: { name: 'default' }, spec: { meshServices: { mode: 'Exclusive' } } };
    expect(vipIds([exclusive, vip, ingress('pay', 'kong', 'payments', 80)])).toEqual(['KUMA010 Service kong/payments']);
    expect(vipIds([vip, ingress('pay', 'kong', 'payments', 80)], { meshServicesMode: MeshServicesMode.EXCLUSIVE })).toEqual(['KUMA010 Service kong/payments']);
    expect(vipIds([vip, ingress('pay', 'kong', 'payments', 80)], { version: KumaVersion.V3_0 })).toEqual(['KUMA010 Service kong/payments']);
    expect(vipIds([exclusive, hostname, ingress('pay', 'kong', 'payments', 8080)])).toEqual([]);
  });

  test('KUMA004 pod-injection-namespace-unlabelled', () => {
    expect(ids([ns('shop'), deployment('web', 'shop', { 'kuma.io/sidecar-injection': 'enabled' })])).toEqual(['KUMA004 Deployment shop/web']);
    expect(ids([ns('shop', { 'kuma.io/sidecar-injection': 'disabled' }), deployment('web', 'shop', { 'kuma.io/sidecar-injection': 'enabled' })])).toEqual([]);
    expect(ids([deployment('web', 'shop', { 'kuma.io/sidecar-injection': 'enabled' })])).toEqual([]);
  });

  test('KUMA005 gateway-annotation-on-workload and KUMA006 gateway-annotation-value', () => {
    expect(ids([KONG_NS, deployment('kong', 'kong', {}, {}, { 'kuma.io/gateway': 'enabled' })])).toEqual(['KUMA005 Deployment kong/kong']);
    expect(ids([KONG_NS, deployment('kong', 'kong', {}, { 'kuma.io/gateway': 'provided' })])).toEqual(['KUMA006 Deployment kong/kong']);
    expect(ids([KONG_NS, deployment('kong', 'kong', {}, { 'kuma.io/gateway': 'true' })])).toEqual(['KUMA006 Deployment kong/kong']);
    // 3.x removed kuma.io/gateway: any value is KUMA014 (migration), not KUMA006
    expect(ids([KONG_NS, deployment('kong', 'kong', {}, { 'kuma.io/gateway': 'true' })], { version: KumaVersion.V3_0 })).toEqual(['KUMA014 Deployment kong/kong']);
    expect(ids([KONG_NS, GATEWAY])).toEqual([]);
  });

  test('KUMA007 mesh-annotation', () => {
    const f = MeshAnalysis.analyze([ns('shop', undefined, { 'kuma.io/mesh': 'prod' }), deployment('web', 'shop', {}, { 'kuma.io/mesh': 'prod' })]);
    expect(f.map((x) => `${x.ruleId} ${x.severity} ${x.object}`)).toEqual(['KUMA007 warning Deployment shop/web', 'KUMA007 warning Namespace shop']);
    expect(MeshAnalysis.analyze([deployment('web', 'shop', {}, { 'kuma.io/mesh': 'prod' })], { version: KumaVersion.V3_0 })[0].severity).toBe(FindingSeverity.ERROR);
    expect(ids([deployment('web', 'shop', {}, { 'kuma.io/mesh': 'prod' })], { version: KumaVersion.V2_7 })).toEqual([]);
  });

  test('KUMA008 gateway-mesh-mismatch', () => {
    const routed = (manifests: any[]) => idsOf(manifests, { ignore: ['KUMA011'] });
    const shop = [ns('shop', { 'kuma.io/sidecar-injection': 'enabled', 'kuma.io/mesh': 'prod' }), deployment('web', 'shop', {}), service('web', 'shop', { app: 'web' }, { annotations: UPSTREAM })];
    expect(routed([KONG_NS, GATEWAY, ...shop, ingress('web', 'shop', 'web', 80)])).toEqual(['KUMA008 Ingress shop/web']);
    const prodGateway = deployment('kong', 'kong', { 'kuma.io/mesh': 'prod' }, { 'kuma.io/gateway': 'enabled' });
    expect(routed([KONG_NS, prodGateway, ...shop, ingress('web', 'shop', 'web', 80)])).toEqual([]);
  });

  test('KUMA009 gateway-identity: the alphabetically first Service names the gateway', () => {
    const svcs = [
      service('kong-admin', 'kong', { app: 'kong' }, { ports: [{ port: 8444 }] }),
      service('kong-proxy', 'kong', { app: 'kong' }, { type: 'LoadBalancer' }),
    ];
    const [f] = MeshAnalysis.analyze([KONG_NS, GATEWAY, ...svcs]);
    expect(f).toMatchObject({
      ruleId: 'KUMA009',
      severity: FindingSeverity.WARNING,
      object: 'Deployment kong/kong',
      message: 'will be named kong-admin_kong_svc_8444 by Kuma (first port of the alphabetically first Service selecting its pods), not after its proxy Service kong-proxy; policies that target the gateway by kuma.io/service will miss',
      fix: 'Annotate kong-admin with kuma.io/ignore: "true" (DelegatedGateway.ignoreService()), or target the gateway by labels.',
    });
    const ignored = { ...svcs[0], metadata: { ...svcs[0].metadata, annotations: { 'kuma.io/ignore': 'true' } } };
    expect(ids([KONG_NS, GATEWAY, ignored, svcs[1]])).toEqual([]);
    expect(ids([KONG_NS, GATEWAY, svcs[1]])).toEqual([]);
    // Kuma 3.x gateways carry no kuma.io/service tag (3.0-dev pod converter fixture 03: gateway: {})
    expect(ids([KONG_NS, GATEWAY, ...svcs], { version: KumaVersion.V3_0, ignore: ['KUMA014', 'KUMA041'] })).toEqual([]);
  });

  test('KUMA009 follows Kuma\'s converter: byte order of names, first port that reaches the pod', () => {
    // Go sorts "kong-proxy" < "kong1-admin" by bytes ('-' < '1'); the first TCP port whose
    // named targetPort the pod declares names the gateway (inbound_converter.go, util.go FindPort).
    const svcs = [
      service('kong1-admin', 'kong', { app: 'kong' }, { ports: [{ port: 8444 }] }),
      service('kong-proxy', 'kong', { app: 'kong' }, { type: 'LoadBalancer' }),
    ];
    expect(ids([KONG_NS, GATEWAY, ...svcs])).toEqual([]);
    const admin = service('kong-admin', 'kong', { app: 'kong' }, {
      ports: [{ port: 53, protocol: 'UDP' }, { port: 8001, targetPort: 'undeclared' }, { port: 8444, targetPort: 8444 }],
    });
    const [f] = MeshAnalysis.analyze([KONG_NS, GATEWAY, admin, svcs[1]]);
    expect(f.message).toMatch(/^will be named kong-admin_kong_svc_8444 by Kuma/);
  });

  test('KUMA013 annotation-not-read: keys the target version\'s catalogue does not have', () => {
    const reachable = deployment('kong', 'kong', {}, { 'kuma.io/gateway': 'enabled', 'kuma.io/virtual-probes': 'disabled' });
    const [f] = MeshAnalysis.analyze([KONG_NS, reachable], { version: KumaVersion.V3_0, ignore: ['KUMA014'] });
    expect(f).toEqual({
      ruleId: 'KUMA013',
      rule: 'annotation-not-read',
      severity: FindingSeverity.WARNING,
      object: 'Deployment kong/kong',
      source: undefined,
      message: 'pod annotation kuma.io/virtual-probes is not read by Kuma 3.0: Kuma\'s annotation catalogue (annotations.go) has it up to 2.14 only, so it has no effect',
      fix: 'Remove it, or replace it with what Kuma 3.0 reads instead (kuma.io/application-probe-proxy-port).',
    });
    expect(ids([KONG_NS, reachable])).toEqual([]);
    const ips = deployment('web', 'shop', {}, { 'traffic.kuma.io/exclude-outbound-ips': '10.0.0.0/8', 'kuma.io/sidecar-env-var': 'A=1' });
    expect(MeshAnalysis.analyze([ips], { version: KumaVersion.V2_8 }).map((x) => x.message)).toEqual([
      'pod annotation kuma.io/sidecar-env-var is not a key Kuma 2.8 reads: no supported version\'s annotation catalogue (annotations.go) has it, so it has no effect',
      'pod annotation traffic.kuma.io/exclude-outbound-ips is not read by Kuma 2.8: Kuma\'s annotation catalogue (annotations.go) has it from 2.9 on, so it has no effect',
    ]);
  });

  test('KUMA011 gateway-reachable-services: derived from the routes of a single gateway', () => {
    const shop = [ns('shop', { 'kuma.io/sidecar-injection': 'enabled' }), deployment('web', 'shop', {}), service('web', 'shop', { app: 'web' }, { annotations: UPSTREAM })];
    const [f] = MeshAnalysis.analyze([KONG_NS, GATEWAY, ...shop, ingress('web', 'shop', 'web', 80)]);
    expect(f).toMatchObject({ ruleId: 'KUMA011', severity: FindingSeverity.WARNING, object: 'Deployment kong/kong' });
    expect(f.message).toBe('lists no reachable services, so its sidecar builds outbounds for the whole mesh; its routes send to web_shop_svc_80');
    const listed = deployment('kong', 'kong', {}, { 'kuma.io/gateway': 'enabled', 'kuma.io/transparent-proxying-reachable-services': 'web_shop_svc_80' });
    expect(ids([KONG_NS, listed, ...shop, ingress('web', 'shop', 'web', 80)])).toEqual([]);
  });

  test('KUMA011 for Kuma 3.x derives reachable backends (3.x removed the kuma.io/service list); fix mode writes them', () => {
    const gateway3 = deployment('kong', 'kong', {}, { 'traffic.kuma.io/exclude-inbound-ports': '8000' });
    const shop = [ns('shop', { 'kuma.io/sidecar-injection': 'enabled' }), deployment('web', 'shop', {}), service('web', 'shop', { app: 'web' }, { annotations: UPSTREAM })];
    const [f] = MeshAnalysis.analyze([KONG_NS, gateway3, ...shop, ingress('web', 'shop', 'web', 80)], { version: KumaVersion.V3_0 });
    expect(f).toMatchObject({
      ruleId: 'KUMA011',
      severity: FindingSeverity.ERROR,
      object: 'Deployment kong/kong',
      fix: 'Leave deriveReachableBackends on (DelegatedGateway derives them on Kuma 3.x), set reachableBackends, or run MeshAnalyzer with fix: true.',
    });
    expect(f.message).toBe('lists no reachable backends, so its sidecar gets no outbound on a control plane that restricts outbound traffic (Kuma 3.0\'s default, as reported for the release: kumahq/kuma PR #18831; not if the control plane sets restrictOutbound: false), and its routes fail; its routes send to MeshService kuma.io/display-name=web,k8s.kuma.io/namespace=shop port 80');

    const app = Testing.app();
    KumaVersion.use(app, KumaVersion.V3_0);
    new MeshAnalyzer(app, 'Analyzer', { fix: true });
    const chart = new Chart(app, 'c');
    const kongNs = new MeshNamespace(chart, 'Kong', { metadata: { name: 'kong' } });
    const shopNs = new MeshNamespace(chart, 'Shop', { metadata: { name: 'shop' } });
    // (the gateway's own derivation is off: the analyzer's fix writes the list)
    new DelegatedGatewayDeployment(chart, 'Gw', { metadata: { name: 'kong' }, namespace: kongNs, containers: [{ image: 'kong', portNumber: 8000 }], deriveReachableBackends: false });
    const web = new MeshService(chart, 'Web', { metadata: { name: 'web' }, namespace: shopNs, selectorLabels: { app: 'web' }, ports: [{ port: 80, name: 'http' }] });
    new kplus.Ingress(chart, 'Ingress', { metadata: { namespace: 'shop' }, className: 'kong' }).addRule('/', kplus.IngressBackend.fromService(web));
    const out = synthValid(app).find((m) => m.kind === 'Deployment').spec.template.metadata.annotations;
    expect(out['kuma.io/reachable-backends']).toBe('refs:\n- kind: MeshService\n  port: 80\n  labels:\n    "kuma.io/display-name": "web"\n    "k8s.kuma.io/namespace": "shop"\n');
  });

  test('KUMA011 lists cross-zone backends too: a .mesh VIP by its kuma.io/service (2.x)', () => {
    const shop = [ns('shop', { 'kuma.io/sidecar-injection': 'enabled' }), deployment('web', 'shop', {}), service('web', 'shop', { app: 'web' }, { annotations: UPSTREAM })];
    const routes = [ingress('web', 'shop', 'web', 80), externalName('payments', 'shop', 'payments.payments.svc.8080.mesh'), ingress('pay', 'shop', 'payments', 80)];
    const [f] = MeshAnalysis.analyze([KONG_NS, GATEWAY, ...shop, ...routes]);
    expect(f.message).toBe('lists no reachable services, so its sidecar builds outbounds for the whole mesh; its routes send to payments_payments_svc_8080, web_shop_svc_80');
    // lint --fix writes both, so the gateway keeps its route to the other zone
    expect((MeshAnalysis._analyze([KONG_NS, GATEWAY, ...shop, ...routes].map((obj) => ({ obj })), {})[0] as any).autoFix.services)
      .toEqual(['payments_payments_svc_8080', 'web_shop_svc_80']);
  });

  test('KUMA011 (2.x) does not derive a list that would drop a MeshService hostname backend, and says why', () => {
    const shop = [ns('shop', { 'kuma.io/sidecar-injection': 'enabled' }), deployment('web', 'shop', {}), service('web', 'shop', { app: 'web' }, { annotations: UPSTREAM })];
    const routes = [ingress('web', 'shop', 'web', 80), externalName('payments', 'shop', 'payments.payments.svc.zone-a.mesh.local'), ingress('pay', 'shop', 'payments', 8080)];
    const [f] = MeshAnalysis._analyze([KONG_NS, GATEWAY, ...shop, ...routes].map((obj) => ({ obj })), {});
    expect(f.message).toBe('lists no reachable services, so its sidecar builds outbounds for the whole mesh; its routes send to web_shop_svc_80; not derived, because a list without every backend would cut the gateway off from the others: Service shop/payments (payments.payments.svc.zone-a.mesh.local) is a MeshService hostname, which kuma.io/transparent-proxying-reachable-services cannot list, and with that list alone Kuma drops every MeshService outbound');
    expect(f.autoFix).toBeUndefined();
    expect(f.fix).toBe('Set reachableBackends (Kuma 2.9+: MeshService hostnames by their labels) together with reachableServices, or leave both unset.');
  });

  test('KUMA011 (3.x) names other zones\' MeshServices and MeshMultiZoneServices by labels, never by name', () => {
    const gateway3 = deployment('kong', 'kong', {}, { 'traffic.kuma.io/exclude-inbound-ports': '8000' });
    const shop = [ns('shop', { 'kuma.io/sidecar-injection': 'enabled' }), deployment('web', 'shop', {}), service('web', 'shop', { app: 'web' }, { annotations: UPSTREAM })];
    const routes = [
      ingress('web', 'shop', 'web', 80),
      externalName('payments', 'shop', 'payments.payments.svc.zone-a.mesh.local'), ingress('pay', 'shop', 'payments', 8080),
      externalName('search', 'shop', 'search.mzsvc.mesh.local.'), ingress('search', 'shop', 'search', 9200),
    ];
    const [f] = MeshAnalysis._analyze([KONG_NS, gateway3, ...shop, ...routes].map((obj) => ({ obj })), { version: KumaVersion.V3_0 });
    expect(f.message).toBe('lists no reachable backends, so its sidecar gets no outbound on a control plane that restricts outbound traffic (Kuma 3.0\'s default, as reported for the release: kumahq/kuma PR #18831; not if the control plane sets restrictOutbound: false), and its routes fail; its routes send to MeshMultiZoneService kuma.io/display-name=search port 9200, MeshService kuma.io/display-name=payments,k8s.kuma.io/namespace=payments,kuma.io/zone=zone-a port 8080, MeshService kuma.io/display-name=web,k8s.kuma.io/namespace=shop port 80');
    expect((f.autoFix as any).ops[0].value).toBe([
      'refs:',
      '- kind: MeshMultiZoneService', '  port: 9200', '  labels:', '    "kuma.io/display-name": "search"',
      '- kind: MeshService', '  port: 8080', '  labels:', '    "kuma.io/display-name": "payments"', '    "k8s.kuma.io/namespace": "payments"', '    "kuma.io/zone": "zone-a"',
      '- kind: MeshService', '  port: 80', '  labels:', '    "kuma.io/display-name": "web"', '    "k8s.kuma.io/namespace": "shop"',
      '',
    ].join('\n'));
    // a .mesh VIP, which 3.x does not serve: nothing derived, and why
    const vip = [externalName('payments', 'shop', 'payments.payments.svc.8080.mesh'), ingress('pay', 'shop', 'payments', 80)];
    const [g] = MeshAnalysis._analyze([KONG_NS, gateway3, ...shop, ingress('web', 'shop', 'web', 80), ...vip].map((obj) => ({ obj })), { version: KumaVersion.V3_0, ignore: ['KUMA010'] });
    expect(g.ruleId).toBe('KUMA011');
    expect(g.autoFix).toBeUndefined();
    expect(g.message).toContain('not derived, because a list without every backend would cut the gateway off from the others: Service shop/payments (payments.payments.svc.8080.mesh) is a .mesh VIP, which kuma.io/reachable-backends cannot list');
  });

  test('KUMA032 reachable-list-incomplete: a listed gateway whose routes send to a backend the list leaves out', () => {
    const shop = [ns('shop', { 'kuma.io/sidecar-injection': 'enabled' }), deployment('web', 'shop', {}), service('web', 'shop', { app: 'web' }, { annotations: UPSTREAM }),
      deployment('orders', 'shop', {}), service('orders', 'shop', { app: 'orders' }, { annotations: UPSTREAM })];
    const routes = [ingress('web', 'shop', 'web', 80), ingress('orders', 'shop', 'orders', 80)];
    const listing = (annotations: Record<string, string>) => deployment('kong', 'kong', {}, { 'kuma.io/gateway': 'enabled', ...annotations });
    const [f] = MeshAnalysis.analyze([KONG_NS, listing({ 'kuma.io/transparent-proxying-reachable-services': 'web_shop_svc_80' }), ...shop, ...routes]);
    expect(f).toEqual({
      ruleId: 'KUMA032',
      rule: 'reachable-list-incomplete',
      severity: FindingSeverity.WARNING,
      object: 'Deployment kong/kong',
      source: undefined,
      message: 'lists what its sidecar reaches (kuma.io/transparent-proxying-reachable-services), but its routes also send to Service shop/orders (kuma.io/service orders_shop_svc_80, MeshService shop/orders port 80), which the list leaves out: Kuma builds no outbound for it, so the requests leave through passthrough, in plaintext and outside every policy, or fail where passthrough is off or the destination requires mTLS (the gateway serves the route to Service shop/orders: it names no ingress class and the set has no default IngressClass, so any controller that takes class-less Ingresses may serve it)',
      fix: 'Add each to reachableServices or reachableBackends (ReachableBackend.meshAddress() for a .mesh.local address), or list nothing.',
    });
    expect(ids([KONG_NS, listing({ 'kuma.io/transparent-proxying-reachable-services': 'web_shop_svc_80,orders_shop_svc_80' }), ...shop, ...routes])).toEqual([]);
    // another zone's MeshService: the services list alone cannot name it; a labels ref can
    const remote = [externalName('payments', 'shop', 'payments.payments.svc.zone-a.mesh.local'), ingress('pay', 'shop', 'payments', 8080)];
    const onlyServices = listing({ 'kuma.io/transparent-proxying-reachable-services': 'web_shop_svc_80,orders_shop_svc_80' });
    // a mesh name without an outbound does not even resolve: an error
    expect(MeshAnalysis.analyze([KONG_NS, onlyServices, ...shop, ...routes, ...remote])[0].severity).toBe(FindingSeverity.ERROR);
    expect(MeshAnalysis.analyze([KONG_NS, onlyServices, ...shop, ...routes, ...remote])[0].message).toContain('a mesh name (.mesh, .mesh.local) resolves only through an outbound, so the requests to it fail');
    expect(MeshAnalysis.analyze([KONG_NS, onlyServices, ...shop, ...routes, ...remote])[0].message).toContain(
      'Service shop/payments (MeshService kuma.io/display-name=payments,k8s.kuma.io/namespace=payments,kuma.io/zone=zone-a port 8080, which the services list cannot name: with it alone Kuma builds no MeshService outbound)');
    const byLabels = 'refs:\n- kind: MeshService\n  port: 8080\n  labels:\n    kuma.io/display-name: payments\n    k8s.kuma.io/namespace: payments\n    kuma.io/zone: zone-a\n';
    const both = listing({ 'kuma.io/transparent-proxying-reachable-services': 'web_shop_svc_80,orders_shop_svc_80', 'kuma.io/reachable-backends': byLabels });
    expect(ids([KONG_NS, both, ...shop, ...routes, ...remote])).toEqual([]);
    // Kuma 3.x: by name, the other zone's MeshService is not taken in
    const gateway3 = (refs: string) => deployment('kong', 'kong', {}, { 'traffic.kuma.io/exclude-inbound-ports': '8000', 'kuma.io/reachable-backends': refs });
    const local = 'refs:\n- kind: MeshService\n  name: web\n  namespace: shop\n- kind: MeshService\n  labels:\n    kuma.io/display-name: orders\n    k8s.kuma.io/namespace: shop\n';
    // (the ref by name is one Kuma 3.0 resolves to nothing: KUMA036)
    expect(ids([KONG_NS, gateway3(local), ...shop, ...routes, ...remote], { version: KumaVersion.V3_0 })).toEqual(['KUMA032 Deployment kong/kong', 'KUMA036 Deployment kong/kong']);
    expect(ids([KONG_NS, gateway3(local + byLabels.replace('refs:\n', '')), ...shop, ...routes, ...remote], { version: KumaVersion.V3_0 })).toEqual(['KUMA036 Deployment kong/kong']);
  });

  test('review: the reachable rules on hostile ports, unknown backends, Exclusive meshes and labels they cannot tell', () => {
    const shop = [ns('shop', { 'kuma.io/sidecar-injection': 'enabled' }), deployment('web', 'shop', {}), service('web', 'shop', { app: 'web' }, { annotations: UPSTREAM })];
    const byName = (name: string) => ({ ...ingress('odd', 'shop', 'odd', 80), spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'odd', port: { name } } } }] } }] } });
    const odd = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'odd', namespace: 'shop' }, spec: { selector: { app: 'web' }, ports: [null, 'x'] } };
    const listing = deployment('kong', 'kong', {}, { 'kuma.io/gateway': 'enabled', 'kuma.io/transparent-proxying-reachable-services': 'web_shop_svc_80' });
    expect(() => MeshAnalysis.analyze([KONG_NS, GATEWAY, ...shop, odd, byName('http')])).not.toThrow();
    expect(() => MeshAnalysis.analyze([KONG_NS, listing, ...shop, odd, byName('http')])).not.toThrow();
    // a backend the files do not have: no list is derived without it
    const [f] = MeshAnalysis._analyze([KONG_NS, GATEWAY, ...shop, ingress('web', 'shop', 'web', 80), ingress('api', 'shop', 'api', 80)].map((obj) => ({ obj })), {});
    expect([f.ruleId, f.autoFix]).toEqual(['KUMA011', undefined]);
    expect(f.message).toContain('Service shop/api is not in these files, so what Kuma names it is not known');
    // meshServices.mode Exclusive: no kuma.io/service outbounds, so the backends list is derived
    const exclusive = { apiVersion: 'kuma.io/v1alpha1', kind: 'Mesh', metadata: { name: 'default' }, spec: { meshServices: { mode: 'Exclusive' } } };
    const [g] = MeshAnalysis.analyze([exclusive, KONG_NS, GATEWAY, ...shop, ingress('web', 'shop', 'web', 80)]);
    expect(g.message).toBe('lists no reachable backends, so its sidecar builds outbounds for the whole mesh; its routes send to MeshService shop/web port 80');
    // a ref by a label the analysis cannot tell on the MeshService: no finding rests on it
    const team = deployment('kong', 'kong', {}, { 'kuma.io/gateway': 'enabled', 'kuma.io/reachable-backends': 'refs:\n- kind: MeshService\n  labels:\n    team: web\n' });
    expect(ids([exclusive, KONG_NS, team, ...shop, ingress('web', 'shop', 'web', 80)])).toEqual([]);
  });

  test('review: KUMA030 takes a backend port that names or numbers a targetPort (ingress-nginx resolves it), and reports a missing port once', () => {
    const routed = (manifests: any[]) => idsOf(manifests, { ignore: ['KUMA011'] });
    const web = service('web', 'shop', { app: 'web' }, { annotations: UPSTREAM, ports: [{ port: 80, targetPort: 'http' }] });
    const base = [KONG_NS, GATEWAY, ns('shop', { 'kuma.io/sidecar-injection': 'enabled' }), deployment('web', 'shop', {}), web];
    const byName = (name: string) => ({ ...ingress('web', 'shop', 'web', 80), spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name } } } }] } }] } });
    expect(routed([...base, byName('http')])).toEqual([]);
    const twice = { ...ingress('web', 'shop', 'web', 81), spec: { rules: [{ http: { paths: ['/a', '/b'].map((p) => ({ path: p, pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 81 } } } })) } }] } };
    expect(routed([...base, twice])).toEqual(['KUMA030 Ingress shop/web']);
  });

  test('review: KUMA031 says a pod opts out when it does', () => {
    const legacy = [ns('legacy', { 'kuma.io/sidecar-injection': 'enabled' }), deployment('api', 'legacy', { 'kuma.io/sidecar-injection': 'disabled' }), service('api', 'legacy', { app: 'api' }, { annotations: UPSTREAM })];
    const [f] = MeshAnalysis.analyze([KONG_NS, GATEWAY, ...legacy, ingress('api', 'legacy', 'api', 80)], { ignore: ['KUMA011'] });
    expect(f.message).toContain('whose pods (Deployment legacy/api) are not meshed (their pod label kuma.io/sidecar-injection: disabled opts them out)');
  });

  test('KUMA012 duplicate-object: same group, kind, namespace and name', () => {
    const web = service('web', 'shop', undefined);
    const [f] = MeshAnalysis.analyze([web, ns('shop', { 'kuma.io/sidecar-injection': 'enabled' }), { ...web, apiVersion: 'v1', spec: { ports: [{ port: 8080 }] } }]);
    expect(f).toEqual({
      ruleId: 'KUMA012',
      rule: 'duplicate-object',
      severity: FindingSeverity.ERROR,
      object: 'Service shop/web',
      message: 'has the same API group, kind, namespace and name as Service shop/web: kubectl apply keeps only the last one written, kustomize refuses the set and Argo CD reports a RepeatedResourceWarning',
      fix: 'Give one of them another name, or declare the object once and import it where it is needed (for example MeshNamespace.fromNamespaceName()).',
    });
    // the version does not matter, the group does; other namespace, kind or name: no finding
    expect(ids([KONG_NS, deployment('web', 'shop', {}), { ...deployment('web', 'shop', {}), apiVersion: 'apps/v1beta2' }])).toEqual(['KUMA012 Deployment shop/web']);
    expect(ids([web, service('web', 'other', undefined), service('api', 'shop', undefined), deployment('web', 'shop', {}),
      { apiVersion: 'kuma.io/v1alpha1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' } }])).toEqual([]);
  });

  test('KUMA012 in an app: within a chart (its path named), not across charts (one cluster each)', () => {
    const app = Testing.app();
    const analyzer = new MeshAnalyzer(app, 'MeshAnalyzer', { ignore: ['KUMA001'] });
    for (const zone of ['zone-a', 'zone-b']) {
      const c = new Chart(app, zone);
      new MeshNamespace(c, 'Shop', { metadata: { name: 'shop' } });
    }
    app.synth();
    expect(analyzer.findings).toEqual([]);
    new kplus.Namespace(app.node.findChild('zone-b') as Chart, 'AgainShop', { metadata: { name: 'shop' } });
    expect(() => app.synth()).toThrow(/\[MeshAnalyzer\] KUMA012 .*duplicate-object: Namespace shop \(zone-b\/AgainShop\/Resource\) has the same API group, kind, namespace and name as zone-b\/Shop\/Resource:/);
  });

  test('rule catalogue, ignore, and unknown rule ids', () => {
    expect(MeshAnalysis.rules.map((r) => r.id)).toEqual(['KUMA001', 'KUMA002', 'KUMA003', 'KUMA004', 'KUMA005', 'KUMA006', 'KUMA007', 'KUMA008', 'KUMA009', 'KUMA010', 'KUMA011', 'KUMA012', 'KUMA013',
      'KUMA014', 'KUMA015', 'KUMA016', 'KUMA017', 'KUMA018', 'KUMA019', 'KUMA020', 'KUMA021', 'KUMA022', 'KUMA023', 'KUMA024', 'KUMA025', 'KUMA026', 'KUMA027',
      'KUMA028', 'KUMA029', 'KUMA030', 'KUMA031', 'KUMA032', 'KUMA033', 'KUMA034', 'KUMA035', 'KUMA036', 'KUMA037', 'KUMA038', 'KUMA039', 'KUMA040', 'KUMA041']);
    expect(MeshAnalysis.rules.filter((r) => r.fixable).map((r) => r.id)).toEqual(['KUMA001', 'KUMA002', 'KUMA011', 'KUMA014', 'KUMA016', 'KUMA017', 'KUMA019', 'KUMA028', 'KUMA029', 'KUMA036', 'KUMA041']);
    expect(ids([ns('shop'), deployment('web', 'shop', { 'kuma.io/sidecar-injection': 'enabled' })], { ignore: ['KUMA004'] })).toEqual([]);
    expect(() => MeshAnalysis.analyze([], { ignore: ['KUMA999'] })).toThrow('MeshAnalysis: ignore "KUMA999" is not a rule id. Use one of KUMA001, KUMA002');
  });
});

/** An app mixing this library, cdk8s-plus and Include'd YAML. */
function mixedApp(analyzer?: { fix?: boolean; failOn?: FindingSeverity }) {
  const app = Testing.app();
  if (analyzer) new MeshAnalyzer(app, 'MeshAnalyzer', analyzer);
  const chart = new Chart(app, 'mixed');
  const kongNs = new MeshNamespace(chart, 'KongNs', { metadata: { name: 'kong' } });
  const shopNs = new kplus.Namespace(chart, 'ShopNs', { metadata: { name: 'shop', labels: { 'kuma.io/sidecar-injection': 'disabled' } } });
  void shopNs;
  // cdk8s-plus workload that opts in per pod, with a plain cdk8s-plus Service (no service-upstream)
  const web = new kplus.Deployment(chart, 'Web', {
    metadata: { name: 'web', namespace: 'shop' },
    podMetadata: { labels: { 'kuma.io/sidecar-injection': 'enabled' } },
    containers: [{ image: 'web', portNumber: 8080 }],
  });
  const svc = new kplus.Service(chart, 'WebService', { metadata: { name: 'web', namespace: 'shop' }, selector: web, ports: [{ port: 80, targetPort: 8080 }] });
  // the gateway from this library, and an Ingress from a raw L1
  new DelegatedGatewayDeployment(chart, 'Kong', { metadata: { name: 'kong' }, namespace: kongNs, flavour: GatewayFlavour.kong(), containers: [{ image: 'kong', portNumber: 8000 }] });
  new ApiObject(chart, 'Ingress', ingress('web', 'shop', 'web', 80));
  // Include'd YAML: a Service of another team
  new Include(chart, 'Legacy', { url: path.join(__dirname, 'fixtures', 'existing-services.yaml') });
  return { app, chart, svc };
}

describe('analysis views of this library\'s constructs', () => {
  test('MeshService and CrossZoneExternalName describe themselves as their synthesized objects do', () => {
    const c = new Chart(Testing.app(), 'v', { namespace: 'shop' });
    const web = new kplus.Deployment(c, 'Web', { containers: [{ image: 'web', portNumber: 8080 }] });
    const svc = new MeshService(c, 'Svc', {
      metadata: { name: 'web', labels: { team: 'a' }, annotations: { x: 'y' } },
      selector: web,
      selectorLabels: { tier: 'front' },
      type: kplus.ServiceType.NODE_PORT,
      ports: [{ port: 80, name: 'http' }, { port: 53, name: 'dns', protocol: kplus.Protocol.UDP }],
    });
    const cz = new CrossZoneExternalName(c, 'Remote', { metadata: { name: 'remote' }, target: MeshAddress.kumaServiceVip(svc, 80) });
    const pick = (o: any) => ({
      metadata: o.metadata,
      type: o.spec.type ?? 'ClusterIP',
      selector: o.spec.selector,
      externalName: o.spec.externalName,
      ports: (o.spec.ports ?? []).map((p: any) => ({ name: p.name, port: p.port, protocol: p.protocol })),
    });
    for (const construct of [svc, cz]) {
      const view = (construct as any)._analysisManifest();
      const json = ApiObject.of(construct).toJson();
      expect(pick(view)).toEqual(pick(json));
    }
  });
});

describe('MeshAnalyzer (at synth, over the whole app)', () => {
  test('finds the seed\'s pitfall in a mixed app and fails synth', () => {
    const { app } = mixedApp({});
    expect(() => app.synthYaml()).toThrow(/\[MeshAnalyzer\] KUMA001 service-upstream-missing: Service shop\/web \(mixed\/WebService\/Resource\) selects meshed pods \(their kuma.io\/sidecar-injection: enabled label\), but namespace shop is labelled kuma.io\/sidecar-injection=disabled/);
  });

  test('findings of the last synth are kept; warnings are printed', () => {
    const { app } = mixedApp({});
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const analyzer = app.node.findChild('MeshAnalyzer') as MeshAnalyzer;
    expect(() => app.synthYaml()).toThrow();
    stderr.mockRestore();
    // the cdk8s-plus workload keeps cdk8s-plus's pod-level runAsNonRoot and unmounted token
    expect(analyzer.findings.map((f) => f.ruleId)).toEqual(['KUMA001', 'KUMA028', 'KUMA029', 'KUMA011']);
    expect(KumaWarnings.of(app).some((w) => w.includes('KUMA011'))).toBe(true);
  });

  test('fix mode annotates the Service, lets the meshed pods start and derives the gateway\'s reachable services; the output passes the validator', () => {
    const { app } = mixedApp({ fix: true });
    const manifests = synthValid(app);
    expect(manifests.find((m) => m.kind === 'Service' && m.metadata.name === 'web').metadata.annotations).toEqual({
      'ingress.kubernetes.io/service-upstream': 'true', 'nginx.ingress.kubernetes.io/service-upstream': 'true',
    });
    // KUMA028, KUMA029: the token mounted, runAsNonRoot moved from the pod to its container
    const web = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === 'web').spec.template.spec;
    expect(web.automountServiceAccountToken).toBe(true);
    expect(web.securityContext).toEqual({ fsGroupChangePolicy: 'Always' });
    expect(web.containers[0].securityContext).toMatchObject({ runAsNonRoot: true });
    expect(manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === 'kong').spec.template.metadata.annotations).toEqual({
      'kuma.io/gateway': 'enabled', 'kuma.io/transparent-proxying-reachable-services': 'web_shop_svc_80',
    });
    expect((app.node.findChild('MeshAnalyzer') as MeshAnalyzer).findings).toEqual([]);
  });

  test('failOn: WARNING makes warnings fail synth', () => {
    const app = Testing.app();
    new MeshAnalyzer(app, 'MeshAnalyzer', { failOn: FindingSeverity.WARNING });
    const chart = new Chart(app, 'c');
    const kong = new Include(chart, 'Kong', { url: path.join(__dirname, '..', 'examples', 'helm', 'kong-ingress.yaml') });
    DelegatedGateway.adopt(kong.apiObjects.find((o) => o.name === 'kong-gateway')!);
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(() => app.synthYaml()).toThrow('[MeshAnalyzer] KUMA009 gateway-identity: Deployment kong/kong-gateway (c/Kong/kong-gateway-deployment-kong) will be named kong-gateway-admin_kong_svc_8444');
    stderr.mockRestore();
  });

  test('the bundled example has no finding, each cluster\'s App analysed as that cluster applies it', () => {
    const analyzers = new Map<string, MeshAnalyzer>();
    const apps = new Map<string, App>();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('../examples/app').buildExampleApp((cluster: string) => {
      if (!apps.has(cluster)) {
        const app = new App({ outdir: Testing.app().outdir });
        analyzers.set(cluster, new MeshAnalyzer(app, 'MeshAnalyzer'));
        apps.set(cluster, app);
      }
      return apps.get(cluster)!;
    });
    for (const app of apps.values()) app.synthYaml();
    expect([...analyzers].map(([cluster, a]) => [cluster, a.findings])).toEqual([...analyzers.keys()].map((cluster) => [cluster, []]));
  });
});
