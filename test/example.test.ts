import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing, Yaml } from 'cdk8s';
import { buildExampleApp, synthExampleTree } from '../examples/app';
import { ShopChart } from '../examples/shop-chart';
import { KumaVersion, KumaWarnings, MeshAnalysis } from '../src';
import { runLint } from './support/run-lint';
import { registerKongCrds, synthValid } from './support/validate';

registerKongCrds();

const UPSTREAM = {
  'ingress.kubernetes.io/service-upstream': 'true',
  'nginx.ingress.kubernetes.io/service-upstream': 'true',
};

describe('bundled example (examples/shop-chart.ts)', () => {
  const manifests = synthValid(new ShopChart(Testing.app(), 'shop'));
  const get = (kind: string, name: string) => manifests.find((m) => m.kind === kind && m.metadata.name === name);

  test('namespaces carry exactly the injection and mesh labels', () => {
    expect(get('Namespace', 'shop').metadata).toEqual({ name: 'shop', labels: { 'kuma.io/sidecar-injection': 'enabled', 'kuma.io/mesh': 'default' } });
    expect(get('Namespace', 'legacy').metadata).toEqual({ name: 'legacy', labels: { 'kuma.io/sidecar-injection': 'disabled', 'kuma.io/mesh': 'default' } });
  });

  test('every Service carries both service-upstream annotations and appProtocol', () => {
    const services = manifests.filter((m) => m.kind === 'Service');
    expect(services.map((s) => `${s.metadata.namespace}/${s.metadata.name}`)).toEqual(['shop/web', 'shop/orders', 'legacy/billing']);
    for (const svc of services) expect(svc.metadata.annotations).toEqual(UPSTREAM);
    expect(get('Service', 'orders').spec.ports).toEqual([
      { name: 'grpc', port: 9090, appProtocol: 'grpc' },
      { name: 'metrics', port: 9091, appProtocol: 'http' },
    ]);
    expect(get('Service', 'billing').metadata.labels).toEqual({ 'kuma.io/mesh': 'default' });
  });

  test('every Namespace comes before the objects that live in it (kubectl applies in order)', () => {
    const order = manifests.map((m) => m.kind === 'Namespace' ? m.metadata.name : undefined);
    for (const [i, m] of manifests.entries()) {
      if (m.metadata.namespace) expect(order.indexOf(m.metadata.namespace)).toBeLessThan(i);
    }
  });

  test('the per-workload namespace opts its pod in with the pod label', () => {
    expect(get('Deployment', 'billing').spec.template.metadata.labels['kuma.io/sidecar-injection']).toBe('enabled');
  });

  test('the example exposes the Kuma names of its services', () => {
    const chart = new ShopChart(Testing.app(), 'shop');
    expect(chart.web.kumaService()).toBe('web_shop_svc_80');
    expect(chart.orders.meshAddress(9090)).toBe('orders.shop.svc.9090.mesh');
    expect(chart.orders.meshLocalHostname('zone-a')).toBe('orders.shop.svc.zone-a.mesh.local');
  });

});

