/**
 * For every supported Kuma version: an app using every construct synthesizes objects that pass
 * that version's own CRDs with nothing pruned (synthValid validates each chart against the CRDs of
 * its KumaVersion), every annotation and label key it writes is in that version's annotation
 * catalogue (kumahq/kuma annotations.go), and what the version lacks is refused with the fix.
 */
import { ApiObject, App, Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  ContainerPatch, ContainerPatchOperation, CrossZoneExternalName, DelegatedGateway, DelegatedGatewayDeployment, EnvoyLogLevel, GatewayFlavour,
  GatewayPermissionTarget, KongIngressClass, KumaProtocol, KumaVersion, Mesh, MeshAddress, MeshAnalyzer, MeshMultiZoneService, MeshNamespace,
  MeshService, MeshServicesMode, MeshZoneAddress, ReachableBackend, ReachableService, RetryOn, ServiceUpstream,
} from '../../src';
import { capabilitiesOf } from '../../src/kuma/_kuma-capabilities';
import { registerKongCrds, synthValid } from '../support/validate';

registerKongCrds();
process.env.CDK8S_KUMA_QUIET = '1';

const served = (version: KumaVersion, kind: string) => capabilitiesOf(version).servedKinds.has(kind);
const reads = (version: KumaVersion, key: string) => capabilitiesOf(version).metadataKeys.has(key);

