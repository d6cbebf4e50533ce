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
import { packageVersion } from '../src/private/_package-version';

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

const EXPECTED_2_14 = `# Predicted by cdk8s-kuma ${packageVersion()} for Kuma 2.14, zone "default": what Kuma's injector and pod converter make of the pods.
# Deployment shop/web (set.yaml#2): the Dataplane of each of its pods, named here web (a cluster adds a generated suffix, and so does kuma.io/display-name in 3.x).
# Its pods also carry pod-template-hash (set by the Deployment controller), which Kuma copies into the labels and the inbound tags: not shown.
# Injected with the control plane's defaults: redirect ports 15006 (inbound) and 15001 (outbound), IP family dualstack unless the pod says, Envoy admin port 9901 unless the pod says (with transparentProxy.configMap.enabled the Dataplane carries no redirect ports or IP family).
# k8s.kuma.io/service-account, kuma.io/workload: stored as annotations of the Kubernetes object (their values may exceed a label's 63 characters); Kuma reads them as labels (kumactl, policies).
# Not predicted (they depend on the running cluster): networking.address (the pod's IP), each inbound's health and state (its readiness), and the Node's labels in each inbound's tags where the control plane copies them. Outbounds appear only with runtime.kubernetes.kubeOutboundsAsVIPs off (on by default), probes only with virtual probes (off by default).

apiVersion: kuma.io/v1alpha1
kind: Dataplane
mesh: default
metadata:
  annotations:
    k8s.kuma.io/service-account: default
    kuma.io/workload: default
  labels:
    app: web
    k8s.kuma.io/namespace: shop
    kuma.io/env: kubernetes
    kuma.io/mesh: default
    kuma.io/origin: zone
    kuma.io/proxy-type: sidecar
    kuma.io/zone: default
  name: web
  namespace: shop
spec:
  networking:
    admin:
      port: 9901
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
`;

test('2.14: a Deployment\'s pods as injected with the defaults, in zone "default", with the comments that say so', () => {
  const r = run(SHOP, '--kuma-version', '2.14');
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout).toBe(EXPECTED_2_14);
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
    'kuma.io/env': 'kubernetes',
    'kuma.io/mesh': 'default',
    'kuma.io/origin': 'zone',
    'kuma.io/zone': 'default',
  });
  // stored as annotations (store.go SplitLabelsAndAnnotations), labels to Kuma
  expect(dp.metadata.annotations).toEqual({ 'k8s.kuma.io/service-account': 'default', 'kuma.io/display-name': 'web', 'kuma.io/workload': 'default' });
  expect(dp.spec.networking).toEqual({
    admin: { port: 9901 },
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
  expect(dp.spec.networking).toEqual({ admin: { port: 9901 }, inbound: [{ port: 8000, protocol: 'tcp' }] });
  expect(r.stdout).not.toContain('A delegated gateway');
  expect(r.stdout).toContain('# kuma.io/gateway: Kuma 3.0 does not read it (kumahq/kuma#18662): every port not in traffic.kuma.io/exclude-inbound-ports is redirected to the sidecar.\n');
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
  // the error and the object only: nothing of the Dataplane Kuma does not make
  expect(r.stdout.split('\n').slice(1).join('\n')).toBe('# Kuma makes no Dataplane of Deployment shop/web: invalid ip family mode \'ipv6\'\n'
    + '# Deployment shop/web (set.yaml#2): the Dataplane of each of its pods, named here web (a cluster adds a generated suffix, and so does kuma.io/display-name in 3.x).\n');
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
  expect(docs[0].metadata.annotations['kuma.io/workload']).toBe('web');
});