describe('bundled example: delegated gateways (examples/kong-chart.ts, examples/ingress-nginx-chart.ts)', () => {
  const app = Testing.app();
  const charts = buildExampleApp(app);
  const manifests = synthValid(app);
  const get = (kind: string, name: string) => manifests.find((m) => m.kind === kind && m.metadata.name === name);

  test('no warning: every gateway namespace is declared', () => {
    expect(KumaWarnings.of(app)).toEqual([]);
  });

  test('Kong (adopted from helm template output): proxy and controller pods', () => {
    const proxy = get('Deployment', 'kong-gateway').spec.template.metadata;
    expect(proxy.annotations).toEqual({
      'kuma.io/service-account-token-volume': 'kong-gateway-token',
      'kuma.io/gateway': 'enabled',
      'traffic.sidecar.istio.io/includeInboundPorts': '',
    });
    expect(proxy.labels).toMatchObject({ 'kuma.io/sidecar-injection': 'enabled', 'kuma.io/mesh': 'default', 'app.kubernetes.io/name': 'gateway' });
    const controller = get('Deployment', 'kong-controller').spec.template.metadata;
    expect(controller.annotations['traffic.kuma.io/exclude-outbound-ports']).toBe('8444');
    expect(controller.labels).toMatchObject({ 'kuma.io/sidecar-injection': 'enabled', 'kuma.io/mesh': 'default' });
  });

  test('Kong: admin and manager Services ignored, class parameters with serviceUpstream', () => {
    expect(get('Service', 'kong-gateway-admin').metadata.annotations).toEqual({ 'kuma.io/ignore': 'true' });
    expect(get('Service', 'kong-gateway-manager').metadata.annotations).toEqual({ 'kuma.io/ignore': 'true' });
    expect(get('Service', 'kong-gateway-proxy').metadata.annotations).toBeUndefined();
    expect(get('IngressClassParameters', 'kong-params').spec).toEqual({ serviceUpstream: true });
    expect(get('IngressClass', 'kong').spec.parameters).toEqual({
      apiGroup: 'configuration.konghq.com', kind: 'IngressClassParameters', name: 'kong-params', namespace: 'kong', scope: 'Namespace',
    });
    expect(get('Ingress', 'shop').spec.ingressClassName).toBe('kong');
    expect(charts.kong.proxy.flavour.name).toBe('kong');
  });

  test('each gateway is let into the shop\'s web workload; Kong has timeouts and retries to it', () => {
    // the Service selects by cdk8s's address label; the policies by the pods' own app label
    expect(Object.keys(Testing.synth(charts.shop).find((m) => m.kind === 'Service' && m.metadata.name === 'web').spec.selector)).toEqual(['cdk8s.io/metadata.addr']);
    const webLabels = { app: 'web' };
    const kongMtp = get('MeshTrafficPermission', 'kong-to-web');
    expect(kongMtp.metadata).toEqual({ name: 'kong-to-web', namespace: 'shop', labels: { 'kuma.io/mesh': 'default' } });
    expect(kongMtp.spec).toEqual({
      targetRef: { kind: 'Dataplane', labels: webLabels },
      from: [{
        targetRef: { kind: 'MeshSubset', tags: { 'app.kubernetes.io/name': 'gateway', 'app.kubernetes.io/component': 'app', 'app.kubernetes.io/instance': 'kong', 'k8s.kuma.io/namespace': 'kong' } },
        default: { action: 'Allow' },
      }],
    });
    expect(get('MeshTimeout', 'kong-to-web').spec.to).toEqual([{ targetRef: { kind: 'MeshService', name: 'web_shop_svc_80' }, default: { http: { requestTimeout: '10s' } } }]);
    expect(get('MeshRetry', 'kong-to-web').spec.to[0].default.http).toEqual({ numRetries: 3, perTryTimeout: '3s', retryOn: ['GatewayError', 'ConnectFailure'] });
    const nginxMtp = get('MeshTrafficPermission', 'ingress-nginx-to-web');
    expect(nginxMtp.spec.targetRef).toEqual({ kind: 'Dataplane', labels: webLabels });
    expect(nginxMtp.spec.from[0].targetRef.tags['k8s.kuma.io/namespace']).toBe('ingress-nginx');
  });

  test('ingress-nginx (built): gateway pod, proxy Service, Ingress annotation', () => {
    const pod = get('Deployment', 'ingress-nginx-controller').spec.template;
    expect(pod.metadata.annotations).toEqual({
      'kuma.io/gateway': 'enabled',
      'kuma.io/transparent-proxying-reachable-services': 'web_shop_svc_80',
    });
    expect(pod.metadata.labels).toMatchObject({ 'kuma.io/sidecar-injection': 'enabled', 'kuma.io/mesh': 'default' });
    expect(pod.spec.automountServiceAccountToken).toBe(true);
    const svc = manifests.find((m) => m.kind === 'Service' && m.metadata.namespace === 'ingress-nginx');
    expect(svc.spec).toMatchObject({ type: 'LoadBalancer', externalTrafficPolicy: 'Local' });
    expect(svc.metadata.annotations).toBeUndefined();
    expect(get('Ingress', 'shop-nginx').metadata.annotations).toEqual({ 'nginx.ingress.kubernetes.io/service-upstream': 'true' });
    expect(charts.nginx.controller.mesh).toBe('default');
  });

  test('no policy selects by cdk8s.io/metadata.addr, a label derived from construct paths', () => {
    const policies = manifests.filter((m) => m.apiVersion === 'kuma.io/v1alpha1');
    expect(policies.length).toBeGreaterThan(0);
    expect(JSON.stringify(policies)).not.toContain('cdk8s.io/metadata.addr');
  });

  test('every Namespace comes before the objects that live in it, in each file', () => {
    for (const chart of app.charts) {
      const objects = Testing.synth(chart);
      const namespaces = objects.map((m) => m.kind === 'Namespace' ? m.metadata.name : undefined);
      for (const [i, m] of objects.entries()) {
        const nsIndex = m.metadata.namespace === undefined ? -1 : namespaces.indexOf(m.metadata.namespace);
        if (nsIndex >= 0) expect(nsIndex).toBeLessThan(i);
      }
    }
  });
});

