/*
 * An app on cdk8s-plus-33 (test/apps/cdk8s-plus-33/app.ts), for Kuma 2.14 and 3.0: it synthesizes
 * (MeshAnalyzer at synth), every object passes the schemas, the lint and the cdk8s.yaml plugin find
 * nothing, and the YAML carries what the library writes for cdk8s-plus-28 objects. Then, at compile
 * time, which APIs need cdk8s-plus-28 objects (the README's table): each `@ts-expect-error` below
 * fails the test when the error it expects is gone.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus33 from 'cdk8s-plus-33';
import { parseAllDocuments } from 'yaml';
import {
  CrossZoneExternalName, DelegatedGateway, DelegatedGatewayDeployment, GatewayPermissionTarget, KumaProtocol,
  KumaVersion, Mesh, MeshAddress, MeshNamespace, MeshService, MeshServicesMode, MeshValidation,
} from '../src';
import { plus33App } from './apps/cdk8s-plus-33/app';
import { runLint } from './support/run-lint';
import { registerKongCrds, synthValid } from './support/validate';

registerKongCrds(); // KongIngressClass writes IngressClassParameters
const selects = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);

describe.each([KumaVersion.V2_14, KumaVersion.V3_0])('a cdk8s-plus-33 app, Kuma %s', (version) => {
  const objects = synthValid(plus33App(version));
  const get = (kind: string, namespace: string | undefined, name: string) => {
    const found = objects.find((o) => o.kind === kind && o.metadata.name === name && o.metadata.namespace === namespace);
    if (found === undefined) throw new Error(`no ${kind} ${namespace}/${name}`);
    return found;
  };
  const kuma3 = version.major >= 3;

  test('every Service selects the pods of exactly one workload of its namespace, by labels that are not cdk8s\'s address', () => {
    const services = objects.filter((o) => o.kind === 'Service' && o.spec.selector);
    expect(services.map((s) => `${s.metadata.namespace}/${s.metadata.name}`).sort())
      .toEqual(['ingress-nginx/ingress-nginx-controller', 'kong/kong-proxy', 'shop/orders', 'shop/web']);
    for (const s of services) {
      const workloads = objects.filter((o) => o.kind === 'Deployment' && o.metadata.namespace === s.metadata.namespace
        && selects(s.spec.selector, o.spec.template.metadata.labels));
      expect({ service: s.metadata.name, workloads: workloads.length }).toEqual({ service: s.metadata.name, workloads: 1 });
      expect(Object.keys(s.spec.selector)).not.toContain('cdk8s.io/metadata.addr');
    }
  });

  test('the Services: service-upstream and Kuma\'s protocol, on the cdk8s-plus-33 Service and on the MeshService alike', () => {
    for (const name of ['web', 'orders']) {
      const s = get('Service', 'shop', name);
      expect(s.metadata.annotations).toMatchObject({ 'ingress.kubernetes.io/service-upstream': 'true', 'nginx.ingress.kubernetes.io/service-upstream': 'true' });
      expect(s.spec.ports[0]).toMatchObject({ port: 80, targetPort: 8080, appProtocol: 'http' });
    }
    // the MeshService's backend went into the cdk8s-plus-33 Ingress as JSON
    expect(get('Ingress', 'shop', 'shop').spec.rules[0].http.paths).toEqual([
      { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } },
      { path: '/orders', pathType: 'Prefix', backend: { service: { name: 'orders', port: { number: 80 } } } },
    ]);
    expect(get('Ingress', 'shop', 'shop-nginx').metadata.annotations).toEqual({ 'nginx.ingress.kubernetes.io/service-upstream': 'true' });
  });

  test('both gateways (a cdk8s-plus-33 Deployment adopted, and Include\'d chart output) are delegated gateways with their outbounds', () => {
    for (const [namespace, name] of [['kong', 'kong-gateway'], ['ingress-nginx', 'ingress-nginx-controller']]) {
      const template = get('Deployment', namespace, name).spec.template;
      expect(template.metadata.labels).toMatchObject({ 'kuma.io/sidecar-injection': 'enabled', 'kuma.io/mesh': 'default' });
      expect(template.spec.automountServiceAccountToken ?? true).toBe(true);
      if (kuma3) {
        expect(template.metadata.annotations?.['kuma.io/gateway']).toBeUndefined();
        expect(template.metadata.annotations?.['traffic.kuma.io/exclude-inbound-ports']).toBe(namespace === 'kong' ? '8000,8443' : '80,443');
      } else {
        expect(template.metadata.annotations?.['kuma.io/gateway']).toBe('enabled');
      }
    }
    const kong = get('Deployment', 'kong', 'kong-gateway').spec.template.metadata.annotations;
    if (kuma3) {
      expect(parseAllDocuments(kong['kuma.io/reachable-backends'])[0].toJSON()).toEqual({
        refs: [
          { kind: 'MeshService', labels: { 'kuma.io/display-name': 'orders', 'k8s.kuma.io/namespace': 'shop' } },
          { kind: 'MeshService', labels: { 'kuma.io/display-name': 'web', 'k8s.kuma.io/namespace': 'shop' } },
        ],
      });
    } else {
      expect(kong['kuma.io/transparent-proxying-reachable-services']).toBe('web_shop_svc_80,orders_shop_svc_80');
    }
  });

  test('the permissions select the shop\'s pods by their labels and let each gateway in', () => {
    const permissions = objects.filter((o) => o.kind === 'MeshTrafficPermission');
    expect(permissions.map((p) => p.metadata.name).sort()).toEqual(['ingress-nginx-to-web', 'kong-to-orders', 'kong-to-web']);
    for (const p of permissions) {
      const target = p.metadata.name.endsWith('orders') ? 'orders' : 'web';
      expect(p.spec.targetRef).toEqual({ kind: 'Dataplane', labels: { 'app.kubernetes.io/name': target } });
      const gateway = p.metadata.name.startsWith('kong') ? { ns: 'kong', sa: 'kong-gateway' } : { ns: 'ingress-nginx', sa: 'ingress-nginx' };
      if (kuma3) {
        expect(p.spec.rules[0].default.allow).toEqual([{ spiffeID: { type: 'Exact', value: `spiffe://default.edge.mesh.local/ns/${gateway.ns}/sa/${gateway.sa}` } }]);
      } else {
        const { ['k8s.kuma.io/namespace']: namespace, ...tags } = p.spec.from[0].targetRef.tags;
        expect(namespace).toBe(gateway.ns);
        const pods = objects.find((o) => o.kind === 'Deployment' && o.metadata.namespace === gateway.ns).spec.template.metadata.labels;
        expect(selects(tags, pods)).toBe(true);
      }
    }
    expect(objects.filter((o) => o.kind === 'MeshIdentity')).toHaveLength(kuma3 ? 1 : 0);
  });

  test('the lint and the cdk8s.yaml plugin find nothing in the written YAML', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-kuma-plus33-'));
    try {
      const app = plus33App(version, dir);
      app.synth();
      const files = fs.readdirSync(dir).sort();
      expect(files).toEqual(['ingress-nginx.k8s.yaml', 'kong.k8s.yaml', 'namespaces.k8s.yaml', 'shop.k8s.yaml']);
      expect(runLint('--kuma-version', version.toString(), dir)).toEqual({
        status: 0, stdout: `${objects.length} objects, 0 errors, 0 warnings (Kuma ${version})\n`, stderr: '',
      });
      const violations: unknown[] = [];
      let status = '';
      await new MeshValidation({ kumaVersion: version.toString() }).validate({
        manifests: files.map((f) => path.join(dir, f)),
        report: { addViolation: (v) => violations.push(v), submit: (s) => { status = s; } },
      });
      expect({ status, violations }).toEqual({ status: 'success', violations: [] });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('a cdk8s-plus-33 workload adopted directly is read through its ApiObject; anything else is refused with the fix', () => {
  const chart = new Chart(Testing.app(), 'edge', { namespace: 'kong' });
  const namespace = MeshNamespace.fromNamespaceName(chart, 'Ns', 'kong');
  const service = new kplus33.Service(chart, 'Svc', { metadata: { name: 'kong-proxy' }, ports: [{ port: 80 }] });
  expect(() => DelegatedGateway.adopt(service, { namespace })).toThrow(
    'edge/Svc: workload "v1/Service" is not a workload whose pods can become a delegated gateway. Pass a cdk8s-plus Deployment, '
    + 'StatefulSet or DaemonSet (of any cdk8s-plus major), or the apps/v1 ApiObject of one (for example from Include).');
  const daemons = new kplus33.DaemonSet(chart, 'Kong', { metadata: { name: 'kong' }, containers: [{ image: 'kong:3.9', portNumber: 8000 }] });
  DelegatedGateway.adopt(daemons, { namespace });
  expect(ApiObject.of(daemons).toJson().spec.template.metadata.annotations).toEqual({ 'kuma.io/gateway': 'enabled' });
});

test('MeshService.toIngressBackendJson: the backend of a raw Ingress rule, for a port of the Service', () => {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  const orders = new MeshService(chart, 'Orders', {
    metadata: { name: 'orders' },
    namespace: MeshNamespace.fromNamespaceName(chart, 'Ns', 'shop'),
    selectorLabels: { app: 'orders' },
    ports: [{ port: 80, appProtocol: KumaProtocol.HTTP }, { port: 81 }],
  });
  expect(orders.toIngressBackendJson(81)).toEqual({ service: { name: 'orders', port: { number: 81 } } });
  expect(() => orders.toIngressBackendJson()).toThrow('shop/Orders: port is ambiguous: the Service has the TCP ports 80, 81. Pass the Service port to name.');
  expect(() => orders.toIngressBackendJson(8080)).toThrow('shop/Orders: port 8080 is not a TCP port of the Service (its TCP ports: 80, 81), so Kuma has no service '
    + 'for it. Pass one of the Service ports (the port field, not targetPort).');
});

/**
 * What a cdk8s-plus-33 app cannot pass (README, "Apps on another cdk8s-plus"): cdk8s-plus classes
 * have private members, so a class of one major is not the same class of another. Never called;
 * compiled by ts-jest, which fails on an unused `@ts-expect-error`.
 */
