import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { DelegatedGatewayDeployment, FindingSeverity, GatewayFlavour, KongIngressClass, KumaProtocol, KumaWarnings, MeshAnalysis, MeshAnalyzer, MeshNamespace, MeshService } from '../src';
import { kongDeployment } from './support/kong-deployment';
import { MESHED_POD } from '../examples/shop-chart';

// KUMA023 (an Ingress class nothing in the set serves) and KUMA024 (Kong to a gRPC/TLS port
// without konghq.com/protocol).

const gateway = (env: Array<{ name: string; value: string }> = [], args: string[] = []) => kongDeployment({ 'kuma.io/gateway': 'enabled' }, { env, args });
const ingressClass = (name: string, controller = 'ingress-controllers.konghq.com/kong', isDefault = false) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'IngressClass',
  metadata: { name, ...isDefault ? { annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } } : {} },
  spec: { controller },
});
const ingress = (className: string | undefined, service = 'orders', port = 9000, annotations?: Record<string, string>) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'shop', namespace: 'shop', ...annotations ? { annotations } : {} },
  spec: { ...className === undefined ? {} : { ingressClassName: className }, rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: service, port: { number: port } } } }] } }] },
});
const UPSTREAM = { 'ingress.kubernetes.io/service-upstream': 'true', 'nginx.ingress.kubernetes.io/service-upstream': 'true' };
const service = (appProtocol: string | undefined, annotations: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'orders', namespace: 'shop', annotations: { ...UPSTREAM, ...annotations } },
  spec: { selector: { app: 'orders' }, ports: [{ port: 9000, ...appProtocol === undefined ? {} : { appProtocol } }] },
});
const of = (id: string, objects: any[]) => MeshAnalysis.analyze(objects).filter((f) => f.ruleId === id);

describe('KUMA023 ingress-class-unserved', () => {
  test('an Ingress naming a class the set does not have, with the set\'s classes and the fix', () => {
    const [f] = of('KUMA023', [gateway(), ingressClass('kong'), ingress('kong-internal')]);
    expect(f).toEqual(expect.objectContaining({
      severity: FindingSeverity.WARNING,
      object: 'Ingress shop/shop',
      message: 'names ingress class kong-internal (spec.ingressClassName), but the set\'s IngressClasses are kong and none of its delegated gateways serves kong-internal: no controller of these files routes this Ingress (unless one installed elsewhere serves kong-internal)',
      fix: 'Set spec.ingressClassName to the class of the gateway that should route it (kong), or add IngressClass kong-internal.',
    }));
    // the legacy annotation counts the same
    expect(of('KUMA023', [gateway(), ingressClass('kong'), ingress(undefined, 'orders', 9000, { 'kubernetes.io/ingress.class': 'nginx' })])[0].message)
      .toMatch(/^names ingress class nginx \(kubernetes.io\/ingress.class\)/);
  });

  test('silent when the class is in the set, a controller of the set serves it, or nothing in the set says which classes exist', () => {
    expect(of('KUMA023', [gateway(), ingressClass('kong'), ingress('kong')])).toEqual([]);
    expect(of('KUMA023', [gateway([{ name: 'CONTROLLER_INGRESS_CLASS', value: 'kong-internal' }]), ingressClass('kong'), ingress('kong-internal')])).toEqual([]);
    expect(of('KUMA023', [gateway([], ['--ingress-class=internal']), ingressClass('kong'), ingress('internal')])).toEqual([]);
    expect(of('KUMA023', [gateway(), ingress('kong-internal')])).toEqual([]); // no IngressClass: not known
    expect(of('KUMA023', [ingressClass('kong'), ingress('kong-internal')])).toEqual([]); // no delegated gateway: not Kuma's business
    expect(of('KUMA023', [gateway(), ingressClass('kong'), ingress(undefined)])).toEqual([]); // no class named
  });
});