test('usage: --help; a lint-only flag names the command it belongs to; a bad zone name', () => {
  expect(run('', '--help').stdout).toMatch(/^usage: cdk8s-kuma dataplanes /);
  const fix = run(SHOP, '--fix');
  expect(fix.status).toBe(2);
  expect(fix.stderr.split('\n')[0]).toBe('cdk8s-kuma: --fix is an option of cdk8s-kuma lint, not of dataplanes');
  expect(run(SHOP, '--zone', 'Zone_1').stderr.split('\n')[0]).toBe('cdk8s-kuma: --zone: "Zone_1" is not a zone name (lower-case letters, digits, \'-\' and \'.\')');
  expect(run(SHOP, '--format', 'sarif').stderr.split('\n')[0]).toBe('cdk8s-kuma: --format: "sarif" is not one of yaml, json');
  expect(run(SHOP, '--workload-label', 'bad key!!').stderr.split('\n')[0]).toBe('cdk8s-kuma: --workload-label: "bad key!!" is not a label key (e.g. app.kubernetes.io/name)');
  expect(run(SHOP, '--workload-label', 'app', '--kuma-version', '2.12').stderr)
    .toBe('cdk8s-kuma: note: --workload-label: Kuma 2.12 labels no workload (kuma.io/workload is 2.13 on), so it changes nothing\n');
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

describe('what Kuma\'s injector refuses or rewrites', () => {
  const withAnnotation = (key: string, value: string) => SHOP.replace('kuma.io/transparent-proxying-reachable-services: api_shop_svc_80', `${key}: "${value}"`);

  test('2.x: kuma.io/gateway other than a boolean (provided) fails the injection: no Dataplane, exit 2', () => {
    const r = run(withAnnotation('kuma.io/gateway', 'provided'), '--kuma-version', '2.14');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('cdk8s-kuma: Kuma\'s injector refuses the pods of Deployment shop/web: kuma.io/gateway "provided" is not one of enabled, disabled, true, false, yes, no, '
      + 'which its transparent proxy reads (a delegated gateway is "enabled") (set.yaml#2)\n');
  });

  test('2.13 on: a pod label kuma.io/workload is denied by the pod webhook', () => {
    const r = run(SHOP.replace('        app: web\n      annotations:', '        app: web\n        kuma.io/workload: web\n      annotations:'), '--kuma-version', '2.14');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('Kuma\'s injector refuses the pods of Deployment shop/web: its pod label kuma.io/workload is Kuma\'s to set');
    expect(run(SHOP.replace('        app: web\n      annotations:', '        app: web\n        kuma.io/workload: web\n      annotations:'), '--kuma-version', '2.12').status).toBe(0);
  });

  test('the admin port: the pod\'s in 2.x (a value that is not a port fails the injection), always 9901 in 3.0 (said in a comment)', () => {
    expect(objects(run(withAnnotation('kuma.io/envoy-admin-port', '9902'), '--kuma-version', '2.14').stdout)[0].spec.networking.admin).toEqual({ port: 9902 });
    expect(run(withAnnotation('kuma.io/envoy-admin-port', 'admin'), '--kuma-version', '2.14').stderr).toContain('kuma.io/envoy-admin-port "admin" is not a port');
    const r = run(withAnnotation('kuma.io/envoy-admin-port', '9902'), '--kuma-version', '3.0');
    expect(objects(r.stdout)[0].spec.networking.admin).toEqual({ port: 9901 });
    expect(r.stdout).toContain('# kuma.io/envoy-admin-port 9902: Kuma 3.0\'s injector writes the control plane\'s 9901 over it.\n');
  });

  test('metrics: 2.x from the prometheus.metrics.kuma.io annotations; 3.0 has no Dataplane metrics', () => {
    const set = withAnnotation('prometheus.metrics.kuma.io/port', '1234');
    expect(objects(run(set, '--kuma-version', '2.14').stdout)[0].spec.metrics).toEqual({ conf: { port: 1234 }, type: 'prometheus' });
    expect(objects(run(set, '--kuma-version', '3.0').stdout)[0].spec.metrics).toBeUndefined();
  });

  test('the IP family: empty means dualstack (2.9 on); before 2.9 it is not predicted, and the comment says so', () => {
    expect(objects(run(withAnnotation('kuma.io/transparent-proxying-ip-family-mode', ''), '--kuma-version', '2.14').stdout)[0]
      .spec.networking.transparentProxying.ipFamilyMode).toBe('DualStack');
    const r = run(withAnnotation('kuma.io/transparent-proxying-ip-family-mode', 'ipv4'), '--kuma-version', '2.8');
    expect(objects(r.stdout)[0].spec.networking.transparentProxying).toEqual({ redirectPortInbound: 15006, redirectPortOutbound: 15001 });
    expect(r.stdout).toContain('IP family and IPv6 inbound port not predicted before Kuma 2.9');
  });

  test('a serviceless pod\'s inbound carries the kuma.io/mesh label the injector puts on the pod (2.9 on)', () => {
    const set = SHOP.split('---\n').slice(0, 2).join('---\n');
    const inbound = objects(run(set, '--kuma-version', '2.14').stdout)[0].spec.networking.inbound[0];
    expect(inbound.port).toBe(49151);
    expect(inbound.tags['kuma.io/mesh']).toBe('default');
    expect(objects(run(set, '--kuma-version', '2.8').stdout)[0].spec.networking.inbound[0].tags['kuma.io/mesh']).toBeUndefined();
  });

  test.each([
    ['refs: foo'],
    ['refs: [{kind: MeshService, name: api, port: \'8080\'}]'],
    ['refs: [{kind: MeshService, labels: {tier: 1}}]'],
    ['refs: [{kind: MeshService, name: api, port: -1}]'],
  ])('reachable-backends %s: Kuma cannot parse it, so no Dataplane', (value) => {
    const r = run(withAnnotation('kuma.io/reachable-backends', value), '--kuma-version', '2.14');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('Kuma makes no Dataplane of Deployment shop/web: cannot parse, kuma.io/reachable-backends has invalid format');
  });
});

test('--as-injected reads Pods as injected, not the workloads beside them; a Pod of a ReplicaSet not in the set is named after its Deployment (pod-template-hash)', () => {
  const pod = `---
apiVersion: v1
kind: Pod
metadata:
  name: api-5c9d7f-abcde
  namespace: shop
  labels: { app: api, pod-template-hash: 5c9d7f, kuma.io/mesh: default }
  ownerReferences: [{ apiVersion: apps/v1, kind: ReplicaSet, name: api-5c9d7f, uid: c }]
  annotations: { kuma.io/transparent-proxying: enabled, kuma.io/transparent-proxying-inbound-port: "15006", kuma.io/transparent-proxying-outbound-port: "15001" }
spec:
  serviceAccountName: api
  containers: [{ name: api, image: api:1 }]
`;
  const docs = objects(run(SHOP + pod, '--kuma-version', '2.14', '--as-injected').stdout);
  expect(docs.map((d) => d.metadata.name)).toEqual(['web', 'api-5c9d7f-abcde']);
  // the Deployment's template is injected as always
  expect(docs[0].spec.networking.transparentProxying.redirectPortInbound).toBe(15006);
  expect(docs[0].metadata.annotations['kuma.io/workload']).toBe('default');
  // the Pod's serviceless inbound is named after the Deployment, as Kuma's NameExtractor names it
  expect(docs[1].spec.networking.inbound[0].tags['kuma.io/service']).toBe('api_shop_svc');
});
