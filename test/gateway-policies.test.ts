import * as fs from 'fs';
import * as path from 'path';
import { Chart, Duration, Include, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  DelegatedGateway, DelegatedGatewayDeployment, GatewayFlavour, GatewayPermissionTarget, GatewayTimeout, KumaVersion, Mesh, MeshNamespace,
  GrpcRetryOn, IDelegatedGateway, KumaControlPlane, KumaProtocol, MeshService, MeshServicesMode, MtlsMode, RetryOn,
} from '../src';
import { synthValid } from './support/validate';

const GATEWAY_TAGS = { 'app.kubernetes.io/name': 'gateway', 'k8s.kuma.io/namespace': 'kong' };
const MESH_LABEL = { 'kuma.io/mesh': 'default' };

/** The same app for every version: a Kong gateway in `kong`, the web Service in `shop`. */
/** The permission, timeout and retry whose YAML `expected()` gives, for any kind of gateway. */
function addPolicies(gw: IDelegatedGateway, web: MeshService, zone: string | undefined) {
  gw.allowTo('AllowWeb', GatewayPermissionTarget.service(web), { name: 'kong-to-web', zone });
  gw.addTimeout('Timeout', { name: 'kong-timeouts', to: [{ service: web }], connectionTimeout: Duration.seconds(2), requestTimeout: Duration.seconds(10) });
  gw.addRetry('Retry', {
    name: 'kong-retries',
    to: [{ service: web }],
    numRetries: 3,
    perTryTimeout: Duration.seconds(2),
    backOffBaseInterval: Duration.millis(50),
    retryOn: [RetryOn.FIVE_XX, RetryOn.statusCode(503)],
  });
}

function app(version: KumaVersion, meshServicesMode?: MeshServicesMode) {
  const a = Testing.app();
  KumaVersion.use(a, version);
  const chart = new Chart(a, 'edge', { disableResourceNameHashes: true });
  if (meshServicesMode !== undefined) new Mesh(chart, 'Mesh', { metadata: { name: 'default' }, meshServicesMode });
  const ns = new MeshNamespace(chart, 'Kong', { metadata: { name: 'kong' } });
  const web = new MeshService(chart, 'Web', { metadata: { name: 'web', namespace: 'shop' }, selectorLabels: { app: 'web' }, ports: [{ port: 80, appProtocol: KumaProtocol.HTTP }] });
  const proxy = new DelegatedGatewayDeployment(chart, 'Proxy', {
    namespace: ns,
    flavour: GatewayFlavour.kong(),
    select: false,
    podMetadata: { labels: { 'app.kubernetes.io/name': 'gateway' } },
    serviceAccount: kplus.ServiceAccount.fromServiceAccountName(chart, 'Sa', 'kong-gateway'),
    containers: [{ image: 'kong:3.9', portNumber: 8000 }],
  });
  proxy.select(kplus.LabelSelector.of({ labels: { 'app.kubernetes.io/name': 'gateway' } }));
  const gw = proxy.gateway;
  addPolicies(gw, web, 'zone-1');
  return { a, chart, gw, web };
}

const policies = (chart: Chart) => synthValid(chart).filter((m) => m.apiVersion === 'kuma.io/v1alpha1' && m.kind !== 'Mesh');

/** What each version expects, field by field (kuma-website guides/gateway-delegated.md, Kuma UPGRADE.md for 3.0). */
function expected(version: KumaVersion) {
  const v29 = version.atLeast(2, 9);
  const v210 = version.atLeast(2, 10);
  const v30 = version.atLeast(3, 0);
  const gatewayRef = v210 ? { kind: 'Dataplane', labels: { 'app.kubernetes.io/name': 'gateway' } } : { kind: 'MeshSubset', tags: GATEWAY_TAGS };
  const outboundNamespace = v29 ? 'kong' : 'kuma-system';
  // 3.0: by labels only; the 3.0-dev CRDs prune to[].targetRef.name/namespace (crds/3.0-dev kuma.io_meshtimeouts.yaml).
  const webRef = v30 ? { kind: 'MeshService', labels: { 'kuma.io/display-name': 'web', 'k8s.kuma.io/namespace': 'shop' } } : { kind: 'MeshService', name: 'web_shop_svc_80' };
  return [
    {
      apiVersion: 'kuma.io/v1alpha1',
      kind: 'MeshTrafficPermission',
      metadata: { name: 'kong-to-web', namespace: v29 ? 'shop' : 'kuma-system', labels: MESH_LABEL },
      spec: {
        targetRef: v210 ? { kind: 'Dataplane', labels: { app: 'web' } } : v29 ? { kind: 'MeshSubset', tags: { app: 'web' } } : { kind: 'MeshService', name: 'web_shop_svc_80' },
        ...v30
          ? { rules: [{ default: { allow: [{ spiffeID: { type: 'Exact', value: 'spiffe://default.zone-1.mesh.local/ns/kong/sa/kong-gateway' } }] } }] }
          : { from: [{ targetRef: { kind: 'MeshSubset', tags: GATEWAY_TAGS }, default: { action: 'Allow' } }] },
      },
    },
    {
      apiVersion: 'kuma.io/v1alpha1',
      kind: 'MeshTimeout',
      metadata: { name: 'kong-timeouts', namespace: outboundNamespace, labels: MESH_LABEL },
      spec: { targetRef: gatewayRef, to: [{ targetRef: webRef, default: { connectionTimeout: '2s', http: { requestTimeout: '10s' } } }] },
    },
    {
      apiVersion: 'kuma.io/v1alpha1',
      kind: 'MeshRetry',
      metadata: { name: 'kong-retries', namespace: outboundNamespace, labels: MESH_LABEL },
      spec: {
        targetRef: gatewayRef,
        to: [{
          targetRef: webRef,
          default: {
            http: { numRetries: 3, perTryTimeout: '2s', backOff: { baseInterval: '50ms' }, retryOn: ['5xx', '503'] },
          },
        }],
      },
    },
  ];
}