describe('KUMA024 kong-upstream-protocol', () => {
  test('Kong routes to a gRPC port of a Service without konghq.com/protocol', () => {
    const [f] = of('KUMA024', [gateway(), ingressClass('kong'), ingress('kong'), service('grpc')]);
    expect(f).toEqual(expect.objectContaining({
      severity: FindingSeverity.WARNING,
      object: 'Ingress shop/shop',
      message: 'is routed by Kong (its class kong (spec.ingressClassName) is IngressClass kong of controller ingress-controllers.konghq.com/kong) to Service shop/orders port 9000, whose appProtocol is grpc, but the Service has no konghq.com/protocol: Kong\'s controller does not read appProtocol and speaks HTTP/1.1 to it',
      fix: 'Annotate Service shop/orders with konghq.com/protocol: grpc.',
    }));
    expect(of('KUMA024', [gateway(), ingressClass('kong'), ingress('kong'), service('tls')])[0].fix)
      .toBe('Annotate Service shop/orders with konghq.com/protocol: https (grpcs for gRPC over TLS).');
    // the default class, and a class only Kong's controller env declares
    expect(of('KUMA024', [gateway(), ingressClass('kong', undefined, true), ingress(undefined), service('grpc')])[0].message).toMatch(/its class kong \(the default IngressClass\)/);
    expect(of('KUMA024', [gateway([{ name: 'CONTROLLER_INGRESS_CLASS', value: 'kong' }]), ingress('kong'), service('grpc')])[0].message)
      .toMatch(/its class kong \(spec.ingressClassName\) is the one a Kong controller of the set serves \(CONTROLLER_INGRESS_CLASS\)/);
  });

  test('HTTPRoute by its parent Gateway\'s GatewayClass', () => {
    const route = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'shop', namespace: 'shop' },
      spec: { parentRefs: [{ name: 'kong', namespace: 'kong' }], rules: [{ backendRefs: [{ name: 'orders', port: 9000 }] }] },
    };
    const gw = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'kong', namespace: 'kong' }, spec: { gatewayClassName: 'kong' } };
    const gc = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'kong' }, spec: { controllerName: 'konghq.com/kic-gateway-controller' } };
    expect(of('KUMA024', [gateway(), route, gw, gc, service('grpc')]).map((f) => f.message.match(/\(([^)]*)\) to/)![1]))
      .toEqual(['its parent Gateway kong/kong is of GatewayClass kong, controller konghq.com/kic-gateway-controller']);
    expect(of('KUMA024', [gateway(), route, gw, service('grpc')])).toEqual([]); // the class is not in the set: not known to be Kong
  });

  test('silent with the annotation, for http ports, for other controllers, and without a gateway', () => {
    expect(of('KUMA024', [gateway(), ingressClass('kong'), ingress('kong'), service('grpc', { 'konghq.com/protocol': 'grpc' })])).toEqual([]);
    expect(of('KUMA024', [gateway(), ingressClass('kong'), ingress('kong'), service('http')])).toEqual([]);
    expect(of('KUMA024', [gateway(), ingressClass('nginx', 'k8s.io/ingress-nginx'), ingress('nginx'), service('grpc')])).toEqual([]);
    expect(of('KUMA024', [ingressClass('kong'), ingress('kong'), service('grpc')])).toEqual([]);
  });

  test('in an app: a Kong flavour gateway, KongIngressClass and a gRPC MeshService warn at synth', () => {
    const app = Testing.app();
    new MeshAnalyzer(app, 'MeshAnalyzer');
    const chart = new Chart(app, 'edge');
    const kong = new MeshNamespace(chart, 'Kong', { metadata: { name: 'kong' } });
    const shop = new MeshNamespace(chart, 'Shop', { metadata: { name: 'shop' } });
    new DelegatedGatewayDeployment(chart, 'Gateway', {
      flavour: GatewayFlavour.kong(),
      metadata: { namespace: kong.name },
      containers: [{ image: 'kong:3.9', portNumber: 8000 }],
    });
    new KongIngressClass(chart, 'Class', { name: 'kong', parametersNamespace: kong.name });
    const orders = new kplus.Deployment(chart, 'Orders', { metadata: { namespace: shop.name }, ...MESHED_POD, containers: [{ image: 'orders', portNumber: 9000 }] });
    const svc = new MeshService(chart, 'OrdersSvc', { metadata: { name: 'orders', namespace: shop.name }, selector: orders, ports: [{ port: 9000, appProtocol: KumaProtocol.GRPC }] });
    new kplus.Ingress(chart, 'ShopIngress', { metadata: { name: 'shop', namespace: shop.name }, className: 'kong', defaultBackend: kplus.IngressBackend.fromService(svc, { port: 9000 }) });
    app.synth();
    expect(KumaWarnings.of(app).filter((w) => w.includes('KUMA024'))).toEqual([
      expect.stringContaining('KUMA024 kong-upstream-protocol: Ingress shop/shop (edge/ShopIngress/Resource) is routed by Kong (its class kong (spec.ingressClassName) is IngressClass kong of controller ingress-controllers.konghq.com/kong) to Service shop/orders port 9000, whose appProtocol is grpc'),
    ]);
  });
});
