import * as path from 'path';
import { ApiObject, Chart, Include, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { MESHED_POD } from '../examples/shop-chart';
import { DelegatedGateway, GatewayFlavour, KumaControlPlane, KumaWarnings, MeshNamespace, ReachableService } from '../src';
import { synthValid } from './support/validate';

const KONG_CHART = path.join(__dirname, '..', 'examples', 'helm', 'kong-ingress.yaml');

/** Kong's `ingress` chart output in a chart that also declares the `kong` MeshNamespace. */
function kongInstall() {
  const chart = new Chart(Testing.app(), 'edge');
  new MeshNamespace(chart, 'KongNamespace', { metadata: { name: 'kong' } });
  const kong = new Include(chart, 'Kong', { url: KONG_CHART });
  const obj = (kind: string, name: string) => kong.apiObjects.find((o) => o.kind === kind && o.name === name)!;
  return { chart, obj };
}

function find(manifests: any[], kind: string, name: string) {
  return manifests.find((m) => m.kind === kind && m.metadata.name === name);
}

describe('DelegatedGateway.adopt on a Helm-rendered Kong (Include)', () => {
  test('gateway and controller pods: field by field, every chart value kept', () => {
    const { chart, obj } = kongInstall();
    const proxy = DelegatedGateway.adopt(obj('Deployment', 'kong-gateway'), { flavour: GatewayFlavour.kong() });
    const controller = DelegatedGateway.adopt(obj('Deployment', 'kong-controller'), { flavour: GatewayFlavour.kongController() });
    expect(proxy.node.path).toBe('edge/Kong/kong-gateway-deployment-kong/DelegatedGateway');
    expect([proxy.mesh, controller.mesh]).toEqual(['default', 'default']);

    const manifests = synthValid(chart);
    const gw = find(manifests, 'Deployment', 'kong-gateway').spec.template;
    expect(gw.metadata.annotations).toEqual({
      'kuma.io/service-account-token-volume': 'kong-gateway-token',
      'kuma.io/gateway': 'enabled',
      'traffic.sidecar.istio.io/includeInboundPorts': '',
    });
    expect(gw.metadata.labels).toEqual({
      'app.kubernetes.io/name': 'gateway',
      'app.kubernetes.io/instance': 'kong',
      'app.kubernetes.io/component': 'app',
      'app': 'kong-gateway',
      'version': '3.9',
      'kuma.io/sidecar-injection': 'enabled',
      'kuma.io/mesh': 'default',
    });
    expect(gw.spec.automountServiceAccountToken).toBe(false);

    const ctl = find(manifests, 'Deployment', 'kong-controller').spec.template;
    expect(ctl.metadata.annotations).toEqual({
      'kuma.io/service-account-token-volume': 'kong-controller-token',
      'kuma.io/gateway': 'enabled',
      'traffic.kuma.io/exclude-outbound-ports': '8444',
      'traffic.sidecar.istio.io/excludeOutboundPorts': '8444',
      'traffic.sidecar.istio.io/includeInboundPorts': '',
    });
    expect(ctl.metadata.labels['kuma.io/sidecar-injection']).toBe('enabled');
    expect(ctl.metadata.labels['kuma.io/mesh']).toBe('default');
    expect(KumaWarnings.of(chart)).toEqual([]);
  });

  test('the rest of the rendered objects is untouched', () => {
    const untouched = synthValid(kongInstall().chart);
    const { chart, obj } = kongInstall();
    DelegatedGateway.adopt(obj('Deployment', 'kong-gateway'), { flavour: GatewayFlavour.kong() });
    const adopted = synthValid(chart);
    expect(adopted.filter((m) => m.metadata.name !== 'kong-gateway')).toEqual(untouched.filter((m) => m.metadata.name !== 'kong-gateway'));
    const before = find(untouched, 'Deployment', 'kong-gateway');
    const after = find(adopted, 'Deployment', 'kong-gateway');
    expect({ ...after.spec, template: undefined }).toEqual({ ...before.spec, template: undefined });
    expect(after.spec.template.spec).toEqual(before.spec.template.spec);
  });

  test('sidecar options merge with the chart\'s lists', () => {
    const { chart, obj } = kongInstall();
    DelegatedGateway.adopt(obj('Deployment', 'kong-controller'), {
      flavour: GatewayFlavour.kongController(),
      excludeOutboundPorts: [5432],
      reachableServices: [ReachableService.fromName('echo_shop_svc_80')],
      mesh: 'edge',
    });
    const ctl = find(synthValid(chart), 'Deployment', 'kong-controller').spec.template.metadata;
    expect(ctl.annotations['traffic.kuma.io/exclude-outbound-ports']).toBe('8444,5432');
    expect(ctl.annotations['kuma.io/transparent-proxying-reachable-services']).toBe('echo_shop_svc_80');
    expect(ctl.labels['kuma.io/mesh']).toBe('edge');
  });

  test('the gateway\'s other Services are marked kuma.io/ignore', () => {
    const { chart, obj } = kongInstall();
    const proxy = DelegatedGateway.adopt(obj('Deployment', 'kong-gateway'), { flavour: GatewayFlavour.kong() });
    proxy.ignoreService(obj('Service', 'kong-gateway-admin'));
    proxy.ignoreService(obj('Service', 'kong-gateway-manager'));
    const manifests = synthValid(chart);
    expect(find(manifests, 'Service', 'kong-gateway-admin').metadata.annotations).toEqual({ 'kuma.io/ignore': 'true' });
    expect(find(manifests, 'Service', 'kong-gateway-manager').metadata.annotations).toEqual({ 'kuma.io/ignore': 'true' });
    expect(find(manifests, 'Service', 'kong-gateway-proxy').metadata.annotations).toBeUndefined();
  });

  test('the pod template gets metadata when the manifest had none', () => {
    const chart = new Chart(Testing.app(), 'edge');
    new MeshNamespace(chart, 'Ns', { metadata: { name: 'edge' } });
    const raw = new ApiObject(chart, 'Raw', {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'nginx', namespace: 'edge' },
      spec: { selector: { matchLabels: { app: 'nginx' } }, template: { spec: { containers: [{ name: 'nginx', image: 'nginx' }] } } },
    });
    DelegatedGateway.adopt(raw, { flavour: GatewayFlavour.ingressNginx() });
    // (the DaemonSet's pods would not match its selector: that is the manifest's own bug, not the gateway's)
    const template = Testing.synth(chart).find((m) => m.kind === 'DaemonSet').spec.template;
    expect(template.metadata).toEqual({
      annotations: { 'kuma.io/gateway': 'enabled' },
      labels: { 'kuma.io/sidecar-injection': 'enabled', 'kuma.io/mesh': 'default' },
    });
  });

  describe('conflicts are errors, never overwrites', () => {
    test('a chart value that contradicts the gateway', () => {
      const { obj } = kongInstall();
      const ctl = obj('Deployment', 'kong-controller');
      ctl.addJsonPatch(JsonPatch.add('/spec/template/metadata/annotations/kuma.io~1envoy-admin-port', '9902'));
      expect(() => DelegatedGateway.adopt(ctl, { envoyAdminPort: 9903 })).toThrow(
        'edge/Kong/kong-controller-deployment-kong: pod annotation "kuma.io/envoy-admin-port" "9902" is already set and differs from the gateway\'s "9903". Remove the annotation from the pod template or drop the option that sets it.');
    });

    test('kuma.io/gateway: provided in the rendered chart', () => {
      const chart = new Chart(Testing.app(), 'edge');
      const raw = new ApiObject(chart, 'Raw', {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'kong', namespace: 'kong' },
        spec: { selector: { matchLabels: { app: 'kong' } }, template: { metadata: { labels: { app: 'kong' }, annotations: { 'kuma.io/gateway': 'provided' } }, spec: { containers: [] } } },
      });
      expect(() => DelegatedGateway.adopt(raw)).toThrow(
        'edge/Raw: pod annotation "kuma.io/gateway" "provided" is not "enabled", the only delegated-gateway value: Kuma 2.x\'s injector rejects "provided", 3.0 drops it, and other values do not make a delegated gateway. Remove it; the gateway sets kuma.io/gateway: enabled.');
    });

    test('the annotation on the Deployment instead of the pod template', () => {
      const chart = new Chart(Testing.app(), 'edge');
      const raw = new ApiObject(chart, 'Raw', {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'kong', namespace: 'kong', annotations: { 'kuma.io/gateway': 'enabled' } },
        spec: { selector: { matchLabels: { app: 'kong' } }, template: { metadata: { labels: { app: 'kong' } }, spec: { containers: [] } } },
      });
      expect(() => DelegatedGateway.adopt(raw)).toThrow(
        'edge/Raw: metadata.annotations["kuma.io/gateway"] "enabled" is on the workload, where Kuma never reads it: only the pod template\'s annotation makes a delegated gateway. Remove it from the workload\'s metadata; the pod template gets kuma.io/gateway: enabled from this construct.');
    });

    test('a Service already ignored differently', () => {
      const { obj } = kongInstall();
      const proxy = DelegatedGateway.adopt(obj('Deployment', 'kong-gateway'));
      const admin = obj('Service', 'kong-gateway-admin');
      admin.metadata.addAnnotation('kuma.io/ignore', 'false');
      expect(() => proxy.ignoreService(admin)).toThrow(
        'edge/Kong/kong-gateway-admin-service-kong: metadata.annotations["kuma.io/ignore"] "false" is already set and differs from "true"; Kuma could take this Service as the gateway\'s identity. Remove the annotation or set it to "true".');
      expect(() => proxy.ignoreService(obj('Deployment', 'kong-controller'))).toThrow(
        'edge/Kong/kong-controller-deployment-kong: kind "apps/v1/Deployment" is not a Service. Pass a v1 Service that selects the gateway pods.');
    });

    test('the chart\'s token volume missing from the pod fails at synth', () => {
      const chart = new Chart(Testing.app(), 'edge');
      new MeshNamespace(chart, 'Ns', { metadata: { name: 'kong' } });
      const raw = new ApiObject(chart, 'Raw', {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'kong', namespace: 'kong' },
        spec: {
          selector: { matchLabels: { app: 'kong' } },
          template: {
            metadata: { labels: { app: 'kong' }, annotations: { 'kuma.io/service-account-token-volume': 'kong-token' } },
            spec: { automountServiceAccountToken: false, containers: [{ name: 'proxy', image: 'kong' }] },
          },
        },
      });
      DelegatedGateway.adopt(raw);
      expect(() => Testing.synth(chart)).toThrow(
        '[edge/Raw/DelegatedGateway] serviceAccountTokenVolume "kong-token" is not a volume of the pod (volumes: none), so Kuma\'s injector fails ("volume specified for kuma.io/service-account-token-volume but volume does not exist in pod spec"). Add the volume to the pod or name one of its volumes.');
    });

    test('adopting the workload in another namespace than the one given', () => {
      const { chart, obj } = kongInstall();
      const other = MeshNamespace.fromNamespaceName(chart, 'Other', 'other');
      expect(() => DelegatedGateway.adopt(obj('Deployment', 'kong-gateway'), { namespace: other })).toThrow(
        'edge/Kong/kong-gateway-deployment-kong: metadata.namespace "kong" is not the namespace given to the gateway ("other"). Pass the namespace the workload is in.');
    });
  });

  test('not a workload', () => {
    const { obj, chart } = kongInstall();
    expect(() => DelegatedGateway.adopt(obj('Service', 'kong-gateway-proxy'))).toThrow(
      'edge/Kong/kong-gateway-proxy-service-kong: workload "v1/Service" is not a workload whose pods can become a delegated gateway. Pass a cdk8s-plus Deployment, StatefulSet or DaemonSet (of any cdk8s-plus major), or the apps/v1 ApiObject of one (for example from Include).');
    expect(() => DelegatedGateway.adopt(chart)).toThrow(
      'edge: workload "Chart" is not a workload whose pods can become a delegated gateway.');
  });
});