describe('gateway policies per Kuma version', () => {
  test.each(KumaVersion.supported.map((v) => [v.toString(), v]))('%s: MeshTrafficPermission, MeshTimeout, MeshRetry', (_name, version) => {
    const { chart } = app(version as KumaVersion);
    expect(policies(chart)).toEqual(expected(version as KumaVersion));
  });

  test.each(KumaVersion.supported.map((v) => [v.toString(), v]))('%s: a gateway installed outside the app (fromGatewayAttributes) gets the same policies', (_name, version) => {
    const a = Testing.app();
    KumaVersion.use(a, version as KumaVersion);
    const chart = new Chart(a, 'edge', { disableResourceNameHashes: true });
    const web = new MeshService(chart, 'Web', { metadata: { name: 'web', namespace: 'shop' }, selectorLabels: { app: 'web' }, ports: [{ port: 80, appProtocol: KumaProtocol.HTTP }] });
    const gw = DelegatedGateway.fromGatewayAttributes(chart, 'Kong', {
      name: 'kong-gateway', namespace: 'kong', serviceAccountName: 'kong-gateway', podLabels: { 'app.kubernetes.io/name': 'gateway' },
    });
    addPolicies(gw, web, (version as KumaVersion).major >= 3 ? 'zone-1' : undefined);
    expect(policies(chart)).toEqual(expected(version as KumaVersion));
    // unnamed policies are named after the gateway's workload
    gw.addCircuitBreaker('Limits', { to: [{ service: web }], maxConnections: 10 });
    expect(policies(chart).find((m) => m.kind === 'MeshCircuitBreaker').metadata.name).toBe('kong-gateway-to-web');
  });

  test.each([KumaVersion.V2_14, KumaVersion.V3_0])('%s: a gateway of zone B let into a workload of zone A, by a permission in zone A\'s app', (version) => {
    // zone B's app: the gateway
    const appB = Testing.app();
    KumaVersion.use(appB, version);
    KumaControlPlane.use(appB, { zone: 'zone-b' });
    const zoneB = new Chart(appB, 'zone-b');
    const ns = new MeshNamespace(zoneB, 'Kong', { metadata: { name: 'kong' } });
    const proxy = new DelegatedGatewayDeployment(zoneB, 'Gateway', {
      metadata: { name: 'kong-gateway', namespace: 'kong' },
      namespace: ns,
      select: false,
      podMetadata: { labels: { 'app.kubernetes.io/name': 'gateway' } },
      serviceAccount: kplus.ServiceAccount.fromServiceAccountName(zoneB, 'Sa', 'kong-gateway'),
      containers: [{ image: 'kong:3.9', portNumber: 8000 }],
    });
    proxy.select(kplus.LabelSelector.of({ labels: { 'app.kubernetes.io/name': 'gateway' } }));
    // zone A's app: payments, and the permission that lets zone B's gateway in
    const appA = Testing.app();
    KumaVersion.use(appA, version);
    KumaControlPlane.use(appA, { zone: 'zone-a' });
    const zoneA = new Chart(appA, 'zone-a');
    const payments = new MeshService(zoneA, 'Payments', { metadata: { name: 'payments', namespace: 'payments' }, selectorLabels: { app: 'payments' }, ports: [{ port: 8080, name: 'http' }] });
    const attributes = proxy.gateway.toAttributes();
    expect(attributes).toMatchObject({ name: 'kong-gateway', namespace: 'kong', serviceAccountName: 'kong-gateway', podLabels: { 'app.kubernetes.io/name': 'gateway' }, mesh: 'default', zone: 'zone-b' });
    DelegatedGateway.fromGatewayAttributes(zoneA, 'ZoneBGateway', attributes).allowTo('Allow', GatewayPermissionTarget.service(payments));
    const [mtp] = policies(zoneA);
    expect(mtp.metadata).toEqual({ name: 'kong-gateway-to-payments', namespace: 'payments', labels: MESH_LABEL });
    expect(mtp.spec).toEqual(version.major >= 3 ? {
      targetRef: { kind: 'Dataplane', labels: { app: 'payments' } },
      rules: [{ default: { allow: [{ spiffeID: { type: 'Exact', value: 'spiffe://default.zone-b.mesh.local/ns/kong/sa/kong-gateway' } }] } }],
    } : {
      targetRef: { kind: 'Dataplane', labels: { app: 'payments' } },
      from: [{ targetRef: { kind: 'MeshSubset', tags: { ...GATEWAY_TAGS, 'kuma.io/zone': 'zone-b' } }, default: { action: 'Allow' } }],
    });
  });

  test('a permission for a workload of another App (cluster) is refused, with the way to write it there', () => {
    const { gw } = app(KumaVersion.V2_14);
    const other = new Chart(Testing.app(), 'zone-a');
    const payments = new MeshService(other, 'Payments', { metadata: { name: 'payments', namespace: 'payments' }, selectorLabels: { app: 'payments' }, ports: [{ port: 8080 }] });
    expect(() => gw.allowTo('Allow', GatewayPermissionTarget.service(payments))).toThrow(
      'edge/Proxy/DelegatedGateway/Allow: target "zone-a/Payments" is a Service of another App (another cluster\'s output folder), so this permission would be applied in a cluster where its workload does not run. Write the permission in that App: DelegatedGateway.fromGatewayAttributes(<a chart of that App>, id, gateway.toAttributes()).allowTo(...).');
  });

  test('review: toAttributes() refuses without the gateway\'s zone; a protocol annotation counts as the port\'s protocol', () => {
    const { chart, gw } = app(KumaVersion.V2_14);
    expect(() => (gw as DelegatedGateway).toAttributes()).toThrow(
      'edge/Proxy/DelegatedGateway: zone of the gateway is not known, and the app that imports it needs it: a Kuma 3.x permission matches the SPIFFE ID that holds it, a 2.x one in another zone its kuma.io/zone tag. Pass it, toAttributes("zone-b"), or set it once with KumaControlPlane.use(app, { zone }) in the gateway\'s app.');
    expect((gw as DelegatedGateway).toAttributes('zone-b').zone).toBe('zone-b');
    const api = new MeshService(chart, 'Api', {
      metadata: { name: 'api', namespace: 'shop', annotations: { '8080.service.kuma.io/protocol': 'http' } }, selectorLabels: { app: 'api' }, ports: [{ port: 8080 }],
    });
    expect(() => gw.addTimeout('ApiTimeout', { to: [{ service: api }], requestTimeout: Duration.seconds(5) })).not.toThrow();
  });

  test('fromGatewayAttributes: bad attributes are refused', () => {
    const chart = new Chart(Testing.app(), 'edge');
    const attrs = { name: 'kong-gateway', namespace: 'kong', serviceAccountName: 'kong-gateway', podLabels: { app: 'kong' } };
    expect(() => DelegatedGateway.fromGatewayAttributes(chart, 'A', { ...attrs, podLabels: {} })).toThrow(
      'edge/A: podLabels {} is empty, so no label selects the gateway\'s Dataplanes in its policies. Give the labels that select the gateway\'s pods (for Kong\'s chart: app.kubernetes.io/name and app.kubernetes.io/instance).');
    expect(() => DelegatedGateway.fromGatewayAttributes(chart, 'B', { ...attrs, namespace: 'Kong' })).toThrow('edge/B: namespace "Kong"');
    expect(() => DelegatedGateway.fromGatewayAttributes(chart, 'C', { ...attrs, mesh: 'Prod_1' })).toThrow('edge/C: mesh "Prod_1"');
  });

  test('2.x with meshServices.mode Exclusive: upstreams are MeshService references, not kuma.io/service names', () => {
    const { chart } = app(KumaVersion.V2_14, MeshServicesMode.EXCLUSIVE);
    const timeout = policies(chart).find((m) => m.kind === 'MeshTimeout');
    expect(timeout.spec.to[0].targetRef).toEqual({ kind: 'MeshService', name: 'web', namespace: 'shop' });
  });

  test('a port given for a MeshService reference becomes its sectionName', () => {
    const { chart, gw, web } = app(KumaVersion.V3_0);
    gw.addCircuitBreaker('Breaker', { name: 'kong-limits', to: [{ service: web, port: 80 }], maxConnections: 100, maxPendingRequests: 10, maxRequests: 200, maxRetries: 3 });
    expect(policies(chart).find((m) => m.kind === 'MeshCircuitBreaker')).toEqual({
      apiVersion: 'kuma.io/v1alpha1',
      kind: 'MeshCircuitBreaker',
      metadata: { name: 'kong-limits', namespace: 'kong', labels: MESH_LABEL },
      spec: {
        targetRef: { kind: 'Dataplane', labels: { 'app.kubernetes.io/name': 'gateway' } },
        to: [{
          targetRef: { kind: 'MeshService', labels: { 'kuma.io/display-name': 'web', 'k8s.kuma.io/namespace': 'shop' }, sectionName: '80' },
          default: { connectionLimits: { maxConnections: 100, maxPendingRequests: 10, maxRequests: 200, maxRetries: 3 } },
        }],
      },
    });
  });

  // Kuma names a MeshService port after the Service port's name, else its number (MeshService
  // controller fixtures meshservice/01 "http-port", 02 "80"); sectionName matches that name.
  test.each([
    [KumaVersion.V3_0, undefined, { kind: 'MeshService', labels: { 'kuma.io/display-name': 'api', 'k8s.kuma.io/namespace': 'shop' }, sectionName: 'grpc-port' }],
    [KumaVersion.V2_14, MeshServicesMode.EXCLUSIVE, { kind: 'MeshService', name: 'api', namespace: 'shop', sectionName: 'grpc-port' }],
  ])('%s: sectionName is the name of a named Service port', (version, mode, want) => {
    const { chart, gw } = app(version, mode);
    const api = new MeshService(chart, 'Api', {
      metadata: { name: 'api', namespace: 'shop' },
      selectorLabels: { app: 'api' },
      ports: [{ port: 80, name: 'http' }, { port: 9090, name: 'grpc-port' }],
    });
    const imported = MeshService.fromServiceAttributes(chart, 'Imported', { name: 'api', namespace: 'shop', ports: [80, 9090], namedPorts: { 'grpc-port': 9090 } });
    gw.addTimeout('ApiTimeout', { name: 'api', to: [{ service: api, port: 9090 }, { service: imported, port: 9090 }], idleTimeout: Duration.minutes(1) });
    const refs = policies(chart).find((m) => m.metadata.name === 'api').spec.to.map((t: any) => t.targetRef);
    expect(refs).toEqual([want, want]);
    expect(MeshService.fromServiceAttributes(chart, 'Unnamed', { name: 'x', namespace: 'shop', ports: [80] }).meshServicePortName()).toBe('80');
  });

  test.each([
    [KumaVersion.V2_8, { namespace: 'kuma-system', targetRef: { kind: 'MeshSubset', tags: { 'k8s.kuma.io/namespace': 'shop' } } }],
    [KumaVersion.V2_9, { namespace: 'shop', targetRef: { kind: 'MeshSubset', tags: { 'k8s.kuma.io/namespace': 'shop' } } }],
    [KumaVersion.V2_14, { namespace: 'shop', targetRef: { kind: 'Dataplane', labels: { 'k8s.kuma.io/namespace': 'shop' } } }],
  ])('allowTo a namespace, %s', (version, want) => {
    const { chart, gw } = app(version);
    gw.allowTo('AllowShop', GatewayPermissionTarget.namespace('shop'), { name: 'kong-to-shop' });
    const mtp = policies(chart).find((m) => m.metadata.name === 'kong-to-shop');
    expect(mtp.metadata.namespace).toBe(want.namespace);
    expect(mtp.spec.targetRef).toEqual(want.targetRef);
  });

  test('default deny (2.x): a mesh-wide Deny from the gateway in the control plane namespace', () => {
    const { chart, gw } = app(KumaVersion.V2_14);
    gw.denyByDefault('Deny', 'kong-default-deny');
    expect(policies(chart).find((m) => m.metadata.name === 'kong-default-deny')).toEqual({
      apiVersion: 'kuma.io/v1alpha1',
      kind: 'MeshTrafficPermission',
      metadata: { name: 'kong-default-deny', namespace: 'kuma-system', labels: MESH_LABEL },
      spec: { targetRef: { kind: 'Mesh' }, from: [{ targetRef: { kind: 'MeshSubset', tags: GATEWAY_TAGS }, default: { action: 'Deny' } }] },
    });
  });

  test('3.0 with a custom trust domain', () => {
    const { chart, gw, web } = app(KumaVersion.V3_0);
    gw.allowTo('Custom', GatewayPermissionTarget.service(web), { name: 'custom', zone: 'eu', trustDomain: 'prod.example.com' });
    expect(policies(chart).find((m) => m.metadata.name === 'custom').spec.rules[0].default.allow[0].spiffeID.value)
      .toBe('spiffe://prod.example.com/ns/kong/sa/kong-gateway');
  });

  describe('bad input', () => {
    test('3.0 without a zone', () => {
      const { gw, web } = app(KumaVersion.V3_0);
      expect(() => gw.allowTo('X', GatewayPermissionTarget.service(web))).toThrow(
        'edge/Proxy/DelegatedGateway/X: zone is required for Kuma 3.0: permissions match the gateway by its SPIFFE ID, which contains the zone. Pass the zone the gateway runs in, or set it once with KumaControlPlane.use(app, { zone }).');
    });

    test('default deny on 3.0', () => {
      const { gw } = app(KumaVersion.V3_0);
      expect(() => gw.denyByDefault('Deny')).toThrow(
        'edge/Proxy/DelegatedGateway/Deny: KumaVersion "3.0" has no mesh-wide deny that allows can override: a 3.0 deny matcher wins over every allow, and 3.0 already denies what no permission allows. Drop denyByDefault() for 3.0, and keep mesh-wide allows from covering the gateway\'s identity.');
    });

    test('a Service whose workload labels are not known', () => {
      const { chart, gw } = app(KumaVersion.V2_14);
      const other = MeshService.fromServiceAttributes(chart, 'Other', { name: 'other', namespace: 'shop', ports: [80] });
      expect(() => gw.allowTo('X', GatewayPermissionTarget.service(other))).toThrow(
        'edge/Proxy/DelegatedGateway/X: target "edge/Other" has no known selector labels, which the permission selects its workload by. Give the Service a selector, or pass selectorLabels to MeshService.fromServiceAttributes().');
      // up to 2.8 the permission names the kuma.io/service, so the labels are not needed
      const old = app(KumaVersion.V2_8);
      const legacy = MeshService.fromServiceAttributes(old.chart, 'Other', { name: 'other', namespace: 'shop', ports: [80] });
      expect(old.gw.allowTo('Y', GatewayPermissionTarget.service(legacy)).resource.toJson().spec.targetRef).toEqual({ kind: 'MeshService', name: 'other_shop_svc_80' });
    });

    test('outbound policies: no upstream, bad numbers and durations', () => {
      const { gw, web } = app(KumaVersion.V2_14);
      expect(() => gw.addTimeout('A', { to: [] })).toThrow('edge/Proxy/DelegatedGateway/A: to [] is empty; the policy would configure no upstream. List the upstream Services the gateway routes to.');
      expect(() => gw.addTimeout('B', { to: [{ service: web }], requestTimeout: Duration.millis(0) })).toThrow(
        'edge/Proxy/DelegatedGateway/B: requestTimeout "0 millis" is not a positive duration. Use at least one millisecond.');
      expect(() => gw.addRetry('C', { to: [{ service: web }], numRetries: -1 })).toThrow(
        'edge/Proxy/DelegatedGateway/C: numRetries -1 is not an integer from 0 to 2147483647. Use a whole number of at least 0.');
      expect(() => gw.addCircuitBreaker('D', { to: [{ service: web }], maxConnections: 0 })).toThrow(
        'edge/Proxy/DelegatedGateway/D: maxConnections 0 is not an integer from 1 to 2147483647. Use a whole number of at least 1.');
      expect(() => gw.addRetry('E', { to: [{ service: web, port: 81 }] })).toThrow('edge/Web: port 81 is not a TCP port of the Service');
      expect(() => RetryOn.statusCode(700)).toThrow('RetryOn.statusCode(): code 700 is not an HTTP status code Kuma\'s validator knows (Go\'s http.StatusText). Use a registered status code such as 429, 503 or 504.');
      // 599 is in the HTTP range but unknown to Go's StatusText, so Kuma's validator refuses it
      expect(() => RetryOn.statusCode(599)).toThrow('code 599 is not an HTTP status code Kuma\'s validator knows');
    });

    test('HTTP options to an upstream port Kuma treats as tcp (no appProtocol) are refused; tcp ones and imported Services pass', () => {
      const { chart, gw } = app(KumaVersion.V2_14);
      const cache = new MeshService(chart, 'Cache', { metadata: { name: 'cache', namespace: 'shop' }, selectorLabels: { app: 'cache' }, ports: [{ port: 6379 }] });
      const where = 'edge/Proxy/DelegatedGateway';
      expect(() => gw.addTimeout('T', { to: [{ service: cache }], requestTimeout: Duration.seconds(5) })).toThrow(
        `${where}/T: requestTimeout "cache port 6379 (tcp)" acts on HTTP requests, but Kuma treats this upstream port as tcp (it has no appProtocol), whose outbound has no HTTP layer: Kuma's MeshTimeout applies only connectionTimeout and idleTimeout there. Give the Service port the protocol its clients speak (appProtocol: KumaProtocol.HTTP, HTTP2 or GRPC), or drop requestTimeout for this upstream.`);
      expect(() => gw.addRetry('R', { to: [{ service: cache }], numRetries: 2, perTryTimeout: Duration.seconds(1) })).toThrow(
        `${where}/R: numRetries "cache port 6379 (tcp)" acts on HTTP requests, but Kuma treats this upstream port as tcp (it has no appProtocol), whose outbound has no HTTP layer: Kuma's MeshRetry applies only tcp.maxConnectAttempt (tcpMaxConnectAttempts) there. Give the Service port the protocol its clients speak (appProtocol: KumaProtocol.HTTP, HTTP2 or GRPC), or drop numRetries, perTryTimeout for this upstream.`);
      expect(() => gw.addCircuitBreaker('C', { to: [{ service: cache }], maxRequests: 10 })).toThrow(
        `${where}/C: maxRequests "cache port 6379 (tcp)" acts on HTTP requests`);
      // what Kuma applies on a tcp outbound
      gw.addTimeout('Tcp', { name: 'kong-to-cache', to: [{ service: cache }], connectionTimeout: Duration.seconds(1), idleTimeout: Duration.minutes(5) });
      gw.addRetry('TcpRetry', { name: 'kong-to-cache', to: [{ service: cache }], tcpMaxConnectAttempts: 3 });
      gw.addCircuitBreaker('TcpLimits', { name: 'kong-to-cache', to: [{ service: cache }], maxConnections: 100 });
      const out = policies(chart).filter((m) => m.metadata.name === 'kong-to-cache');
      expect(out.map((m) => [m.kind, m.spec.to[0].default])).toEqual([
        ['MeshTimeout', { connectionTimeout: '1s', idleTimeout: '300s' }],
        ['MeshRetry', { tcp: { maxConnectAttempt: 3 } }],
        ['MeshCircuitBreaker', { connectionLimits: { maxConnections: 100 } }],
      ]);
      // a Service managed elsewhere: its protocol is not known here, nothing is refused
      const echo = MeshService.fromServiceAttributes(chart, 'Echo', { name: 'echo', namespace: 'shop', ports: [80] });
      expect(() => gw.addTimeout('E', { to: [{ service: echo }], requestTimeout: Duration.seconds(5) })).not.toThrow();
    });

    test('MeshRetry: the section of each upstream\'s protocol (gRPC, HTTP), refusals where an option does nothing', () => {
      const { chart, gw } = app(KumaVersion.V2_14);
      const orders = new MeshService(chart, 'Orders', {
        metadata: { name: 'orders', namespace: 'shop' },
        selectorLabels: { app: 'orders' },
        ports: [{ port: 9090, name: 'grpc', appProtocol: KumaProtocol.GRPC }, { port: 8080, name: 'http', appProtocol: KumaProtocol.HTTP }, { port: 8081, name: 'h2', appProtocol: KumaProtocol.HTTP2 }],
      });
      gw.addRetry('Grpc', {
        name: 'kong-to-orders-grpc',
        to: [{ service: orders, port: 9090 }, { service: orders, port: 8080 }],
        numRetries: 2,
        perTryTimeout: Duration.seconds(1),
        grpcRetryOn: undefined,
      });
      gw.addRetry('GrpcOn', { name: 'kong-to-orders-grpc-on', to: [{ service: orders, port: 9090 }], grpcRetryOn: [GrpcRetryOn.UNAVAILABLE, GrpcRetryOn.RESOURCE_EXHAUSTED] });
      const retries = policies(chart).filter((m) => m.kind === 'MeshRetry' && m.metadata.name.startsWith('kong-to-orders'));
      expect(retries.map((r) => r.spec.to.map((t: any) => t.default))).toEqual([
        [{ grpc: { numRetries: 2, perTryTimeout: '1s' } }, { http: { numRetries: 2, perTryTimeout: '1s' } }],
        [{ grpc: { retryOn: ['Unavailable', 'ResourceExhausted'] } }],
      ]);
      const where = 'edge/Proxy/DelegatedGateway';
      expect(() => gw.addRetry('A', { to: [{ service: orders, port: 9090 }], retryOn: [RetryOn.FIVE_XX] })).toThrow(
        `${where}/A: retryOn "orders port 9090 (grpc)" lists HTTP conditions for a gRPC upstream, which Kuma retries by its grpc section only. Use grpcRetryOn (GrpcRetryOn.UNAVAILABLE, ...) for gRPC upstreams.`);
      expect(() => gw.addRetry('B', { to: [{ service: orders, port: 8080 }], grpcRetryOn: [GrpcRetryOn.UNAVAILABLE] })).toThrow(
        `${where}/B: grpcRetryOn "orders port 8080 (http)" lists gRPC conditions for an HTTP upstream, which Kuma retries by its http section only. Use retryOn for HTTP upstreams.`);
      expect(() => gw.addRetry('C', { to: [{ service: orders, port: 8081 }], numRetries: 2 })).toThrow(
        `${where}/C: to[0] "orders port 8081 (http2)" is an http2 upstream, for which Kuma's MeshRetry configures no retries (it reads its http section for http and its grpc section for grpc outbounds only). Remove the upstream from the retry policy, or give its port the protocol its clients speak (KumaProtocol.HTTP or KumaProtocol.GRPC).`);
      expect(() => gw.addRetry('D', { to: [{ service: orders, port: 9090 }], tcpMaxConnectAttempts: 3 })).toThrow(
        `${where}/D: tcpMaxConnectAttempts "orders port 9090 (grpc)" applies to tcp outbounds only, and this upstream is gRPC. Remove it, or put the tcp upstreams in a policy of their own.`);
    });

    test('a policy name that is not a DNS subdomain', () => {
      const { gw, web } = app(KumaVersion.V2_14);
      expect(() => gw.allowTo('X', GatewayPermissionTarget.service(web), { name: 'Kong_To_Web' })).toThrow(/^edge\/Proxy\/DelegatedGateway\/X: name "Kong_To_Web" is not a valid object name/);
    });
  });
});

