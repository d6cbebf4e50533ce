import * as path from 'path';
import { ApiObject, Include, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ServiceUpstream } from '../src';
import { synthValid } from './support/validate';

const FIXTURE = path.join(__dirname, 'fixtures', 'existing-services.yaml');

function included() {
  const chart = Testing.chart();
  const include = new Include(chart, 'Existing', { url: FIXTURE });
  const byName = (name: string) => include.apiObjects.find((o) => o.name === name)!;
  return { chart, byName };
}

describe('ServiceUpstream.annotate', () => {
  test('annotates a cdk8s-plus Service', () => {
    const chart = Testing.chart();
    const svc = new kplus.Service(chart, 'Svc', { metadata: { name: 'web', namespace: 'shop' }, ports: [{ port: 80 }] });
    expect(ServiceUpstream.isAnnotated(svc)).toBe(false);
    ServiceUpstream.annotate(svc);
    expect(ServiceUpstream.isAnnotated(svc)).toBe(true);
    expect(synthValid(chart)[0].metadata.annotations).toEqual({
      'ingress.kubernetes.io/service-upstream': 'true',
      'nginx.ingress.kubernetes.io/service-upstream': 'true',
    });
  });

  test('annotates a Service loaded with Include, keeping its other annotations', () => {
    const { chart, byName } = included();
    ServiceUpstream.annotate(byName('catalog'));
    const catalog = synthValid(chart).find((m) => m.metadata.name === 'catalog');
    expect(catalog.metadata.annotations).toEqual({
      'prometheus.io/scrape': 'true',
      'ingress.kubernetes.io/service-upstream': 'true',
      'nginx.ingress.kubernetes.io/service-upstream': 'true',
    });
    expect(catalog.spec).toEqual({ selector: { app: 'catalog' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] });
  });

  test('is idempotent', () => {
    const chart = Testing.chart();
    const obj = new ApiObject(chart, 'Svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 80 }] } });
    ServiceUpstream.annotate(obj);
    ServiceUpstream.annotate(obj);
    expect(Object.keys(synthValid(chart)[0].metadata.annotations)).toHaveLength(2);
  });

  describe('bad input', () => {
    test('a value the user set differently is an error, never overwritten', () => {
      const { byName } = included();
      expect(() => ServiceUpstream.annotate(byName('legacy-api'))).toThrow(
        'test/Existing/legacy-api-service-shop: metadata.annotations["ingress.kubernetes.io/service-upstream"] "false" is already set and differs from "true"; with it the gateway would send to pod IPs and bypass the mesh. Remove the annotation or set it to "true".');
    });

    test('an ExternalName Service fails at synth', () => {
      const { chart, byName } = included();
      ServiceUpstream.annotate(byName('partner'));
      expect(() => Testing.synth(chart)).toThrow(
        '[test/Existing/partner-service-shop] spec.type "ExternalName" cannot take service-upstream: an ExternalName Service has no ClusterIP or endpoints, and Kuma never annotates one. Do not annotate ExternalName Services; point them at a .mesh name instead.');
    });

    test('an object that is not a Service', () => {
      const { byName } = included();
      expect(() => ServiceUpstream.annotate(byName('settings'))).toThrow(
        'test/Existing/settings-configmap-shop: kind "v1/ConfigMap" is not a Service, so ingress controllers never read service-upstream on it. Pass the v1 Service that the ingress or route points at.');
    });

    test('a construct without an ApiObject', () => {
      const chart = Testing.chart();
      expect(() => ServiceUpstream.annotate(chart)).toThrow(
        'test: service "test" is neither an ApiObject nor a construct whose default child is one. Pass a cdk8s-plus Service or the ApiObject of a Service.');
    });
  });
});