/** Every construct of the library that `version` supports, in one app. */
function everyConstruct(version: KumaVersion): App {
  const app = Testing.app();
  KumaVersion.use(app, version);
  new MeshAnalyzer(app, 'Analyzer', { ignore: ['KUMA011'] });
  const chart = new Chart(app, 'all', { disableResourceNameHashes: true });
  const v30 = version.atLeast(3, 0);
  // 2.x: MeshServices everywhere where the version has them, so every address kind is served.
  const mode = v30 ? undefined : served(version, 'MeshService') ? MeshServicesMode.EVERYWHERE : MeshServicesMode.DISABLED;
  const mesh = new Mesh(chart, 'Mesh', { metadata: { name: 'default' }, meshServicesMode: mode });

  const shop = new MeshNamespace(chart, 'Shop', { metadata: { name: 'shop' } });
  const webDeployment = new kplus.Deployment(chart, 'WebDeployment', {
    metadata: { name: 'web', namespace: 'shop' },
    podMetadata: { labels: { app: 'web' } },
    select: false,
    automountServiceAccountToken: true,
    securityContext: { ensureNonRoot: false },
    containers: [{ image: 'web:1', portNumber: 8080 }],
  });
  webDeployment.select(kplus.LabelSelector.of({ labels: { app: 'web' } }));
  const web = new MeshService(chart, 'Web', {
    metadata: { name: 'web' },
    namespace: shop,
    selectorLabels: { app: 'web' },
    ports: [{ port: 80, targetPort: 8080, name: 'http', appProtocol: KumaProtocol.HTTP }],
  });
  const api = new MeshService(chart, 'Api', { metadata: { name: 'api' }, namespace: shop, selectorLabels: { app: 'web' }, ports: [{ port: 9090, name: 'grpc' }] });
  const legacy = new kplus.Service(chart, 'Legacy', { metadata: { name: 'legacy', namespace: 'shop' }, selector: webDeployment, ports: [{ port: 81, targetPort: 8080 }] });
  ServiceUpstream.annotate(legacy);

  const kongNs = new MeshNamespace(chart, 'KongNs', { metadata: { name: 'kong' } });
  const patch = new ContainerPatch(chart, 'Patch', { metadata: { name: 'sidecar-memory' }, sidecarPatch: [ContainerPatchOperation.add('/resources/limits/memory', '256Mi')] });
  const proxy = new DelegatedGatewayDeployment(chart, 'Kong', {
    metadata: { name: 'kong' },
    namespace: kongNs,
    flavour: GatewayFlavour.kong(),
    select: false,
    podMetadata: { labels: { 'app.kubernetes.io/name': 'kong' } },
    containers: [{ image: 'kong:3.9', ports: [{ number: 8000 }, { number: 8443 }] }],
    sidecarEnv: { KUMA_DNS: 'true' },
    drainTime: Duration.seconds(45),
    envoyAdminPort: 9902,
    excludeOutboundPorts: [5432],
    ...reads(version, 'traffic.kuma.io/exclude-outbound-ips') ? { excludeOutboundIps: ['10.0.0.0/8'] } : {},
    ...reads(version, 'kuma.io/transparent-proxying-reachable-services') ? { reachableServices: [ReachableService.fromMeshService(web, 80)] } : {},
    ...reads(version, 'kuma.io/reachable-backends') ? { reachableBackends: [ReachableBackend.meshService(web, 80)] } : {},
    containerPatches: [patch],
    envoyLogLevel: EnvoyLogLevel.INFO,
    envoyComponentLogLevels: { upstream: EnvoyLogLevel.DEBUG },
    proxyConcurrency: 2,
    waitForDataplaneReady: true,
    initFirst: true,
  });
  proxy.select(kplus.LabelSelector.of({ labels: { 'app.kubernetes.io/name': 'kong' } }));
  proxy.exposeViaProxyService({ ports: [{ port: 80, targetPort: 8000, name: 'http' }] });
  const gw = proxy.gateway;
  gw.allowTo('AllowWeb', GatewayPermissionTarget.service(web), v30 ? { zone: 'zone-1' } : {});
  gw.allowTo('AllowShop', GatewayPermissionTarget.namespace('shop'), v30 ? { zone: 'zone-1' } : {});
  if (!v30) gw.denyByDefault('Deny');
  gw.addTimeout('Timeout', { to: [{ service: web, port: 80 }], requestTimeout: Duration.seconds(10) });
  gw.addRetry('Retry', { to: [{ service: web }], numRetries: 3, retryOn: [RetryOn.GATEWAY_ERROR] });
  gw.addCircuitBreaker('Breaker', { to: [{ service: api, port: 9090 }], maxConnections: 100 });
  new KongIngressClass(chart, 'Class', { parametersNamespace: 'kong' });

  // A Deployment as a Helm chart renders it, adopted.
  const nginxNs = new MeshNamespace(chart, 'NginxNs', { metadata: { name: 'ingress-nginx' } });
  const rendered = new ApiObject(chart, 'Nginx', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'nginx', namespace: 'ingress-nginx' },
    spec: {
      selector: { matchLabels: { app: 'nginx' } },
      template: {
        metadata: { labels: { app: 'nginx' } },
        // its own identity (Kuma 3.x refuses a gateway under the namespace's default account)
        spec: { serviceAccountName: 'ingress-nginx', containers: [{ name: 'controller', image: 'nginx:1', ports: [{ containerPort: 80 }] }] },
      },
    },
  });
  DelegatedGateway.adopt(rendered, { namespace: nginxNs, flavour: GatewayFlavour.ingressNginx() });

  // Cross-zone addresses, each where the version serves it.
  if (!v30) new CrossZoneExternalName(chart, 'WebVip', { metadata: { name: 'web-vip' }, namespace: kongNs, mesh, target: MeshAddress.kumaServiceVip(web, 80) });
  if (served(version, 'MeshService') && served(version, 'HostnameGenerator')) {
    new CrossZoneExternalName(chart, 'WebLocal', { metadata: { name: 'web-local' }, namespace: kongNs, mesh, target: MeshAddress.meshService(web, 'zone-a', 80) });
  }
  if (capabilitiesOf(version).meshZoneAddress) new MeshZoneAddress(chart, 'ZoneAddress', { address: '203.0.113.10', port: 10001 });
  if (served(version, 'MeshMultiZoneService')) {
    // 3.x runs the global control plane, where it is created, on Universal only: imported there
    const mzs = capabilitiesOf(version).globalOnKubernetes
      ? new MeshMultiZoneService(chart, 'WebEverywhere', { metadata: { name: 'web-everywhere' }, selector: { 'kuma.io/display-name': 'web' }, ports: [{ port: 80 }] })
      : MeshMultiZoneService.fromMeshMultiZoneServiceAttributes(chart, 'WebEverywhere', { name: 'web-everywhere', ports: [80] });
    new CrossZoneExternalName(chart, 'WebMzs', { metadata: { name: 'web-mzs' }, namespace: kongNs, mesh, target: MeshAddress.meshMultiZoneService(mzs) });
  }
  return app;
}