describe('gateway identity', () => {
  test('from a Helm-rendered Kong: selector labels, namespace, service account', () => {
    const chart = new Chart(Testing.app(), 'edge');
    const kong = new Include(chart, 'Kong', { url: path.join(__dirname, '..', 'examples', 'helm', 'kong-ingress.yaml') });
    const gw = DelegatedGateway.adopt(kong.apiObjects.find((o) => o.name === 'kong-gateway')!);
    const id = gw.identity;
    expect(id.labels).toEqual({ 'app.kubernetes.io/name': 'gateway', 'app.kubernetes.io/component': 'app', 'app.kubernetes.io/instance': 'kong' });
    expect(id.tags).toEqual({ 'app.kubernetes.io/name': 'gateway', 'app.kubernetes.io/component': 'app', 'app.kubernetes.io/instance': 'kong', 'k8s.kuma.io/namespace': 'kong' });
    expect(id.spiffeId('zone-1')).toBe('spiffe://default.zone-1.mesh.local/ns/kong/sa/kong-gateway');
    expect(() => id.spiffeId('Zone 1')).toThrow(/^GatewayIdentity.spiffeId\(\): zone "Zone 1" is not a zone name/);
  });

  test('a gateway without a namespace has no identity', () => {
    const chart = new Chart(Testing.app(), 'edge');
    const gw = new DelegatedGatewayDeployment(chart, 'Proxy', { containers: [{ image: 'kong', portNumber: 8000 }] });
    expect(() => gw.gateway.identity).toThrow(
      'edge/Proxy/DelegatedGateway: namespace of the gateway is not known, and its identity in policies contains it. Set the workload\'s namespace (metadata.namespace, the Chart namespace or the namespace prop).');
  });

  test('a default cdk8s-plus selector works as tags; the service account defaults to "default"', () => {
    const chart = new Chart(Testing.app(), 'edge', { namespace: 'kong' });
    const gw = new DelegatedGatewayDeployment(chart, 'Proxy', { containers: [{ image: 'kong', portNumber: 8000 }] });
    expect(Object.keys(gw.gateway.identity.labels)).toEqual(['cdk8s.io/metadata.addr']);
    expect(gw.gateway.identity.spiffeId('z')).toBe('spiffe://default.z.mesh.local/ns/kong/sa/default');
  });
});

