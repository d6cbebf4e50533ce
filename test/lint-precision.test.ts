import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { MeshAnalysis } from '../src';
import { runLint } from './support/run-lint';

// Findings only where Kuma is involved and the facts are known: no Kuma signal, no findings;
// pods of a namespace nobody describes are not known to be meshed; a route belongs to a gateway
// only when its class or parent Gateway hands it to that gateway's controller, and a gateway's own
// exposure is not one of its upstreams.

const ns = (name: string, labels: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const workload = (name: string, namespace: string, image: string, podLabels: Record<string, string> = {},
  annotations: Record<string, string> = {}, env?: any[]) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name, ...podLabels }, annotations }, spec: { containers: [{ name, image, ...env ? { env } : {} }] } },
  },
});
const service = (name: string, namespace: string, app = name) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { selector: { app }, ports: [{ port: 80 }] } });
const ingress = (name: string, namespace: string, backend: string, className?: string) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name, namespace },
  spec: { ...className ? { ingressClassName: className } : {}, rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: backend, port: { number: 80 } } } }] } }] },
});
const ingressClass = (name: string, controller: string) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name }, spec: { controller } });
const kong = workload('kong', 'kong', 'kong:3.9', {}, { 'kuma.io/gateway': 'enabled' });
const KONG_NS = ns('kong', { 'kuma.io/sidecar-injection': 'enabled' });
const found = (objects: any[], options = {}) => MeshAnalysis.analyze(objects, options).map((f) => `${f.ruleId} ${f.object}`);

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function file(objects: any[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-kuma-precision-'));
  dirs.push(dir);
  fs.writeFileSync(path.join(dir, 'set.yaml'), objects.map((o) => stringify(o)).join('---\n'));
  return path.join(dir, 'set.yaml');
}

describe('lint precision', () => {
  test('a set without a Kuma signal yields no findings, whatever else is wrong with it', () => {
    // a Traefik quick-start: Traefik, whoami, an Ingress; a label value Kubernetes would refuse
    const traefik = [
      workload('traefik', 'default', 'traefik:v3.1'), service('traefik', 'default'),
      workload('whoami', 'default', 'traefik/whoami'), service('whoami', 'default'),
      ingress('whoami', 'default', 'whoami', 'traefik'),
      { ...ns('demo'), metadata: { name: 'demo', labels: { team: 't'.repeat(64) } } },
    ];
    expect(found(traefik)).toEqual([]);
    expect(runLint('lint', file(traefik)).stdout).toBe('6 objects, 0 errors, 0 warnings (Kuma 2.14)\n');
    // one Kuma key makes it Kuma's
    expect(found([...traefik, ns('mesh', { 'kuma.io/sidecar-injection': 'enabled' })])).toEqual(['KUMA021 Namespace demo']);
  });

  test('pods of a namespace not in the set are not known to be meshed: no KUMA001, unless --namespace-label says', () => {
    const set = [workload('web', 'shop', 'web:1', { 'kuma.io/sidecar-injection': 'enabled' }), service('web', 'shop')];
    expect(found(set)).toEqual([]);
    const f = file(set);
    expect(runLint('lint', f).status).toBe(0);
    const r = runLint('lint', '--namespace-label', 'shop=kuma.io/sidecar-injection=disabled', f);
    expect([r.status, r.stdout.split('\n').slice(0, 3)]).toEqual([1, [
      'ERROR KUMA001 service-upstream-missing',
      `  Service shop/web (${f}:23:1)`,
      '  selects meshed pods (their kuma.io/sidecar-injection: enabled label), but namespace shop is labelled kuma.io/sidecar-injection=disabled, so Kuma does not add ingress.kubernetes.io/service-upstream and nginx.ingress.kubernetes.io/service-upstream; a delegated gateway would send to pod IPs and bypass the mesh.',
    ]]);
    expect(runLint('lint', '--namespace-label', 'shop=kuma.io/sidecar-injection=enabled', f).status).toBe(0);
    expect(runLint('lint', '--namespace-label', 'shop', f).stderr.split('\n')[0])
      .toBe('cdk8s-kuma: --namespace-label: "shop" is not <namespace>=<key>=<value>, e.g. shop=kuma.io/sidecar-injection=enabled');
    expect(runLint('lint', '--namespace-label', 'Shop=a=b', f).stderr.split('\n')[0])
      .toBe('cdk8s-kuma: --namespace-label: "Shop" is not a namespace name (lower-case letters, digits and \'-\', at most 63)');
  });

  test('an Ingress of a class another controller serves is not the Kong gateway\'s route', () => {
    const base = [KONG_NS, kong, ns('legacy'), service('api', 'legacy'), workload('api', 'legacy', 'api:1')];
    const nginx = [...base, ingressClass('nginx', 'k8s.io/ingress-nginx'), ingress('api', 'legacy', 'api', 'nginx')];
    expect(found(nginx)).toEqual([]);
    const kongClass = [...base, ingressClass('kong', 'ingress-controllers.konghq.com/kong'), ingress('api', 'legacy', 'api', 'kong')];
    const [f] = MeshAnalysis.analyze(kongClass).filter((x) => x.ruleId === 'KUMA002');
    expect(f.message).toBe('routes to Service legacy/api, which carries no service-upstream annotations, and neither the route nor its class tells the controller to use the ClusterIP; a delegated gateway serves the route: its class kong (spec.ingressClassName) is IngressClass kong of controller ingress-controllers.konghq.com/kong, which Deployment kong/kong (Kong) runs');
    // a class not in the set: by the class names each product serves (Kong: kong, or CONTROLLER_INGRESS_CLASS)
    expect(found([...base, ingress('api', 'legacy', 'api', 'nginx')])).toEqual([]);
    expect(found([...base, ingress('api', 'legacy', 'api', 'kong')]).filter((x) => x.startsWith('KUMA002'))).toEqual(['KUMA002 Ingress legacy/api']);
  });

  test('a gateway whose controller is not known may serve any route, and the finding says so', () => {
    const custom = workload('edge', 'kong', 'registry.example.com/edge:1', {}, { 'kuma.io/gateway': 'enabled' });
    const set = [KONG_NS, custom, ns('legacy'), service('api', 'legacy'), workload('api', 'legacy', 'api:1'), ingressClass('nginx', 'k8s.io/ingress-nginx'), ingress('api', 'legacy', 'api', 'nginx')];
    const [f] = MeshAnalysis.analyze(set).filter((x) => x.ruleId === 'KUMA002');
    expect(f.message).toMatch(/a delegated gateway serves the route: the controller of Deployment kong\/edge is not known, so it may serve it$/);
  });

  test('an Ingress that exposes the gateway\'s own proxy Service (as Kong\'s chart renders it) is not its route', () => {
    const proxy = { ...service('kong-proxy', 'kong', 'kong') };
    const set = [KONG_NS, kong, proxy, ingressClass('kong', 'ingress-controllers.konghq.com/kong'), ingress('kong-proxy', 'kong', 'kong-proxy', 'kong')];
    expect(found(set)).toEqual([]);
  });

  test('an HTTPRoute belongs to the controller of its parent Gateway\'s class', () => {
    const route = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'api', namespace: 'legacy' },
      spec: { parentRefs: [{ name: 'edge', namespace: 'traefik' }], rules: [{ backendRefs: [{ name: 'api', port: 80 }] }] },
    };
    const gw = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'edge', namespace: 'traefik' }, spec: { gatewayClassName: 'traefik' } };
    const gc = (controllerName: string) => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'traefik' }, spec: { controllerName } });
    const base = [KONG_NS, kong, ns('legacy'), service('api', 'legacy'), workload('api', 'legacy', 'api:1'), route, gw];
    expect(found([...base, gc('traefik.io/gateway-controller')])).toEqual([]);
    expect(found([...base, gc('konghq.com/kic-gateway-controller')]).filter((x) => x.startsWith('KUMA002'))).toEqual(['KUMA002 HTTPRoute legacy/api']);
    // the class not in the set: not known, so it may be Kong's
    expect(found(base).filter((x) => x.startsWith('KUMA002'))).toEqual(['KUMA002 HTTPRoute legacy/api']);
  });
});