describe('bundled example: multi-zone (examples/multizone-chart.ts)', () => {
  const app = Testing.app();
  const charts = buildExampleApp(app);
  const zoneB = Testing.synth(charts.zoneB);
  synthValid(app);
  const get = (kind: string, name: string) => zoneB.find((m) => m.kind === kind && m.metadata.name === name);

  test('ExternalName Services: exact externalName, no ports, no annotations', () => {
    expect(['payments-vip', 'payments-zone-a', 'payments-any-zone'].map((n) => get('Service', n))).toEqual([
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'payments-vip', namespace: 'kong' }, spec: { type: 'ExternalName', externalName: 'payments.payments.svc.8080.mesh' } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'payments-zone-a', namespace: 'kong' }, spec: { type: 'ExternalName', externalName: 'payments.payments.svc.zone-a.mesh.local' } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'payments-any-zone', namespace: 'kong' }, spec: { type: 'ExternalName', externalName: 'payments.mzsvc.mesh.local' } },
    ]);
  });

  test('the Ingress uses port 80 for the VIP and the real port for .mesh.local names', () => {
    const paths = get('Ingress', 'payments').spec.rules[0].http.paths.map((p: any) => [p.path, p.backend.service.name, p.backend.service.port.number]);
    expect(paths).toEqual([
      ['/payments', 'payments-vip', 80],
      ['/payments-a', 'payments-zone-a', 8080],
      ['/payments-any', 'payments-any-zone', 8080],
    ]);
  });

  test('global: the Mesh mode that serves both kinds of name, and the MeshMultiZoneService', () => {
    const global = Testing.synth(charts.global!);
    // mTLS: cross-zone traffic goes through zone ingresses, which Kuma builds for meshes with mTLS only
    expect(global[0]).toEqual({
      apiVersion: 'kuma.io/v1alpha1',
      kind: 'Mesh',
      metadata: { name: 'default' },
      spec: { meshServices: { mode: 'Everywhere' }, mtls: { enabledBackend: 'ca-1', backends: [{ name: 'ca-1', type: 'builtin', mode: 'STRICT' }] } },
    });
    expect(global[1].spec.selector).toEqual({ meshService: { matchLabels: { 'kuma.io/display-name': 'payments', 'k8s.kuma.io/namespace': 'payments' } } });
  });

  test('zone A: the payments Service carries service-upstream', () => {
    const svc = Testing.synth(charts.zoneA).find((m) => m.kind === 'Service');
    expect(svc.metadata.annotations).toEqual(UPSTREAM);
  });
});

describe('bundled example: output', () => {
  test('synthesis is deterministic: byte-identical YAML on every run', () => {
    const yaml = () => {
      const app = Testing.app();
      buildExampleApp(app);
      return app.synthYaml();
    };
    const first = yaml();
    expect(yaml()).toBe(first);
    expect(first).toMatchSnapshot();
  });
});