describe('version facts applied to other constructs', () => {
  test('up to 2.7 the mesh is also written as the kuma.io/mesh annotation (pod and namespace)', () => {
    const a = Testing.app();
    KumaVersion.use(a, KumaVersion.V2_7);
    const chart = new Chart(a, 'edge');
    const ns = new MeshNamespace(chart, 'Kong', { metadata: { name: 'kong' }, mesh: 'edge' });
    new DelegatedGatewayDeployment(chart, 'Proxy', { namespace: ns, containers: [{ image: 'kong', portNumber: 8000 }] });
    const [nsObj, deployment] = synthValid(chart);
    expect(nsObj.metadata.annotations).toEqual({ 'kuma.io/mesh': 'edge' });
    expect(deployment.spec.template.metadata.annotations).toEqual({ 'kuma.io/gateway': 'enabled', 'kuma.io/mesh': 'edge' });
    expect(deployment.spec.template.metadata.labels['kuma.io/mesh']).toBe('edge');
  });

  test('from 2.8 the annotation is not written, and refused on a gateway pod', () => {
    const chart = new Chart(Testing.app(), 'edge', { namespace: 'kong' });
    const ns = new MeshNamespace(chart, 'Kong', { metadata: { name: 'kong' } });
    expect(synthValid(chart)[0].metadata.annotations).toBeUndefined();
    expect(() => new DelegatedGatewayDeployment(chart, 'Proxy', { namespace: ns, containers: [{ image: 'kong', portNumber: 8000 }], podMetadata: { annotations: { 'kuma.io/mesh': 'default' } } }))
      .toThrow('pod annotation "kuma.io/mesh" "default" is an annotation, which Kuma 2.8+ treats as deprecated and 3.0 ignores (target 2.14)');
  });

  test('3.0 (kumahq/kuma#18662): a chart\'s kuma.io/gateway is refused, naming the replacement', () => {
    const a = Testing.app();
    KumaVersion.use(a, KumaVersion.V3_0);
    const chart = new Chart(a, 'edge', { namespace: 'kong' });
    new MeshNamespace(chart, 'Kong', { metadata: { name: 'kong' } });
    expect(() => new DelegatedGatewayDeployment(chart, 'Proxy', { containers: [{ image: 'kong', portNumber: 8000 }], podMetadata: { annotations: { 'kuma.io/gateway': 'true' } } }))
      .toThrow('edge/Proxy: pod annotation "kuma.io/gateway" "true" is removed in Kuma 3.x (kumahq/kuma#18662): a gateway is an ordinary Dataplane that keeps its listener ports out of inbound redirection. Remove it; the gateway writes traffic.kuma.io/exclude-inbound-ports with its ports.');
  });
});

