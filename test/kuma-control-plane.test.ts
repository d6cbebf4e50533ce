import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  ContainerPatch, ContainerPatchOperation, DelegatedGatewayDeployment, GatewayFlavour, GatewayPermissionTarget, KumaControlPlane, KumaDistribution,
  KumaVersion, MeshMultiZoneService, MeshNamespace, MeshService, MeshZoneAddress,
} from '../src';
import { synthValid } from './support/validate';

// One app-wide control-plane setting (Kong Mesh runs in kong-mesh-system), read by every construct
// that places or checks control-plane objects; no construct falls back silently.

const sidecarMemory = [ContainerPatchOperation.add('/resources/limits/memory', '256Mi')];

function kongMeshApp(version = KumaVersion.V2_14, options = {}) {
  const app = Testing.app();
  KumaVersion.use(app, version);
  KumaControlPlane.use(app, { distribution: KumaDistribution.KONG_MESH, ...options });
  return app;
}

function zoneChart(app: App, version: KumaVersion) {
  const chart = new Chart(app, 'zone');
  const ns = new MeshNamespace(chart, 'KongNs', { metadata: { name: 'kong' } });
  const shop = new MeshNamespace(chart, 'Shop', { metadata: { name: 'shop' } });
  const web = new MeshService(chart, 'Web', {
    metadata: { name: 'web' }, namespace: shop, selectorLabels: { app: 'web' }, ports: [{ port: 80, name: 'http' }],
  });
  const patch = new ContainerPatch(chart, 'Patch', { metadata: { name: 'sidecar-memory' }, sidecarPatch: sidecarMemory });
  const gw = new DelegatedGatewayDeployment(chart, 'Kong', {
    metadata: { name: 'kong' },
    namespace: ns,
    flavour: GatewayFlavour.kong(),
    containers: [{ image: 'kong:3.9', portNumber: 8000 }],
    containerPatches: [patch],
  });
  gw.gateway.allowTo('AllowWeb', GatewayPermissionTarget.service(web), { name: 'kong-to-web' });
  if (!version.atLeast(3, 0)) gw.gateway.denyByDefault('Deny', 'kong-deny');
  return { chart, gw };
}