/** What meshed pods need where cdk8s-plus's defaults differ (KUMA028, KUMA029). */
const MESHED = MESHED_POD;

describe('DelegatedGateway.adopt on cdk8s-plus workloads', () => {
  test.each([
    ['Deployment', (c: Chart) => new kplus.Deployment(c, 'W', { containers: [{ image: 'nginx', portNumber: 80 }], ...MESHED })],
    ['StatefulSet', (c: Chart) => new kplus.StatefulSet(c, 'W', {
      containers: [{ image: 'nginx', portNumber: 80 }],
      ...MESHED,
      service: new kplus.Service(c, 'Headless', { clusterIP: 'None', ports: [{ port: 80 }] }),
    })],
    ['DaemonSet', (c: Chart) => new kplus.DaemonSet(c, 'W', { containers: [{ image: 'nginx', portNumber: 80 }], ...MESHED })],
  ])('%s', (kind, make) => {
    const chart = new Chart(Testing.app(), 'edge', { namespace: 'edge' });
    new MeshNamespace(chart, 'Ns', { metadata: { name: 'edge' } });
    const workload = make(chart);
    const gw = DelegatedGateway.adopt(workload, { flavour: GatewayFlavour.ingressNginx(), mesh: 'edge' });
    expect(gw.workload).toBe(workload);
    const template = synthValid(chart).find((m) => m.kind === kind).spec.template;
    expect(template.metadata.annotations).toEqual({ 'kuma.io/gateway': 'enabled' });
    expect(template.metadata.labels).toMatchObject({ 'kuma.io/sidecar-injection': 'enabled', 'kuma.io/mesh': 'edge' });
    // non-root at container level, where Kuma's root kuma-init container is not affected
    expect(template.spec.securityContext.runAsNonRoot).toBe(false);
    expect(template.spec.containers[0].securityContext.runAsNonRoot).toBe(true);
  });

  test('cdk8s-plus\'s pod-level runAsNonRoot is refused without Kuma CNI, and accepted with it', () => {
    const build = (cni: boolean | undefined) => {
      const app = Testing.app();
      if (cni !== undefined) KumaControlPlane.use(app, { cni });
      const chart = new Chart(app, 'edge', { namespace: 'edge' });
      new MeshNamespace(chart, 'Ns', { metadata: { name: 'edge' } });
      DelegatedGateway.adopt(new kplus.Deployment(chart, 'W', { containers: [{ image: 'nginx', portNumber: 80 }], automountServiceAccountToken: true }), { mesh: 'edge' });
      return chart;
    };
    expect(() => Testing.synth(build(undefined))).toThrow('[edge/W/DelegatedGateway] securityContext.runAsNonRoot true is set for the whole pod, but without Kuma CNI (Kuma in "kuma-system") Kuma\'s injector adds the kuma-init container as runAsUser 0, which the kubelet then refuses to start ("container\'s runAsUser breaks non-root policy"), so the gateway pods never start. Set runAsNonRoot on each container instead of the pod (cdk8s-plus: securityContext: { ensureNonRoot: false } on the workload, whose containers keep their own), or say the control plane runs Kuma CNI with KumaControlPlane.use(app, { cni: true }).');
    expect(() => Testing.synth(build(false))).toThrow('without Kuma CNI (Kuma in "kuma-system")');
    expect(synthValid(build(true)).find((m) => m.kind === 'Deployment').spec.template.spec.securityContext.runAsNonRoot).toBe(true);
  });

  test('a cdk8s-plus workload without a token (cdk8s-plus defaults automount off)', () => {
    const chart = new Chart(Testing.app(), 'edge', { namespace: 'edge' });
    new MeshNamespace(chart, 'Ns', { metadata: { name: 'edge' } });
    DelegatedGateway.adopt(new kplus.Deployment(chart, 'W', { containers: [{ image: 'nginx', portNumber: 80 }] }));
    expect(() => Testing.synth(chart)).toThrow(
      '[edge/W/DelegatedGateway] automountServiceAccountToken false leaves the sidecar without the service-account token it authenticates to the control plane with.');
  });
});