describe('KumaVersion', () => {
  test('default, parse, use and of', () => {
    expect(KumaVersion.DEFAULT).toBe(KumaVersion.V2_14);
    expect(KumaVersion.parse('2.9')).toBe(KumaVersion.V2_9);
    expect(KumaVersion.parse('v2.14.3')).toBe(KumaVersion.V2_14);
    expect(KumaVersion.supported.map(String)).toEqual(['2.6', '2.7', '2.8', '2.9', '2.10', '2.11', '2.12', '2.13', '2.14', '3.0']);
    const a = Testing.app();
    const c1 = new Chart(a, 'one');
    const c2 = new Chart(a, 'two');
    KumaVersion.use(c2, KumaVersion.V3_0);
    expect([KumaVersion.of(c1), KumaVersion.of(c2)]).toEqual([KumaVersion.V2_14, KumaVersion.V3_0]);
    expect(KumaVersion.V2_10.atLeast(2, 9)).toBe(true);
    expect(KumaVersion.V2_10.atLeast(3, 0)).toBe(false);
  });

  test('bad input', () => {
    expect(() => KumaVersion.parse('2.5')).toThrow('KumaVersion.parse(): version "2.5" is not a supported Kuma version. Use one of 2.6, 2.7, 2.8, 2.9, 2.10, 2.11, 2.12, 2.13, 2.14, 3.0.');
    const a = Testing.app();
    const chart = new Chart(a, 'edge');
    new MeshNamespace(chart, 'Kong', { metadata: { name: 'kong' } });
    expect(() => KumaVersion.use(a, KumaVersion.V2_7)).toThrow(
      '(the App): KumaVersion "2.7" is set after edge/Kong already used 2.14. Call KumaVersion.use() right after creating the App or Chart, before the constructs.');
  });
});