describe('bundled example for Kuma 3.0 (dist/example-kuma-3.0)', () => {
  const app = Testing.app();
  const charts = buildExampleApp(app, KumaVersion.V3_0);
  // every object valid against the 3.0 CRDs with nothing pruned
  const manifests = synthValid(app);
  const deployment = (name: string) => manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === name);

  test('gateways are marked the 3.x way: no kuma.io/gateway, their ports kept out of inbound redirection', () => {
    for (const name of ['kong-gateway', 'kong-controller', 'ingress-nginx-controller', 'kong-gateway']) {
      const annotations = deployment(name).spec.template.metadata.annotations;
      expect(annotations['kuma.io/gateway']).toBeUndefined();
      expect(annotations['traffic.kuma.io/exclude-inbound-ports']).toMatch(/^[0-9]+(,[0-9]+)*$/);
    }
    expect(deployment('ingress-nginx-controller').spec.template.metadata.annotations['traffic.kuma.io/exclude-inbound-ports']).toBe('80,443');
  });

  test('policies select by labels; the permission allows the gateway\'s SPIFFE ID', () => {
    const kongToWeb = manifests.filter((m) => m.metadata.name === 'kong-to-web');
    expect(kongToWeb.find((m) => m.kind === 'MeshTrafficPermission').spec.rules[0].default.allow[0].spiffeID.value)
      .toBe('spiffe://default.edge.mesh.local/ns/kong/sa/kong-gateway');
    expect(kongToWeb.find((m) => m.kind === 'MeshTimeout').spec.to[0].targetRef)
      .toEqual({ kind: 'MeshService', labels: { 'kuma.io/display-name': 'web', 'k8s.kuma.io/namespace': 'shop' } });
  });

  test('multi-zone: no global chart, no .mesh VIP; zones A and B share a CA and trust domain; zone A lets zone B\'s gateway in by it', () => {
    expect(charts.global).toBeUndefined();
    expect(charts.zoneB.viaVip).toBeUndefined();
    const zoneA = Testing.synth(charts.zoneA);
    const zoneB = Testing.synth(charts.zoneB);
    const identity = (objs: any[]) => objs.find((m) => m.kind === 'MeshIdentity').spec;
    expect(identity(zoneA)).toEqual(identity(zoneB));
    expect(identity(zoneA).spiffeID).toEqual({ trustDomain: 'default.mesh.local' });
    expect(identity(zoneA).provider.bundled.ca.certificate.secretRef).toEqual({ kind: 'Secret', name: 'mesh-ca-cert' });
    // (Kuma creates zone A's MeshZoneAddress for its mesh-scoped zone ingress)
    expect(zoneA.filter((m) => m.kind === 'MeshZoneAddress')).toEqual([]);
    const permission = zoneA.find((m) => m.kind === 'MeshTrafficPermission');
    const gateway = zoneB.find((m) => m.kind === 'Deployment').spec.template.spec;
    expect(permission.spec.rules[0].default.allow[0].spiffeID.value).toBe(`spiffe://default.mesh.local/ns/kong/sa/${gateway.serviceAccountName}`);
    // one app per cluster, as the example is written out (in one app, zone B's Kong would also serve the edge's kong-class Ingress)
    const apps = new Map<string, App>();
    const perCluster = buildExampleApp((cluster) => apps.get(cluster) ?? apps.set(cluster, Testing.app()).get(cluster)!, KumaVersion.V3_0);
    expect(Testing.synth(perCluster.zoneB.gateway.node.scope as Chart).find((m) => m.kind === 'Deployment').spec.template.metadata.annotations['kuma.io/reachable-backends']).toBe(
      'refs:\n- kind: MeshService\n  port: 8080\n  labels:\n    "kuma.io/display-name": "payments"\n    "k8s.kuma.io/namespace": "payments"\n    "kuma.io/zone": "zone-a"\n');
  });

  test('each cluster\'s charts (one folder each) pass the project\'s own lint for 3.0, as the 2.14 ones do for 2.14', () => {
    for (const [version, build] of [[KumaVersion.V2_14, undefined], [KumaVersion.V3_0, KumaVersion.V3_0]] as const) {
      const a = Testing.app();
      const built = buildExampleApp(a, build);
      const clusters = { 'edge': [built.shop, built.kong, built.nginx], 'global': [built.global], 'zone-a': [built.zoneA], 'zone-b': [built.zoneB] };
      for (const [cluster, members] of Object.entries(clusters)) {
        const findings = MeshAnalysis.analyze(members.filter((c) => c !== undefined).flatMap((c) => Testing.synth(c!)), { version });
        expect(findings.map((f) => `${cluster}: ${f.ruleId} ${f.message}`)).toEqual([]);
      }
    }
  });
});

describe('bundled example as a GitOps repository lays it out (npx projen synth:example)', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'example-tree-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  test.each([['2.14', KumaVersion.V2_14, ['edge', 'global', 'zone-a', 'zone-b']], ['3.0', KumaVersion.V3_0, ['edge', 'zone-a', 'zone-b']]] as const)(
    'Kuma %s: one folder per cluster, each passing cdk8s-kuma lint with exit 0', (text, version, clusters) => {
      const outdir = path.join(root, text);
      const folders = synthExampleTree(outdir, version);
      expect(folders.map((f) => path.basename(f))).toEqual(clusters);
      const files = (dir: string) => fs.readdirSync(path.join(outdir, dir)).sort();
      expect(files('edge')).toEqual(['ingress-nginx.k8s.yaml', 'kong.k8s.yaml', 'shop.k8s.yaml']);
      expect(files('zone-b')).toEqual(['zone-b.k8s.yaml']);
      for (const folder of folders) {
        const result = runLint('lint', '--kuma-version', text, folder);
        expect([path.basename(folder), result.status, result.stderr]).toEqual([path.basename(folder), 0, '']);
        expect(result.stdout).toMatch(/objects, 0 errors, 0 warnings/);
      }
    });

  test('the folders hold the same objects as the one-app build (the snapshot)', () => {
    const outdir = path.join(root, 'same');
    const folders = synthExampleTree(outdir);
    const app = Testing.app();
    buildExampleApp(app);
    const fromTree = folders.flatMap((f) => fs.readdirSync(f).sort().map((file) => fs.readFileSync(path.join(f, file), 'utf8')));
    const fromApp = app.charts.map((c) => Yaml.stringify(...c.toJson()));
    expect(fromTree.sort()).toEqual(fromApp.sort());
  });
});
