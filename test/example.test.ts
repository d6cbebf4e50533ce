import { Testing } from 'cdk8s';
import { ShopChart } from '../examples/shop-chart';
import { synthValid } from './support/validate';

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

  test('synthesis is deterministic: byte-identical YAML on every run', () => {
    const yaml = () => {
      const app = Testing.app();
      new ShopChart(app, 'shop');
      return app.synthYaml();
    };
    const first = yaml();
    expect(yaml()).toBe(first);
    expect(first).toMatchSnapshot();
  });
});