/** Every kuma.io/ and traffic.kuma.io/ annotation and label key on pod templates, Services and Namespaces. */
function keysWritten(manifests: any[]): string[] {
  const keys = new Set<string>();
  const add = (meta: any) => {
    for (const k of [...Object.keys(meta?.annotations ?? {}), ...Object.keys(meta?.labels ?? {})]) {
      if (/^(traffic\.)?kuma\.io\//.test(k)) keys.add(k);
    }
  };
  for (const m of manifests) {
    if (m.kind === 'Service' || m.kind === 'Namespace') add(m.metadata);
    add(m.spec?.template?.metadata);
  }
  return [...keys].sort();
}

describe.each(KumaVersion.supported.map((v) => [v.toString(), v]))('Kuma %s', (_name, v) => {
  const version = v as KumaVersion;

  test('every construct: valid against this version\'s CRDs, nothing pruned', () => {
    const manifests = synthValid(everyConstruct(version));
    expect(manifests.filter((m) => String(m.apiVersion).startsWith('kuma.io/')).length).toBeGreaterThanOrEqual(7);
  });

  test('every annotation and label key written is in this version\'s annotation catalogue', () => {
    const written = keysWritten(synthValid(everyConstruct(version)));
    // 2.x marks the gateway with kuma.io/gateway; 3.x excludes its ports from inbound redirection.
    expect(written).toContain(version.atLeast(3, 0) ? 'traffic.kuma.io/exclude-inbound-ports' : 'kuma.io/gateway');
    if (version.atLeast(3, 0)) expect(written).not.toContain('kuma.io/gateway');
    expect(written.filter((k) => !reads(version, k))).toEqual([]);
  });
});

describe('what a version lacks is refused, naming the version that has it', () => {
  test('MeshMultiZoneService before 2.9', () => {
    const app = Testing.app();
    KumaVersion.use(app, KumaVersion.V2_8);
    const chart = new Chart(app, 'c');
    expect(() => new MeshMultiZoneService(chart, 'M', { selector: { app: 'web' }, ports: [{ port: 80 }] })).toThrow(
      'c/M: KumaVersion "2.8" does not serve MeshMultiZoneService: Kuma\'s CRDs have that kind in 2.9 to 3.0. Target a version that has it (KumaVersion.use()), or drop the MeshMultiZoneService.');
  });

  test('a MeshService hostname where the version has no MeshService CRD', () => {
    const app = Testing.app();
    KumaVersion.use(app, KumaVersion.V2_6);
    const chart = new Chart(app, 'c');
    const web = MeshService.fromServiceAttributes(chart, 'Web', { name: 'web', namespace: 'shop', ports: [80] });
    new CrossZoneExternalName(chart, 'X', { metadata: { name: 'x', namespace: 'kong' }, target: MeshAddress.meshService(web, 'zone-a') });
    expect(() => app.synth()).toThrow(
      'target "web.shop.svc.zone-a.mesh.local" is not served by Kuma 2.6: Kuma 2.6\'s CRDs have no MeshService or HostnameGenerator (MeshService: 2.7 to 3.0; HostnameGenerator: 2.8 to 3.0). Target a Kuma version that has it (KumaVersion.use()), or use MeshAddress.kumaServiceVip().');
  });

  test.each([
    [KumaVersion.V2_8, { excludeOutboundIps: ['10.0.0.0/8'] }, 'pod annotation "traffic.kuma.io/exclude-outbound-ips" "10.0.0.0/8" is not read by Kuma 2.8: Kuma\'s annotation catalogue (annotations.go) has it from 2.9 on. Drop excludeOutboundIps for Kuma 2.8, or target Kuma 2.9 or newer (KumaVersion.use()).'],
    [KumaVersion.V3_0, { reachableServices: [ReachableService.fromName('web_shop_svc_80')] }, 'pod annotation "kuma.io/transparent-proxying-reachable-services" "web_shop_svc_80" is not read by Kuma 3.0: Kuma\'s annotation catalogue (annotations.go) has it up to 2.14 only. Use reachableBackends (kuma.io/reachable-backends) instead.'],
  ])('a sidecar option whose annotation %s does not read', (version, options, message) => {
    const app = Testing.app();
    KumaVersion.use(app, version);
    const chart = new Chart(app, 'c');
    const ns = new MeshNamespace(chart, 'Ns', { metadata: { name: 'kong' } });
    new DelegatedGatewayDeployment(chart, 'Gw', { namespace: ns, containers: [{ image: 'kong:3.9', portNumber: 8000 }], ...options });
    expect(() => app.synth()).toThrow(message);
  });

  test('a gateway container running as the sidecar\'s UID (Kuma\'s injector refuses it)', () => {
    const chart = Testing.chart();
    const ns = new MeshNamespace(chart, 'Ns', { metadata: { name: 'kong' } });
    new DelegatedGatewayDeployment(chart, 'Gw', {
      namespace: ns, containers: [{ name: 'kong', image: 'kong:3.9', portNumber: 8000, securityContext: { user: 5678 } }],
    });
    expect(() => Testing.synth(chart)).toThrow(
      'securityContext.runAsUser 5678 is the UID of Kuma\'s sidecar, so its injector fails the pod ("containers using same UID as sidecar is unsupported": kong). Run the gateway containers as another user.');
  });

  test('a chart value Kuma\'s injector cannot parse (adopt)', () => {
    const chart = Testing.chart();
    const ns = new MeshNamespace(chart, 'Ns', { metadata: { name: 'kong' } });
    const obj = new ApiObject(chart, 'Kong', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'kong', namespace: 'kong' },
      spec: {
        selector: { matchLabels: { app: 'kong' } },
        template: { metadata: { labels: { app: 'kong' }, annotations: { 'kuma.io/sidecar-drain-time': '30 seconds' } }, spec: { containers: [{ name: 'kong', image: 'kong' }] } },
      },
    });
    expect(() => DelegatedGateway.adopt(obj, { namespace: ns })).toThrow(
      'test/Kong: pod annotation "kuma.io/sidecar-drain-time" "30 seconds" is not a Go duration such as "30s", so Kuma\'s injector fails the pod. Correct the value, or set it through the gateway\'s options.');
  });
});