export function apisThatTakeCdk8sPlus28Objects(chart: Chart): void {
  const deployment = new kplus33.Deployment(chart, 'Web', { containers: [{ image: 'web' }] });
  const service33 = new kplus33.Service(chart, 'Svc', { ports: [{ port: 80 }] });
  const namespace = MeshNamespace.fromNamespaceName(chart, 'Ns', 'shop');
  const mesh = new MeshService(chart, 'Mesh', { namespace, selectorLabels: { app: 'web' }, ports: [{ port: 80, appProtocol: KumaProtocol.HTTP }] });
  // @ts-expect-error a cdk8s-plus-33 workload is not a cdk8s-plus-28 IPodSelector: use selectorLabels
  new MeshService(chart, 'Selected', { namespace, selector: deployment });
  // @ts-expect-error the same for select(): use selectLabel
  mesh.select(deployment);
  // @ts-expect-error a MeshService is a cdk8s-plus-28 Service: use toIngressBackendJson() in a cdk8s-plus-33 Ingress
  kplus33.IngressBackend.fromService(mesh);
  // @ts-expect-error a cdk8s-plus-33 Service is not an IMeshService: use MeshService.fromServiceAttributes
  GatewayPermissionTarget.service(service33);
  // @ts-expect-error a cdk8s-plus-33 Namespace is not an IMeshNamespace: use MeshNamespace.fromNamespaceAttributes
  new MeshService(chart, 'InNamespace', { namespace: new kplus33.Namespace(chart, 'Plain'), selectorLabels: { app: 'web' } });
  const vip = new CrossZoneExternalName(chart, 'Vip', {
    target: MeshAddress.kumaServiceVip(mesh), mesh: Mesh.fromMeshAttributes(chart, 'M', { name: 'default', meshServicesMode: MeshServicesMode.DISABLED }),
  });
  // @ts-expect-error toIngressBackend() is a cdk8s-plus-28 IngressBackend: use toIngressBackendJson()
  new kplus33.Ingress(chart, 'Ing').addRule('/', vip.toIngressBackend());
  // @ts-expect-error a cdk8s-plus-33 Volume is not a cdk8s-plus-28 one: adopt a cdk8s-plus-33 Deployment instead
  new DelegatedGatewayDeployment(chart, 'Gw', { namespace, containers: [{ image: 'kong', volumeMounts: [{ path: '/tmp', volume: kplus33.Volume.fromEmptyDir(chart, 'T', 'tmp') }] }] });
}