const placed = (objects: any[]) => objects.filter((o) => ['ContainerPatch', 'MeshTrafficPermission', 'MeshMultiZoneService', 'MeshZoneAddress'].includes(o.kind))
  .map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`);

describe('KumaControlPlane.use() set once', () => {
  test('Kong Mesh: ContainerPatch, the gateway\'s 2.8 policies and its checks use kong-mesh-system', () => {
    const app = kongMeshApp(KumaVersion.V2_8);
    const { chart, gw } = zoneChart(app, KumaVersion.V2_8);
    expect(gw.gateway.controlPlaneNamespace).toBe('kong-mesh-system');
    expect(placed(synthValid(chart))).toEqual([
      'ContainerPatch kong-mesh-system/sidecar-memory',
      'MeshTrafficPermission kong-mesh-system/kong-to-web',
      'MeshTrafficPermission kong-mesh-system/kong-deny',
    ]);
  });

  test('2.9+: the permission lives in the workload\'s namespace (Kuma\'s rule), the patch in kong-mesh-system', () => {
    const app = kongMeshApp(KumaVersion.V2_14);
    const { chart } = zoneChart(app, KumaVersion.V2_14);
    expect(placed(synthValid(chart))).toEqual([
      'ContainerPatch kong-mesh-system/sidecar-memory',
      'MeshTrafficPermission shop/kong-to-web',
      'MeshTrafficPermission kong-mesh-system/kong-deny',
    ]);
  });

  test('MeshMultiZoneService and MeshZoneAddress, and an imported ContainerPatch', () => {
    const app = kongMeshApp(KumaVersion.V3_0);
    // (a 2.x global: 3.x runs its global control plane on Universal only)
    const global = new Chart(kongMeshApp(KumaVersion.V2_14), 'global');
    new MeshMultiZoneService(global, 'Web', { metadata: { name: 'web' }, selector: { 'kuma.io/display-name': 'web' }, ports: [{ port: 80 }] });
    const zone = new Chart(app, 'zone-a');
    new MeshZoneAddress(zone, 'Addr', { metadata: { name: 'zone-a' }, address: 'zone-a.example.com', port: 10001 });
    expect(ContainerPatch.fromContainerPatchName(zone, 'Existing', 'existing').namespace).toBe('kong-mesh-system');
    expect([...placed(synthValid(global)), ...placed(synthValid(zone))]).toEqual([
      'MeshMultiZoneService kong-mesh-system/web',
      'MeshZoneAddress kong-mesh-system/zone-a',
    ]);
  });

  test('the zone of Kuma 3.0 permissions comes from the setting', () => {
    const app = kongMeshApp(KumaVersion.V3_0, { zone: 'zone-1' });
    const { chart } = zoneChart(app, KumaVersion.V3_0);
    const mtp = synthValid(chart).find((o) => o.kind === 'MeshTrafficPermission');
    expect(mtp.spec.rules[0].default.allow).toEqual([{ spiffeID: { type: 'Exact', value: 'spiffe://default.zone-1.mesh.local/ns/kong/sa/kong' } }]);
  });

  test('per chart: one cluster runs Kuma, another Kong Mesh in a namespace of its own', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a');
    const b = new Chart(app, 'b');
    KumaControlPlane.use(a);
    KumaControlPlane.use(b, { distribution: KumaDistribution.KONG_MESH, namespace: 'mesh' });
    new ContainerPatch(a, 'P', { sidecarPatch: sidecarMemory });
    new ContainerPatch(b, 'P', { sidecarPatch: sidecarMemory });
    expect([KumaControlPlane.of(a).toString(), KumaControlPlane.of(b).toString()]).toEqual(['Kuma in "kuma-system"', 'Kong Mesh in "mesh"']);
    expect([...placed(synthValid(a)), ...placed(synthValid(b))]).toEqual(['ContainerPatch kuma-system/a-p-c82d4b23', 'ContainerPatch mesh/b-p-c838c5e2']);
  });

  test('defaults: Kuma in kuma-system, Kong Mesh in kong-mesh-system', () => {
    expect(KumaControlPlane.of(Testing.app()).toString()).toBe('Kuma in "kuma-system"');
    expect(KumaControlPlane.DEFAULT.namespace).toBe(ContainerPatch.DEFAULT_NAMESPACE);
    expect(KumaControlPlane.defaultNamespace(KumaDistribution.KONG_MESH)).toBe('kong-mesh-system');
    expect(KumaControlPlane.use(Testing.app(), { distribution: KumaDistribution.KONG_MESH, zone: 'eu-1' }).toString()).toBe('Kong Mesh in "kong-mesh-system", zone "eu-1"');
  });
});

describe('contradictions and bad values are errors naming both sides', () => {
  test('a construct\'s own namespace that differs from the setting', () => {
    const app = kongMeshApp();
    const chart = new Chart(app, 'zone');
    expect(() => new ContainerPatch(chart, 'Patch', { namespace: 'kuma-system', sidecarPatch: sidecarMemory })).toThrow(
      'zone/Patch: namespace "kuma-system" contradicts the control plane set with KumaControlPlane.use() on (the App) (Kong Mesh in "kong-mesh-system"): the namespace would differ between constructs of one cluster. Remove namespace (it defaults to "kong-mesh-system"), or change KumaControlPlane.use() for this chart.');
    expect(() => new MeshMultiZoneService(chart, 'M', { namespace: 'kuma-system', selector: { app: 'web' }, ports: [{ port: 80 }] })).toThrow(
      'zone/M: namespace "kuma-system" contradicts the control plane set with KumaControlPlane.use()');
    const ns = new MeshNamespace(chart, 'Kong', { metadata: { name: 'kong' } });
    expect(() => new DelegatedGatewayDeployment(chart, 'Gw', { namespace: ns, controlPlaneNamespace: 'kuma-system', containers: [{ image: 'kong' }] })).toThrow(
      'zone/Gw/DelegatedGateway: controlPlaneNamespace "kuma-system" contradicts the control plane set with KumaControlPlane.use()');
    // the same value as the setting is fine
    expect(new ContainerPatch(chart, 'Same', { namespace: 'kong-mesh-system', sidecarPatch: sidecarMemory }).namespace).toBe('kong-mesh-system');
  });

  test('a zone that differs from the setting', () => {
    const app = kongMeshApp(KumaVersion.V3_0, { zone: 'zone-1' });
    const { gw } = zoneChart(app, KumaVersion.V3_0);
    expect(() => gw.gateway.allowTo('Other', GatewayPermissionTarget.namespace('shop'), { zone: 'zone-2' })).toThrow(
      'zone/Kong/DelegatedGateway/Other: zone "zone-2" contradicts the zone zone/Kong/DelegatedGateway runs in ("zone-1", from its control plane or attributes). Remove zone: the permission takes the gateway\'s.');
  });

  test('use() after a construct read the default', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    new ContainerPatch(chart, 'Patch', { sidecarPatch: sidecarMemory });
    expect(() => KumaControlPlane.use(app, { distribution: KumaDistribution.KONG_MESH })).toThrow(
      ': KumaControlPlane "Kong Mesh in \\"kong-mesh-system\\"" is set after c/Patch already used Kuma in "kuma-system". Call KumaControlPlane.use() right after creating the App or Chart, before the constructs.');
    // setting what was already used is fine
    expect(KumaControlPlane.use(app).namespace).toBe('kuma-system');
  });

  test('bad namespace and zone values', () => {
    expect(() => KumaControlPlane.use(Testing.app(), { namespace: 'Kong_Mesh' })).toThrow(': KumaControlPlane.namespace "Kong_Mesh" is not a valid RFC 1123 label');
    expect(() => KumaControlPlane.use(Testing.app(), { zone: 'Zone 1' })).toThrow(': KumaControlPlane.zone "Zone 1" is not a zone name that fits in a hostname');
    expect(() => KumaControlPlane.use(Testing.app(), { distribution: 'istio' as KumaDistribution })).toThrow(
      ': KumaControlPlane.distribution "istio" is not a KumaDistribution. Use KumaDistribution.KUMA or KumaDistribution.KONG_MESH.');
  });
});

describe('without use(): no construct falls back silently', () => {
  test('constructs that name different control plane namespaces fail synth, naming each', () => {
    const app = Testing.app();
    const zone = new Chart(app, 'zone');
    const ns = new MeshNamespace(zone, 'KongNs', { metadata: { name: 'kong' } });
    new DelegatedGatewayDeployment(zone, 'Kong', { namespace: ns, controlPlaneNamespace: 'kong-mesh-system', containers: [{ image: 'kong' }] });
    const global = new Chart(app, 'global');
    new MeshMultiZoneService(global, 'Web', { selector: { 'kuma.io/display-name': 'web' }, ports: [{ port: 80 }] });
    expect(() => app.synth()).toThrow('[zone/Kong/DelegatedGateway] KumaControlPlane is not set, and the constructs that place control-plane objects name 2 namespaces '
      + '(zone/Kong/DelegatedGateway controlPlaneNamespace "kong-mesh-system", global/Web namespace "kuma-system"), so some of those objects are where the control plane never looks. '
      + 'Set the control plane once, KumaControlPlane.use(app, { distribution, namespace }) (or per chart, one per cluster), and remove the per-construct namespaces.');
  });

  test('constructs that agree (or a single explicit value) synthesize as before', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'zone');
    new ContainerPatch(chart, 'Patch', { namespace: 'kong-mesh-system', sidecarPatch: sidecarMemory });
    new kplus.Namespace(chart, 'Other', { metadata: { name: 'other' } });
    expect(placed(synthValid(chart))).toEqual(['ContainerPatch kong-mesh-system/zone-patch-c8b635dc']);
  });
});
