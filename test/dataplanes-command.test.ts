/*
 * `cdk8s-kuma dataplanes` on manifests as a GitOps repository holds them (templates, not pods):
 * the injector's defaults, the zone, what a 2.x gateway and a 3.x gateway become, and bad input.
 * Kuma's own fixtures go through the command in test/conformance/dataplanes-command.test.ts.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { synthExampleTree } from '../examples/app';
import { dataplanes } from '../src/analysis/lint/_dataplanes-command';
import { KumaVersion } from '../src/kuma/kuma-version';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dataplanes-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function run(yaml: string, ...flags: string[]): { status: number; stdout: string; stderr: string } {
  const file = path.join(dir, 'set.yaml');
  fs.writeFileSync(file, yaml);
  let stdout = '';
  let stderr = '';
  const status = dataplanes(['--no-config', ...flags, file], { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
  return { status, stdout: stdout.split(file).join('set.yaml'), stderr: stderr.split(file).join('set.yaml') };
}

const objects = (text: string) => parseAllDocuments(text).map((d) => d.toJSON()).filter((o) => o !== null);

const SHOP = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    kuma.io/sidecar-injection: enabled
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
      annotations:
        kuma.io/transparent-proxying-reachable-services: api_shop_svc_80
    spec:
      containers:
        - name: web
          image: web:1
          ports:
            - name: http
              containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: http
      appProtocol: http
`;

test('2.14: a Deployment\'s pods as injected with the defaults, in zone "default", with the comments that say so', () => {
  const r = run(SHOP, '--kuma-version', '2.14');
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout).toBe(`# Predicted by cdk8s-kuma 0.0.0 for Kuma 2.14, zone "default": what Kuma's injector and pod converter make of the pods.
# Deployment shop/web (set.yaml#2): the Dataplane of each of its pods, named here web (a cluster adds a generated suffix, and so does kuma.io/display-name in 3.x).
# Injected with the control plane's defaults: redirect ports 15006 (inbound) and 15001 (outbound), IP family dualstack unless the pod says.
# Not predicted (they depend on the running cluster): networking.address (the pod's IP), each inbound's health and state (its readiness), outbounds (the other Dataplanes), probes, and networking.admin unless the pod sets kuma.io/envoy-admin-port.

apiVersion: kuma.io/v1alpha1
kind: Dataplane
mesh: default
metadata:
  labels:
    app: web
    k8s.kuma.io/namespace: shop
    k8s.kuma.io/service-account: default
    kuma.io/env: kubernetes
    kuma.io/mesh: default
    kuma.io/origin: zone
    kuma.io/proxy-type: sidecar
    kuma.io/workload: default
    kuma.io/zone: default
  name: web
  namespace: shop
spec:
  networking:
    inbound:
      - name: http
        port: 8080
        protocol: http
        tags:
          app: web
          k8s.kuma.io/namespace: shop
          k8s.kuma.io/service-name: web
          k8s.kuma.io/service-port: "80"
          kuma.io/protocol: http
          kuma.io/service: web_shop_svc_80
          kuma.io/zone: default
    transparentProxying:
      ipFamilyMode: DualStack
      reachableServices:
        - api_shop_svc_80
      redirectPortInbound: 15006
      redirectPortOutbound: 15001
`);
});

test('the same twice gives the same bytes; --format json gives the objects with their comments', () => {
  expect(run(SHOP).stdout).toBe(run(SHOP).stdout);
  const json = JSON.parse(run(SHOP, '--format', 'json', '--zone', 'eu-west').stdout);
  expect(json.dataplanes).toHaveLength(1);
  expect(json.dataplanes[0]).toMatchObject({ owner: 'Deployment shop/web', source: 'set.yaml#2' });
  expect(json.dataplanes[0].dataplane.metadata.labels['kuma.io/zone']).toBe('eu-west');
  expect(json.dataplanes[0].dataplane.spec.networking.inbound[0].tags['kuma.io/zone']).toBe('eu-west');
});

test('3.0: no inbound tags, no proxy-type, display-name; the transparent proxy carries only the outbound settings', () => {
  const dp = objects(run(SHOP.replace('kuma.io/transparent-proxying-reachable-services: api_shop_svc_80',
    'kuma.io/reachable-backends: "refs: [{kind: MeshService, name: api, namespace: shop, port: 80}]"'), '--kuma-version', '3.0').stdout)[0];
  expect(dp.metadata.labels).toEqual({
    'app': 'web',
    'k8s.kuma.io/namespace': 'shop',
    'k8s.kuma.io/service-account': 'default',
    'kuma.io/display-name': 'web',
    'kuma.io/env': 'kubernetes',
    'kuma.io/mesh': 'default',
    'kuma.io/origin': 'zone',
    'kuma.io/workload': 'default',
    'kuma.io/zone': 'default',
  });
  expect(dp.spec.networking).toEqual({
    inbound: [{ name: 'http', port: 8080, protocol: 'http' }],
    transparentProxying: { reachableBackends: { refs: [{ kind: 'MeshService', name: 'api', namespace: 'shop', port: 80 }] } },
  });
});

const GATEWAY = `apiVersion: v1
kind: Namespace
metadata:
  name: edge
  labels:
    kuma.io/sidecar-injection: enabled
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: kong
  namespace: edge
spec:
  selector:
    matchLabels:
      app: kong
  template:
    metadata:
      labels:
        app: kong
      annotations:
        kuma.io/gateway: enabled
        traffic.kuma.io/exclude-inbound-ports: "8000"
    spec:
      serviceAccountName: kong
      containers:
        - name: proxy
          image: kong:3.9
          ports:
            - containerPort: 8000
---
apiVersion: v1
kind: Service
metadata:
  name: kong-proxy
  namespace: edge
spec:
  selector:
    app: kong
  ports:
    - port: 80
      targetPort: 8000
`;

test('2.14 delegated gateway: networking.gateway with its identity, and a comment that no inbound port is redirected', () => {
  const r = run(GATEWAY, '--kuma-version', '2.14');
  const dp = objects(r.stdout)[0];
  expect(dp.spec.networking.gateway).toEqual({
    tags: {
      'app': 'kong',
      'k8s.kuma.io/namespace': 'edge',
      'k8s.kuma.io/service-name': 'kong-proxy',
      'k8s.kuma.io/service-port': '80',
      'kuma.io/protocol': 'tcp',
      'kuma.io/service': 'kong-proxy_edge_svc_80',
      'kuma.io/zone': 'default',
    },
  });
  expect(dp.spec.networking.inbound).toBeUndefined();
  expect(r.stdout).toContain('# A delegated gateway: kuma-init redirects no inbound port (kuma.io/gateway), so clients reach the gateway directly.\n');
  expect(r.stdout).toContain('# traffic.kuma.io/exclude-inbound-ports: 8000: inbound ports kuma-init does not redirect (reached directly, no mesh mTLS).\n');
});

test('3.0 reads no kuma.io/gateway (kumahq/kuma#18662): the gateway is an ordinary Dataplane with its inbound, its public port excluded', () => {
  const r = run(GATEWAY, '--kuma-version', '3.0');
  const dp = objects(r.stdout)[0];
  expect(dp.spec.networking).toEqual({ inbound: [{ port: 8000, protocol: 'tcp' }] });
  expect(r.stdout).not.toContain('A delegated gateway');
  expect(r.stdout).toContain('# traffic.kuma.io/exclude-inbound-ports: 8000: inbound ports kuma-init does not redirect (reached directly, no mesh mTLS).\n');
});

test('a pod whose namespace is not in the set is a note that says which flag declares it; --namespace-label brings it in', () => {
  const set = SHOP.split('---\n').slice(1).join('---\n');
  const r = run(set);
  expect(r.status).toBe(0);
  expect(r.stderr).toBe('cdk8s-kuma: note: Deployment shop/web: its namespace shop is not in the set, so whether Kuma injects its pods is not known '
    + '(declare it: --namespace-label shop=kuma.io/sidecar-injection=enabled)\n');
  expect(r.stdout).toContain('# No meshed pod in the set.\n');
  expect(objects(run(set, '--namespace-label', 'shop=kuma.io/sidecar-injection=enabled').stdout)).toHaveLength(1);
});

test('a pod Kuma makes no Dataplane of: the error on stderr and in the output, exit 2', () => {
  const r = run(SHOP.replace('kuma.io/transparent-proxying-reachable-services: api_shop_svc_80', 'kuma.io/transparent-proxying-ip-family-mode: ipv6'), '--kuma-version', '2.14');
  expect(r.status).toBe(2);
  expect(r.stderr).toBe('cdk8s-kuma: Kuma makes no Dataplane of Deployment shop/web: invalid ip family mode \'ipv6\' (set.yaml#2)\n');
  expect(r.stdout).toContain('# Kuma makes no Dataplane of Deployment shop/web: invalid ip family mode \'ipv6\'\n');
});

test('a dump of a cluster (Deployment, ReplicaSet, Pod): the Pod is converted, as injected, and the templates above it are not listed again', () => {
  const dump = `${SHOP}---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-7d4b9c
  namespace: shop
  ownerReferences: [{ apiVersion: apps/v1, kind: Deployment, name: web, uid: a }]
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: web:1 }] }
---
apiVersion: v1
kind: Pod
metadata:
  name: web-7d4b9c-x2k8p
  namespace: shop
  labels: { app: web, kuma.io/mesh: default }
  ownerReferences: [{ apiVersion: apps/v1, kind: ReplicaSet, name: web-7d4b9c, uid: b }]
  annotations:
    kuma.io/sidecar-injected: "true"
    kuma.io/transparent-proxying: enabled
    kuma.io/transparent-proxying-inbound-port: "15006"
    kuma.io/transparent-proxying-outbound-port: "15001"
    kuma.io/envoy-admin-port: "9901"
spec:
  serviceAccountName: web
  containers: [{ name: web, image: web:1, ports: [{ name: http, containerPort: 8080 }] }]
`;
  const docs = objects(run(dump, '--kuma-version', '2.14').stdout);
  expect(docs.map((d) => d.metadata.name)).toEqual(['web-7d4b9c-x2k8p']);
  expect(docs[0].spec.networking.admin).toEqual({ port: 9901 });
  expect(docs[0].metadata.labels['kuma.io/workload']).toBe('web');
});

test('usage: --help; a lint-only flag names the command it belongs to; a bad zone name', () => {
  expect(run('', '--help').stdout).toMatch(/^usage: cdk8s-kuma dataplanes /);
  const fix = run(SHOP, '--fix');
  expect(fix.status).toBe(2);
  expect(fix.stderr.split('\n')[0]).toBe('cdk8s-kuma: --fix is an option of cdk8s-kuma lint, not of dataplanes');
  expect(run(SHOP, '--zone', 'Zone_1').stderr.split('\n')[0]).toBe('cdk8s-kuma: --zone: "Zone_1" is not a zone name (lower-case letters, digits, \'-\' and \'.\')');
  expect(run(SHOP, '--format', 'sarif').stderr.split('\n')[0]).toBe('cdk8s-kuma: --format: "sarif" is not one of yaml, json');
});

test('the README\'s excerpt is what the command prints for the example\'s edge cluster', () => {
  const tree = fs.mkdtempSync(path.join(os.tmpdir(), 'dataplanes-example-'));
  try {
    synthExampleTree(tree, KumaVersion.V2_14);
    let stdout = '';
    const status = dataplanes(['--no-config', '--kuma-version', '2.14', path.join(tree, 'edge')], { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: () => true } });
    expect(status).toBe(0);
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    const block = readme.match(/<!-- dataplanes excerpt of the example: checked by test\/dataplanes-command\.test\.ts -->\n```yaml\n([\s\S]*?)```\n/);
    expect(block).not.toBeNull();
    expect(stdout.split(path.join(tree, 'edge')).join('dist/example/edge')).toContain(`---\n${block![1]}---\n`);
    expect(readme).toContain(`one of ${(stdout.match(/^kind: Dataplane$/gm) ?? []).length === 6 ? 'six' : 'the'}\nDataplanes`);
  } finally {
    fs.rmSync(tree, { recursive: true, force: true });
  }
});