describe('Mesh mTLS and version', () => {
  test('builtin CA backend', () => {
    const chart = new Chart(Testing.app(), 'mesh');
    new Mesh(chart, 'Default', { metadata: { name: 'default' }, mtls: true, meshServicesMode: MeshServicesMode.EVERYWHERE });
    new Mesh(chart, 'Migrating', { metadata: { name: 'migrating' }, mtls: true, mtlsMode: MtlsMode.PERMISSIVE });
    const [a, b] = synthValid(chart);
    expect(a.spec).toEqual({ meshServices: { mode: 'Everywhere' }, mtls: { enabledBackend: 'ca-1', backends: [{ name: 'ca-1', type: 'builtin', mode: 'STRICT' }] } });
    expect(b.spec.mtls.backends[0].mode).toBe('PERMISSIVE');
  });

  test('3.0: no Mesh.mtls and no meshServices (always Exclusive)', () => {
    const a = Testing.app();
    KumaVersion.use(a, KumaVersion.V3_0);
    const chart = new Chart(a, 'mesh');
    expect(() => new Mesh(chart, 'A', { mtls: true })).toThrow(
      'mesh/A: mtls true is removed from the Mesh API in Kuma 3.0 (identity comes from MeshIdentity and MeshTrust). Remove mtls and declare a MeshIdentity (kuma.MeshIdentity) instead.');
    expect(() => new Mesh(chart, 'B', { meshServicesMode: MeshServicesMode.EVERYWHERE })).toThrow(
      'mesh/B: meshServicesMode "Everywhere" is removed in Kuma 3.0, where every mesh behaves as Exclusive (Kuma\'s UPGRADE.md: "remove the field"). Leave meshServicesMode unset: MeshServices are always on.');
    expect(() => new Mesh(chart, 'E', { meshServicesMode: MeshServicesMode.EXCLUSIVE })).toThrow('mesh/E: meshServicesMode "Exclusive" is removed in Kuma 3.0');
    expect(new Mesh(chart, 'C', { metadata: { name: 'c' } }).meshServicesMode).toBe(MeshServicesMode.EXCLUSIVE);
    expect(() => new Mesh(new Chart(Testing.app(), 'x'), 'D', { mtlsMode: MtlsMode.STRICT })).toThrow('x/D: mtlsMode "STRICT" has no effect without mtls. Set mtls: true or remove mtlsMode.');
  });
});

