/**
 * Lint rules for Kuma 3.x identity and labels: KUMA035 control-plane-owned-label, KUMA036
 * reachable-backends-by-name (fixable), KUMA037 mesh-identity-missing, KUMA038
 * gateway-default-service-account. Each fires on a bad set and not on the good one.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify as yamlStringify } from 'yaml';
import { FindingSeverity, KumaVersion, MeshAnalysis } from '../src';
import { runLint } from './support/run-lint';

const ns = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kuma.io/sidecar-injection': 'enabled' } } });
const deployment = (name: string, namespace: string, podLabels: Record<string, string>, annotations: Record<string, string> = {},
  spec: any = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace },
  spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name, ...podLabels }, annotations }, spec: { containers: [{ name: 'c', image: 'kong:3.9' }], ...spec } } },
});
const mtp = (spiffe: string, mesh?: string) => ({
  apiVersion: 'kuma.io/v1alpha1',
  kind: 'MeshTrafficPermission',
  metadata: { name: 'kong-to-web', namespace: 'shop', ...mesh ? { labels: { 'kuma.io/mesh': mesh } } : {} },
  spec: { targetRef: { kind: 'Dataplane', labels: { app: 'web' } }, rules: [{ default: { allow: [{ spiffeID: { type: 'Exact', value: spiffe } }] } }] },
});
const identity = { apiVersion: 'kuma.io/v1alpha1', kind: 'MeshIdentity', metadata: { name: 'identity', namespace: 'kuma-system', labels: { 'kuma.io/mesh': 'default' } }, spec: {} };
const rule = (id: string, objs: any[], version = KumaVersion.V3_0) => MeshAnalysis.analyze(objs, { version }).filter((f) => f.ruleId === id);
const GATEWAY = { 'traffic.kuma.io/exclude-inbound-ports': '8000' };

describe('KUMA035 control-plane-owned-label', () => {
  test('on a meshed pod, a Service of meshed pods and a Kuma resource; kuma.io/origin: zone and kuma.io/mesh are the user\'s', () => {
    const web = deployment('web', 'shop', { 'kuma.io/zone': 'zone-1' });
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop', labels: { 'k8s.kuma.io/namespace': 'other' } }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } };
    const zoneAddress = { apiVersion: 'kuma.io/v1alpha1', kind: 'MeshZoneAddress', metadata: { name: 'a', namespace: 'kuma-system', labels: { 'kuma.io/origin': 'zone', 'kuma.io/mesh': 'default', 'kuma.io/policy-role': 'system' } }, spec: {} };
    const findings = rule('KUMA035', [ns('shop'), web, svc, zoneAddress]);
    expect(findings.map((f) => `${f.severity} ${f.object}`)).toEqual([`${FindingSeverity.ERROR} MeshZoneAddress kuma-system/a`, `${FindingSeverity.ERROR} Deployment shop/web`, `${FindingSeverity.ERROR} Service shop/web`]);
    expect(findings[1].message).toBe('carries kuma.io/zone: "zone-1" on its pods, which is a label Kuma\'s control plane computes (pkg/core/resources/labels/registry.go): Kuma 2.x overwrites it, or keeps it in place of the true value for kuma.io/zone, kuma.io/env and k8s.kuma.io/namespace, and Kuma 3.0 refuses a value that differs from the computed one');
    expect(rule('KUMA035', [ns('shop'), web], KumaVersion.V2_14).map((f) => f.severity)).toEqual([FindingSeverity.WARNING]);
    expect(rule('KUMA035', [ns('shop'), deployment('web', 'shop', { 'kuma.io/mesh': 'default' })])).toEqual([]);
  });
});

describe('KUMA036 reachable-backends-by-name', () => {
  test('3.0: refs by name fire, with a fix by labels; by labels, or on 2.14: none', () => {
    const byName = deployment('kong', 'kong', {}, { ...GATEWAY, 'kuma.io/reachable-backends': 'refs:\n- kind: MeshService\n  name: web\n  namespace: shop\n  port: 80\n- kind: MeshService\n  name: auth\n' });
    const [f] = rule('KUMA036', [ns('kong'), byName]);
    expect(f).toMatchObject({ severity: FindingSeverity.ERROR, object: 'Deployment kong/kong' });
    expect((MeshAnalysis as any)._analyze([{ obj: ns('kong') }, { obj: byName }], { version: KumaVersion.V3_0 }).find((x: any) => x.ruleId === 'KUMA036').autoFix.ops[0].value).toBe([
      'refs:',
      '- kind: MeshService', '  port: 80', '  labels:', '    "kuma.io/display-name": "web"', '    "k8s.kuma.io/namespace": "shop"',
      '- kind: MeshService', '  labels:', '    "kuma.io/display-name": "auth"', '    "k8s.kuma.io/namespace": "kong"',
      '',
    ].join('\n'));
    expect(rule('KUMA036', [ns('kong'), byName], KumaVersion.V2_14)).toEqual([]);
  });
});

describe('KUMA037 mesh-identity-missing, KUMA038 gateway-default-service-account', () => {
  test('a permission without a MeshIdentity of its mesh; none with one, or in another mesh\'s', () => {
    expect(rule('KUMA037', [mtp('spiffe://default.zone-1.mesh.local/ns/kong/sa/kong')]).map((f) => f.object)).toEqual(['MeshTrafficPermission shop/kong-to-web']);
    expect(rule('KUMA037', [mtp('spiffe://default.zone-1.mesh.local/ns/kong/sa/kong'), identity])).toEqual([]);
    expect(rule('KUMA037', [mtp('spiffe://x/ns/kong/sa/kong', 'other'), identity]).map((f) => f.object)).toEqual(['MeshTrafficPermission shop/kong-to-web']);
  });

  test('a gateway under the default account that a permission lets in; not with its own account', () => {
    const gw = deployment('kong', 'kong', {}, GATEWAY);
    const findings = rule('KUMA038', [ns('kong'), gw, mtp('spiffe://default.zone-1.mesh.local/ns/kong/sa/default'), identity]);
    expect(findings.map((f) => f.message)).toEqual(['is a delegated gateway under the default ServiceAccount of namespace kong, and MeshTrafficPermission shop/kong-to-web lets in its SPIFFE ID spiffe://default.zone-1.mesh.local/ns/kong/sa/default (Kuma\'s default path template), which every pod of the namespace without an account of its own shares: the permission lets them all in']);
    const own = deployment('kong', 'kong', {}, GATEWAY, { serviceAccountName: 'kong' });
    expect(rule('KUMA038', [ns('kong'), own, mtp('spiffe://default.zone-1.mesh.local/ns/kong/sa/kong'), identity])).toEqual([]);
  });
});

describe('KUMA039 gateway-passthrough-missing', () => {
  const nginx = deployment('controller', 'ingress-nginx', {}, { 'traffic.kuma.io/exclude-inbound-ports': '80,443' });
  (nginx.spec.template.spec.containers[0] as any).image = 'registry.k8s.io/ingress-nginx/controller:v1.12.0';
  const passthrough = (labels: Record<string, string>, mode = 'All') => ({
    apiVersion: 'kuma.io/v1alpha1',
    kind: 'MeshPassthrough',
    metadata: { name: 'p', namespace: 'ingress-nginx' },
    spec: { targetRef: { kind: 'Dataplane', labels }, default: { passthroughMode: mode } },
  });
  test('3.0: a controller in the gateway pod and no MeshPassthrough for it; none with one, or on 2.14', () => {
    const [f] = rule('KUMA039', [ns('ingress-nginx'), nginx]);
    expect(f.message).toBe('is a delegated gateway that sends traffic outside the mesh (its ingress-nginx watches the Kubernetes API), and no MeshPassthrough of these files selects it: a Kuma 3.0 sidecar no MeshPassthrough selects drops such traffic (passthrough is off by default, as reported for the release: kumahq/kuma issue #18801)');
    expect(rule('KUMA039', [ns('ingress-nginx'), nginx, passthrough({ app: 'controller' })])).toEqual([]);
    expect(rule('KUMA039', [ns('ingress-nginx'), nginx, passthrough({ app: 'controller' }, 'None')]).length).toBe(1);
    expect(rule('KUMA039', [ns('ingress-nginx'), nginx], KumaVersion.V2_14)).toEqual([]);
  });
});

describe('KUMA040 http-policy-on-tcp', () => {
  const svc = (ports: any[]) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'cache', namespace: 'shop' }, spec: { selector: { app: 'cache' }, ports } });
  const timeout = (targetRef: any, conf: any) => ({
    apiVersion: 'kuma.io/v1alpha1',
    kind: 'MeshTimeout',
    metadata: { name: 't', namespace: 'kong' },
    spec: { targetRef: { kind: 'Dataplane', labels: { app: 'kong' } }, to: [{ targetRef, default: conf }] },
  });
  const byLabels = { kind: 'MeshService', labels: { 'kuma.io/display-name': 'cache', 'k8s.kuma.io/namespace': 'shop' } };
  test('http settings to a tcp port fire (3.0 labels, 2.x kuma.io/service); with appProtocol, or tcp settings only: none', () => {
    const [f] = rule('KUMA040', [svc([{ port: 6379 }]), timeout(byLabels, { http: { requestTimeout: '5s' } })]);
    expect(f.message).toBe('sets to[0].default.http for Service shop/cache, whose port 6379 (tcp) Kuma treats as plain TCP (no appProtocol it knows): the outbound has no HTTP layer, so only connectionTimeout and idleTimeout apply');
    expect(rule('KUMA040', [svc([{ port: 6379 }]), timeout({ kind: 'MeshService', name: 'cache_shop_svc_6379' }, { http: { requestTimeout: '5s' } })], KumaVersion.V2_14).length).toBe(1);
    expect(rule('KUMA040', [svc([{ port: 80, appProtocol: 'http' }]), timeout(byLabels, { http: { requestTimeout: '5s' } })])).toEqual([]);
    expect(rule('KUMA040', [svc([{ port: 6379 }]), timeout(byLabels, { connectionTimeout: '2s' })])).toEqual([]);
  });
});

describe('KUMA041 gateway-service-not-ignored', () => {
  const gw = deployment('kong', 'kong', {}, GATEWAY);
  const service = (name: string, annotations: Record<string, string> = {}) => ({
    apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'kong', annotations }, spec: { selector: { app: 'kong' }, ports: [{ port: 80, targetPort: 8000 }] },
  });
  test('3.0: a Service of the gateway\'s pods without kuma.io/ignore fires, with the annotation as its fix; ignored, or 2.14: none', () => {
    const findings = (MeshAnalysis as any)._analyze([ns('kong'), gw, service('kong-proxy')].map((obj) => ({ obj })), { version: KumaVersion.V3_0 })
      .filter((f: any) => f.ruleId === 'KUMA041');
    expect(findings.map((f: any) => [f.object, f.severity])).toEqual([['Service kong/kong-proxy', FindingSeverity.WARNING]]);
    expect(findings[0].autoFix.ops).toEqual([{ op: 'set', path: ['metadata', 'annotations', 'kuma.io/ignore'], value: 'true' }]);
    expect(rule('KUMA041', [ns('kong'), gw, service('kong-proxy', { 'kuma.io/ignore': 'true' })])).toEqual([]);
    expect(rule('KUMA041', [ns('kong'), gw, service('kong-proxy')], KumaVersion.V2_14)).toEqual([]);
  });

  test('lint --fix on a Service without annotations writes a plain mapping (setIn alone writes !!omap in YAML 1.1, which kustomize cannot read)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuma041-'));
    try {
      const file = path.join(dir, 'kong.yaml');
      const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'kong-proxy', namespace: 'kong' }, spec: { selector: { app: 'kong' }, ports: [{ port: 80, targetPort: 8000 }] } };
      fs.writeFileSync(file, [ns('kong'), gw, svc].map((o) => yamlStringify(o)).join('---\n'));
      const r = runLint('--no-config', '--kuma-version', '3.0', '--fix', '--ignore', 'KUMA011', file);
      expect(r.stdout).toContain('FIXED KUMA041 Service kong/kong-proxy');
      const text = fs.readFileSync(file, 'utf8');
      expect(text).not.toContain('!!omap');
      expect(text).toContain('  name: kong-proxy\n  namespace: kong\n  annotations:\n    kuma.io/ignore: "true"\n');
      expect(runLint('--no-config', '--kuma-version', '3.0', file).stdout).not.toContain('KUMA041');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
