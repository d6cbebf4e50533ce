/*
 * An app on cdk8s-plus-33 (what `cdk8s init typescript-app` starts with today) that uses this
 * library, built on cdk8s-plus-28, only through the paths that take no cdk8s-plus-28 object:
 * every Namespace, Deployment, Service, ServiceAccount and Ingress of the app is cdk8s-plus-33's.
 *   - Services: a cdk8s-plus-33 Service selecting by label, annotated with ServiceUpstream.annotate
 *     and known to the library through MeshService.fromServiceAttributes; or a MeshService built
 *     from plain props (selectorLabels), routed with toIngressBackendJson();
 *   - namespaces: MeshNamespace.fromNamespaceAttributes of cdk8s-plus-33 Namespaces;
 *   - gateways: DelegatedGateway.adopt of a cdk8s-plus-33 Deployment (Kong) and of Include'd
 *     `helm template` output (ingress-nginx);
 *   - MeshAnalyzer at every synth, as the lint and the cdk8s.yaml plugin read the same objects.
 * test/cdk8s-plus-33-app.test.ts synthesizes it for Kuma 2.14 and 3.0 and checks what it emits.
 */
import * as path from 'path';
import { ApiObject, App, Chart, Duration, Include, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import {
  DelegatedGateway, GatewayFlavour, GatewayPermissionTarget, KongIngressClass, KumaControlPlane, KumaDistribution,
  KumaProtocol, KumaVersion, MeshAnalyzer, MeshIdentity, MeshNamespace, MeshService, ReachableBackend, ReachableService, RetryOn,
  ServiceUpstream,
} from '../../../src';

/** The namespaces' Kuma labels: injection on, mesh default. */
const MESHED_NAMESPACE = { 'kuma.io/sidecar-injection': 'enabled', 'kuma.io/mesh': 'default' };
/** What a meshed pod needs where cdk8s-plus's defaults differ: the token (KUMA029), a root kuma-init without CNI (KUMA028). */
const MESHED_POD = { automountServiceAccountToken: true, securityContext: { ensureNonRoot: false } };

export function plus33App(version: KumaVersion, outdir?: string): App {
  const app = new App(outdir === undefined ? {} : { outdir });
  KumaVersion.use(app, version);
  KumaControlPlane.use(app, { distribution: KumaDistribution.KONG_MESH, zone: 'edge' });
  new MeshAnalyzer(app, 'MeshAnalyzer');

  const namespaces = new Chart(app, 'namespaces');
  for (const name of ['shop', 'kong', 'ingress-nginx']) {
    new kplus.Namespace(namespaces, name, { metadata: { name, labels: MESHED_NAMESPACE } });
  }
  const namespace = (scope: Chart, name: string) =>
    MeshNamespace.fromNamespaceAttributes(scope, 'Namespace', { name, sidecarInjectionLabel: 'enabled', meshLabel: 'default' });

  // ---- the shop: web through a cdk8s-plus-33 Service, orders through a MeshService of plain props
  const shop = new Chart(app, 'shop', { namespace: 'shop' });
  const kuma3 = version.major >= 3;
  // Kuma 3.x: mTLS, and with it every MeshTrafficPermission, exists only where a MeshIdentity matches
  if (kuma3) new MeshIdentity(shop, 'Identity', { metadata: { name: 'identity' } });
  /** A meshed workload of the shop, `name` listening on 8080 as UID 1000: the labels its pods carry. */
  const workload = (id: string, name: string) => {
    const labels = { 'app.kubernetes.io/name': name };
    new kplus.Deployment(shop, id, {
      metadata: { name },
      podMetadata: { labels },
      ...MESHED_POD,
      containers: [{ name, image: `${name}:1.0`, portNumber: 8080, securityContext: { user: 1000 } }],
    });
    return labels;
  };
  const WEB = workload('Web', 'web');
  const webService = new kplus.Service(shop, 'WebService', { metadata: { name: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] });
  webService.selectLabel('app.kubernetes.io/name', 'web'); // the stable label, not cdk8s.io/metadata.addr
  ServiceUpstream.annotate(webService);
  // cdk8s-plus has no appProtocol on a ServicePort: Kuma's protocol goes in by a JSON patch
  ApiObject.of(webService).addJsonPatch(JsonPatch.add('/spec/ports/0/appProtocol', KumaProtocol.HTTP));
  const web = MeshService.fromServiceAttributes(shop, 'WebRef', { name: 'web', namespace: 'shop', ports: [80], namedPorts: { http: 80 }, selectorLabels: WEB });

  const ORDERS = workload('Orders', 'orders');
  const orders = new MeshService(shop, 'OrdersService', {
    metadata: { name: 'orders' },
    namespace: namespace(shop, 'shop'),
    selectorLabels: ORDERS,
    ports: [{ port: 80, targetPort: 8080, appProtocol: KumaProtocol.HTTP }],
  });

  // ---- Kong: a cdk8s-plus-33 Deployment adopted as a delegated gateway
  const kongChart = new Chart(app, 'kong', { namespace: 'kong' });
  const KONG = { 'app.kubernetes.io/name': 'kong', 'app.kubernetes.io/instance': 'kong' };
  const kong = new kplus.Deployment(kongChart, 'Kong', {
    metadata: { name: 'kong-gateway' },
    podMetadata: { labels: KONG },
    ...MESHED_POD,
    serviceAccount: new kplus.ServiceAccount(kongChart, 'ServiceAccount', { metadata: { name: 'kong-gateway' } }),
    containers: [{
      name: 'proxy',
      image: 'kong:3.9',
      ports: [{ number: 8000, name: 'proxy' }],
      envVariables: { KONG_DATABASE: kplus.EnvValue.fromValue('off'), KONG_PREFIX: kplus.EnvValue.fromValue('/kong_prefix/') },
      securityContext: { user: 1000 },
      volumeMounts: [
        { path: '/kong_prefix/', volume: kplus.Volume.fromEmptyDir(kongChart, 'Prefix', 'kong-prefix') },
        { path: '/tmp', volume: kplus.Volume.fromEmptyDir(kongChart, 'Tmp', 'kong-tmp') },
      ],
    }],
  });
  const kongGateway = DelegatedGateway.adopt(kong, { namespace: namespace(kongChart, 'kong'), flavour: GatewayFlavour.kong() });
  const proxy = new kplus.Service(kongChart, 'Proxy', { metadata: { name: 'kong-proxy' }, type: kplus.ServiceType.LOAD_BALANCER, ports: [{ port: 80, targetPort: 8000 }] });
  for (const [k, v] of Object.entries(KONG)) proxy.selectLabel(k, v);
  new KongIngressClass(kongChart, 'IngressClass', { parametersNamespace: 'kong' });
  // the outbounds the gateway gets (2.x kuma.io/transparent-proxying-reachable-services, 3.x kuma.io/reachable-backends)
  if (kuma3) kongGateway.addReachableBackend(ReachableBackend.meshService(web), ReachableBackend.meshService(orders));
  else kongGateway.addReachableService(ReachableService.fromMeshService(web), ReachableService.fromMeshService(orders));

  const route = new kplus.Ingress(shop, 'Ingress', { metadata: { name: 'shop' }, className: 'kong' });
  route.addRule('/', kplus.IngressBackend.fromService(webService));
  // a MeshService is a cdk8s-plus-28 Service: its backend goes in as JSON
  ApiObject.of(route).addJsonPatch(JsonPatch.add('/spec/rules/0/http/paths/-', { path: '/orders', pathType: 'Prefix', backend: orders.toIngressBackendJson() }));
  kongGateway.allowToRouteBackends('AllowShop', route, { name: 'kong-to' });
  kongGateway.addTimeout('Timeouts', { to: [{ service: web }, { service: orders }], requestTimeout: Duration.seconds(10) });
  kongGateway.addRetry('Retries', { to: [{ service: web }], numRetries: 3, retryOn: [RetryOn.GATEWAY_ERROR] });

  // ---- ingress-nginx from `helm template` output, Include'd and adopted
  const nginxChart = new Chart(app, 'ingress-nginx');
  const release = new Include(nginxChart, 'Release', { url: path.join(__dirname, 'ingress-nginx.yaml') });
  const nginx = DelegatedGateway.adopt(release.node.findChild('ingress-nginx-controller-deployment-ingress-nginx'), {
    namespace: namespace(nginxChart, 'ingress-nginx'), flavour: GatewayFlavour.ingressNginx(),
  });
  const nginxRoute = new kplus.Ingress(shop, 'NginxIngress', { metadata: { name: 'shop-nginx' }, className: 'nginx' });
  nginxRoute.addRule('/', kplus.IngressBackend.fromService(webService));
  nginx.useServiceUpstream(nginxRoute); // ingress-nginx reads service-upstream on the Ingress
  nginx.allowTo('AllowWeb', GatewayPermissionTarget.service(web), { name: 'ingress-nginx-to-web' });
  return app;
}