describe('policy placement: the scope option puts a policy in the chart of the team that owns the upstream', () => {
  function edge(version: KumaVersion) {
    const edgeApp = Testing.app();
    KumaVersion.use(edgeApp, version);
    const kongChart = new Chart(edgeApp, 'kong');
    const shopChart = new Chart(edgeApp, 'shop');
    const shop = new MeshNamespace(shopChart, 'Ns', { metadata: { name: 'shop' } });
    const web = new MeshService(shopChart, 'Web', { metadata: { name: 'web' }, namespace: shop, selectorLabels: { app: 'web' }, ports: [{ port: 80, name: 'http', appProtocol: KumaProtocol.HTTP }] });
    const kongNs = new MeshNamespace(kongChart, 'Ns', { metadata: { name: 'kong' } });
    const proxy = new DelegatedGatewayDeployment(kongChart, 'Kong', { metadata: { name: 'kong' }, namespace: kongNs, containers: [{ image: 'kong:3.9', portNumber: 8000 }] });
    return { edgeApp, kongChart, shopChart, web, gw: proxy.gateway };
  }
  const names = (chart: Chart) => synthValid(chart).filter((o) => o.apiVersion === 'kuma.io/v1alpha1').map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`);

  test.each([[KumaVersion.V2_8, 'kuma-system'], [KumaVersion.V2_14, 'shop']] as const)('Kuma %s: in the shop chart, in the namespace Kuma requires (%s)', (version, namespace) => {
    const { edgeApp, kongChart, shopChart, web, gw } = edge(version);
    gw.allowTo('AllowWeb', GatewayPermissionTarget.service(web), { name: 'kong-to-web', placeIn: shopChart });
    gw.addTimeout('Timeouts', { to: [{ service: web }], name: 'kong-to-web', requestTimeout: Duration.seconds(5), placeIn: shopChart });
    gw.addRetry('Retries', { to: [{ service: web }], name: 'kong-to-web', numRetries: 2, placeIn: shopChart });
    gw.addCircuitBreaker('Limits', { to: [{ service: web }], name: 'kong-to-web', maxConnections: 10, placeIn: shopChart });
    expect(names(kongChart)).toEqual([]);
    const gatewayNs = version.atLeast(2, 9) ? 'kong' : 'kuma-system'; // outbound policies live with the gateway's proxies
    expect(names(shopChart)).toEqual([
      `MeshTrafficPermission ${namespace}/kong-to-web`,
      `MeshTimeout ${gatewayNs}/kong-to-web`,
      `MeshRetry ${gatewayNs}/kong-to-web`,
      `MeshCircuitBreaker ${gatewayNs}/kong-to-web`,
    ]);
    // charts still write one file each, with no ordering between them
    edgeApp.synth();
    expect(fs.readdirSync(edgeApp.outdir).sort()).toEqual(['kong.k8s.yaml', 'shop.k8s.yaml']);
  });

  test('allowToRouteBackends: every permission in the scope', () => {
    const { kongChart, shopChart, web, gw } = edge(KumaVersion.V2_14);
    const ingress = new kplus.Ingress(kongChart, 'Routes', { metadata: { name: 'routes', namespace: 'shop' }, className: 'kong' });
    ingress.addRule('/', kplus.IngressBackend.fromService(web));
    gw.allowToRouteBackends('AllowRoutes', ingress, { name: 'kong-to', placeIn: shopChart });
    expect(names(shopChart)).toEqual(['MeshTrafficPermission shop/kong-to-web']);
  });

  test('a placeIn in another app, and a placeIn that is not where a policy is created, are refused', () => {
    const { web, gw } = edge(KumaVersion.V2_14);
    const other = new Chart(Testing.app(), 'other');
    expect(() => gw.allowTo('X', GatewayPermissionTarget.service(web), { placeIn: other })).toThrow(
      'other/X: placeIn "other" is in another app than the gateway. Pass a construct of the gateway\'s app, such as the Chart of the upstream\'s team.');
    const { kongChart, shopChart, web: web2, gw: gw2 } = edge(KumaVersion.V2_14);
    expect(() => new GatewayTimeout(kongChart, 'T', { gateway: gw2, to: [{ service: web2 }], requestTimeout: Duration.seconds(1), placeIn: shopChart })).toThrow(
      'kong/T: placeIn "shop" differs from where this policy is created (kong). Remove placeIn (it is for the gateway\'s allowTo(), addTimeout(), addRetry() and addCircuitBreaker()), or create the policy in that scope.');
  });

  test('readable default names: <gateway>-to-<service or namespace>, stable under construct renames', () => {
    const { kongChart, shopChart, web, gw } = edge(KumaVersion.V2_14);
    gw.allowTo('AllowWeb', GatewayPermissionTarget.service(web), { placeIn: shopChart });
    gw.allowTo('AllowShop', GatewayPermissionTarget.namespace('shop'));
    gw.addTimeout('Timeouts', { to: [{ service: web }], requestTimeout: Duration.seconds(5) });
    const orders = new MeshService(shopChart, 'Orders', { metadata: { name: 'orders', namespace: 'shop' }, selectorLabels: { app: 'orders' }, ports: [{ port: 80, appProtocol: KumaProtocol.HTTP }] });
    gw.addRetry('Retries', { to: [{ service: web }, { service: orders }], numRetries: 2 });
    expect([...names(shopChart), ...names(kongChart)]).toEqual([
      'MeshTrafficPermission shop/kong-to-web',
      'MeshTrafficPermission shop/kong-to-shop',
      'MeshTimeout kong/kong-to-web',
      'MeshRetry kong/kong-to-web-and-1-more',
    ]);
  });

  test('two policies of one kind, chart and namespace with the same name are refused', () => {
    const { web, gw } = edge(KumaVersion.V2_14);
    gw.addTimeout('Timeouts', { to: [{ service: web }], requestTimeout: Duration.seconds(5) });
    expect(() => gw.addTimeout('MoreTimeouts', { to: [{ service: web }], idleTimeout: Duration.seconds(60) })).toThrow(
      'kong/Kong/DelegatedGateway/MoreTimeouts: name "kong-to-web" is already the name of kong/Kong/DelegatedGateway/Timeouts, a MeshTimeout in namespace kong of the same chart; kubectl would keep only the last one. Pass a name that tells the two apart.');
    // another kind, or the name given, is fine
    gw.addRetry('Retries', { to: [{ service: web }], numRetries: 2 });
    gw.addTimeout('Idle', { to: [{ service: web }], idleTimeout: Duration.seconds(60), name: 'kong-to-web-idle' });
    expect(() => gw.allowTo('A', GatewayPermissionTarget.service(web), { name: 'same' })).not.toThrow();
    expect(() => gw.allowTo('B', GatewayPermissionTarget.namespace('shop'), { name: 'same' })).toThrow('name "same" is already the name of kong/Kong/DelegatedGateway/A');
  });
});
