import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  CrossZoneExternalName, KumaWarnings, Mesh, MeshAddress, MeshAddressKind, MeshMultiZoneService,
  MeshNamespace, MeshService, MeshServicesMode, ServiceUpstream,
} from '../src';
import { synthValid } from './support/validate';

/** Zone A runs web (Service port 8080) in shop; zone B runs the gateway in kong. */
function zones(mode: MeshServicesMode | null = MeshServicesMode.EVERYWHERE) {
  const app = Testing.app();
  const zoneA = new Chart(app, 'zone-a', { namespace: 'shop' });
  const web = new MeshService(zoneA, 'Web', { metadata: { name: 'web' }, ports: [{ port: 8080, name: 'http' }, { port: 9090, name: 'grpc' }] });
  const zoneB = new Chart(app, 'zone-b', { namespace: 'kong' });
  if (mode !== null) new Mesh(zoneB, 'Mesh', { metadata: { name: 'default' }, meshServicesMode: mode });
  return { app, zoneB, web };
}

const services = (chart: Chart) => synthValid(chart).filter((m) => m.kind === 'Service');

describe('CrossZoneExternalName', () => {
  test.each<[string, (w: MeshService) => MeshAddress, string, number, MeshAddressKind]>([
    ['kuma.io/service VIP', (w) => MeshAddress.kumaServiceVip(w, 8080), 'web.shop.svc.8080.mesh', 80, MeshAddressKind.KUMA_SERVICE_VIP],
    ['MeshService hostname', (w) => MeshAddress.meshService(w, 'zone-a', 9090), 'web.shop.svc.zone-a.mesh.local', 9090, MeshAddressKind.MESH_SERVICE],
  ])('%s: externalName, no ports, no selector, no annotations; route port', (_name, address, hostname, routePort, kind) => {
    const { zoneB, web } = zones();
    const name = new CrossZoneExternalName(zoneB, 'WebA', { metadata: { name: 'web-zone-a' }, target: address(web) });
    expect([name.hostname, name.routePort, name.addressKind]).toEqual([hostname, routePort, kind]);
    expect(services(zoneB)).toEqual([{
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web-zone-a', namespace: 'kong' },
      spec: { type: 'ExternalName', externalName: hostname },
    }]);
  });

  test('MeshMultiZoneService and MeshExternalService hostnames', () => {
    const { zoneB } = zones();
    const mzs = new MeshMultiZoneService(zoneB, 'Mzs', { metadata: { name: 'web' }, selector: { 'kuma.io/display-name': 'web' }, ports: [{ port: 8080 }] });
    const a = new CrossZoneExternalName(zoneB, 'A', { metadata: { name: 'web-all-zones' }, target: MeshAddress.meshMultiZoneService(mzs) });
    const b = new CrossZoneExternalName(zoneB, 'B', { metadata: { name: 'httpbin' }, target: MeshAddress.meshExternalService('httpbin', 443) });
    expect([a.hostname, a.routePort, a.targetServicePort]).toEqual(['web.mzsvc.mesh.local', 8080, 8080]);
    expect([b.hostname, b.routePort]).toEqual(['httpbin.extsvc.mesh.local', 443]);
    expect(services(zoneB).map((s) => s.spec.externalName)).toEqual(['web.mzsvc.mesh.local', 'httpbin.extsvc.mesh.local']);
  });

  test('a service named by name, namespace and port (another team\'s zone)', () => {
    const { zoneB } = zones();
    const echo = MeshService.fromServiceAttributes(zoneB, 'Echo', { name: 'echo', namespace: 'default', ports: [80] });
    const name = new CrossZoneExternalName(zoneB, 'Echo2', { metadata: { name: 'echo-multizone' }, target: MeshAddress.kumaServiceVip(echo) });
    // Kuma's own recipe (https://kuma.io/docs/2.5.x/explore/gateway/): externalName echo.default.svc.80.mesh, backend port 80.
    expect([name.hostname, name.routePort]).toEqual(['echo.default.svc.80.mesh', 80]);
  });

  test('route helpers give the port routes must use', () => {
    const { zoneB, web } = zones();
    const name = new CrossZoneExternalName(zoneB, 'WebA', { metadata: { name: 'web-zone-a' }, target: MeshAddress.kumaServiceVip(web, 8080) });
    expect(name.toIngressBackendJson()).toEqual({ service: { name: 'web-zone-a', port: { number: 80 } } });
    expect(name.toHttpRouteBackendRef()).toEqual({ group: '', kind: 'Service', name: 'web-zone-a', namespace: 'kong', port: 80 });
    const ingress = new kplus.Ingress(zoneB, 'Ingress', { metadata: { name: 'shop' }, className: 'kong' });
    ingress.addRule('/shop', name.toIngressBackend());
    const emitted = synthValid(zoneB).find((m) => m.kind === 'Ingress');
    expect(emitted.spec.rules[0].http.paths[0].backend).toEqual({ service: { name: 'web-zone-a', port: { number: 80 } } });
  });

  test('the namespace prop sets the Service namespace', () => {
    const { zoneB, web } = zones();
    const ns = new MeshNamespace(zoneB, 'Edge', { metadata: { name: 'edge' } });
    const name = new CrossZoneExternalName(zoneB, 'WebA', { namespace: ns, target: MeshAddress.kumaServiceVip(web, 8080) });
    expect(name.toHttpRouteBackendRef().namespace).toBe('edge');
  });

  describe('services mode of the mesh', () => {
    test('a VIP in Exclusive mode is refused at synth', () => {
      const { zoneB, web } = zones(MeshServicesMode.EXCLUSIVE);
      new CrossZoneExternalName(zoneB, 'WebA', { metadata: { name: 'web-zone-a' }, target: MeshAddress.kumaServiceVip(web, 8080) });
      expect(() => Testing.synth(zoneB)).toThrow(
        '[zone-b/WebA] target "web.shop.svc.8080.mesh" is not served by mesh "default": Kuma does not serve .mesh VIPs in meshServices.mode Exclusive (mesh_context_builder.go builds them only when the mode is not Exclusive). Use MeshAddress.meshService() or meshMultiZoneService() (real port), or another meshServices.mode.');
    });

    test('a MeshService hostname in Disabled mode is refused at synth', () => {
      const { zoneB, web } = zones(MeshServicesMode.DISABLED);
      new CrossZoneExternalName(zoneB, 'WebA', { metadata: { name: 'web-zone-a' }, target: MeshAddress.meshService(web, 'zone-a', 8080) });
      expect(() => Testing.synth(zoneB)).toThrow(
        '[zone-b/WebA] target "web.shop.svc.zone-a.mesh.local" is not served by mesh "default": Kuma generates no MeshServices, and so no .mesh.local hostnames, in meshServices.mode Disabled. Use MeshAddress.kumaServiceVip(), or enable MeshServices in the Mesh.');
    });

    test.each([
      [MeshServicesMode.DISABLED, 'vip'], [MeshServicesMode.EVERYWHERE, 'vip'], [MeshServicesMode.REACHABLE_BACKENDS, 'vip'],
      [MeshServicesMode.EVERYWHERE, 'hostname'], [MeshServicesMode.REACHABLE_BACKENDS, 'hostname'], [MeshServicesMode.EXCLUSIVE, 'hostname'],
    ])('%s serves a %s', (mode, which) => {
      const { zoneB, web } = zones(mode);
      const target = which === 'vip' ? MeshAddress.kumaServiceVip(web, 8080) : MeshAddress.meshService(web, 'zone-a', 8080);
      new CrossZoneExternalName(zoneB, 'WebA', { metadata: { name: 'web-zone-a' }, target });
      synthValid(zoneB);
    });

    test('an imported mesh with a known mode', () => {
      const { zoneB, web } = zones(null);
      const prod = Mesh.fromMeshAttributes(zoneB, 'Prod', { name: 'prod', meshServicesMode: MeshServicesMode.EXCLUSIVE });
      new CrossZoneExternalName(zoneB, 'WebA', { metadata: { name: 'web-zone-a' }, target: MeshAddress.kumaServiceVip(web, 8080), mesh: prod });
      expect(() => Testing.synth(zoneB)).toThrow('[zone-b/WebA] target "web.shop.svc.8080.mesh" is not served by mesh "prod"');
    });

    test('an unknown mode is a warning', () => {
      const { zoneB, web } = zones(null);
      new CrossZoneExternalName(zoneB, 'WebA', { metadata: { name: 'web-zone-a' }, target: MeshAddress.kumaServiceVip(web, 8080) });
      const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
      synthValid(zoneB);
      stderr.mockRestore();
      expect(KumaWarnings.of(zoneB)).toEqual([
        '[zone-b/WebA] the meshServices.mode of mesh "default" is not known, so it is not checked that it serves web.shop.svc.8080.mesh; declare the Mesh or pass Mesh.fromMeshAttributes() as mesh',
      ]);
    });
  });

  describe('bad input', () => {
    test('a route port other than 80 for a VIP', () => {
      const { zoneB, web } = zones();
      const name = new CrossZoneExternalName(zoneB, 'WebA', { metadata: { name: 'web-zone-a' }, target: MeshAddress.kumaServiceVip(web, 8080) });
      const message = 'zone-b/WebA: port 8080 is not the port routes to this ExternalName must use: .mesh VIPs listen on port 80 only, whatever the service port. Use port 80 (routePort).';
      expect(() => name.toIngressBackend(8080)).toThrow(message);
      expect(() => name.toIngressBackendJson(8080)).toThrow(message);
      expect(() => name.toHttpRouteBackendRef(8080)).toThrow(message);
      expect(name.toHttpRouteBackendRef(80).port).toBe(80);
    });

    test('a route port other than the real port for a hostname', () => {
      const { zoneB, web } = zones();
      const name = new CrossZoneExternalName(zoneB, 'WebA', { metadata: { name: 'web-zone-a' }, target: MeshAddress.meshService(web, 'zone-a', 8080) });
      expect(() => name.toHttpRouteBackendRef(80)).toThrow(
        'zone-b/WebA: port 80 is not the port routes to this ExternalName must use: web.shop.svc.zone-a.mesh.local is reached on the service\'s own port 8080. Use port 8080 (routePort).');
    });

    test('a port the target does not declare', () => {
      const { zoneB, web } = zones();
      expect(() => new CrossZoneExternalName(zoneB, 'WebA', { target: MeshAddress.kumaServiceVip(web, 80) })).toThrow(
        'zone-a/Web: port 80 is not a TCP port of the Service (its TCP ports: 8080, 9090), so Kuma has no service for it. Pass one of the Service ports (the port field, not targetPort).');
      expect(() => new CrossZoneExternalName(zoneB, 'WebB', { target: MeshAddress.meshService(web, 'zone-a') })).toThrow(
        'zone-a/Web: port is ambiguous: the Service has the TCP ports 8080, 9090. Pass the Service port to name.');
      const mzs = MeshMultiZoneService.fromMeshMultiZoneServiceAttributes(zoneB, 'Mzs', { name: 'web', ports: [8080] });
      expect(() => new CrossZoneExternalName(zoneB, 'WebC', { target: MeshAddress.meshMultiZoneService(mzs, 81) })).toThrow(
        'zone-b/Mzs: port 81 is not a port of the MeshMultiZoneService (its ports: 8080). Pass one of its ports.');
    });

    test('names over the DNS limits', () => {
      const { zoneB } = zones();
      const long = MeshService.fromServiceAttributes(zoneB, 'Long', { name: 'a'.repeat(61), namespace: 'n'.repeat(63), ports: [8080] });
      expect(new CrossZoneExternalName(zoneB, 'X', { target: MeshAddress.meshService(long, 'z'.repeat(63)) }).hostname).toHaveLength(204);
      // The longest names Kuma and Kubernetes accept: 63 per label, 206 in all, within DNS's 253.
      const longest = MeshService.fromServiceAttributes(zoneB, 'Longest', { name: 'a'.repeat(63), namespace: 'n'.repeat(63), ports: [8080] });
      expect(new CrossZoneExternalName(zoneB, 'Y', { target: MeshAddress.meshService(longest, 'z'.repeat(63)) }).hostname).toHaveLength(206);
      expect(() => MeshService.fromServiceAttributes(zoneB, 'TooLong', { name: 'a'.repeat(64), namespace: 'shop', ports: [8080] })).toThrow(
        `zone-b/TooLong: name "${'a'.repeat(64)}" is 64 characters long; Kubernetes Service names and the MeshService names Kuma derives from them allow at most 63. Choose a shorter name.`);
      expect(() => new CrossZoneExternalName(zoneB, 'V', { target: MeshAddress.meshService(longest, 'z'.repeat(64)) })).toThrow(
        `zone-b/V: zone "${'z'.repeat(64)}" is not a zone name that fits in a hostname (a lowercase RFC 1123 label, at most 63 characters).`);
      expect(() => new CrossZoneExternalName(zoneB, 'Z', { target: MeshAddress.meshService(longest, 'Zone_A') })).toThrow(
        'zone-b/Z: zone "Zone_A" is not a zone name that fits in a hostname (a lowercase RFC 1123 label, at most 63 characters). Pass the zone name exactly as the Kuma zone control plane is configured (KUMA_MULTIZONE_ZONE_NAME).');
      expect(() => new CrossZoneExternalName(zoneB, 'W', { target: MeshAddress.meshExternalService('Httpbin', 443) })).toThrow(
        /^zone-b\/W: name "Httpbin" is not a valid RFC 1035 label/);
    });

    test('the ExternalName carries no port and no service-upstream', () => {
      const { zoneB, web } = zones();
      const name = new CrossZoneExternalName(zoneB, 'WebA', { metadata: { name: 'web-zone-a' }, target: MeshAddress.kumaServiceVip(web, 8080) });
      expect(() => name.bind(8080)).toThrow(
        'zone-b/WebA: port 8080 cannot be bound to an ExternalName Service; routes reach web.shop.svc.8080.mesh on port 80. Use routePort, toIngressBackend() or toHttpRouteBackendRef().');
      ServiceUpstream.annotate(name);
      expect(() => Testing.synth(zoneB)).toThrow('[zone-b/WebA/Resource] spec.type "ExternalName" cannot take service-upstream');
    });

    test('a Service name that is not DNS-1035', () => {
      const { zoneB, web } = zones();
      expect(() => new CrossZoneExternalName(zoneB, 'WebA', { metadata: { name: 'Web.A' }, target: MeshAddress.kumaServiceVip(web, 8080) })).toThrow(
        /^zone-b\/WebA: metadata.name "Web.A" is not a valid RFC 1035 label/);
    });
  });
});

describe('Mesh', () => {
  test('emits the mode, cluster-scoped', () => {
    const chart = new Chart(Testing.app(), 'mesh', { namespace: 'apps' });
    new Mesh(chart, 'Default', { metadata: { name: 'default' }, meshServicesMode: MeshServicesMode.EXCLUSIVE });
    new Mesh(chart, 'Legacy', { metadata: { name: 'legacy' } });
    expect(synthValid(chart)).toEqual([
      { apiVersion: 'kuma.io/v1alpha1', kind: 'Mesh', metadata: { name: 'default' }, spec: { meshServices: { mode: 'Exclusive' } } },
      { apiVersion: 'kuma.io/v1alpha1', kind: 'Mesh', metadata: { name: 'legacy' } },
    ]);
  });

  test('importers and bad input', () => {
    const chart = new Chart(Testing.app(), 'mesh');
    expect(Mesh.fromMeshName(chart, 'A', 'prod').meshServicesMode).toBeUndefined();
    expect(new Mesh(chart, 'B', { metadata: { name: 'b' } }).meshServicesMode).toBe(MeshServicesMode.DISABLED);
    expect(() => new Mesh(chart, 'C', { metadata: { name: 'c', namespace: 'x' } })).toThrow('mesh/C: metadata.namespace "x" is set, but a Mesh is cluster-scoped. Remove metadata.namespace.');
    expect(() => new Mesh(chart, 'D', { metadata: { name: 'Prod' } })).toThrow(/^mesh\/D: metadata.name "Prod" is not a mesh name Kuma accepts/);
    expect(() => Mesh.fromMeshAttributes(chart, 'E', { name: 'e', meshServicesMode: 'Sometimes' as MeshServicesMode })).toThrow(
      'mesh/E: meshServicesMode "Sometimes" is not a MeshServices mode. Use one of Disabled, Everywhere, ReachableBackends, Exclusive.');
  });
});

describe('MeshMultiZoneService', () => {
  test('emits selector, ports and the mesh label in the global control plane namespace', () => {
    const chart = new Chart(Testing.app(), 'global', { namespace: 'apps' });
    new MeshMultiZoneService(chart, 'Web', {
      metadata: { name: 'web' },
      mesh: 'prod',
      selector: { 'kuma.io/display-name': 'web', 'k8s.kuma.io/namespace': 'shop' },
      ports: [{ port: 8080, name: 'http', appProtocol: undefined }, { port: 9090, name: 'grpc' }],
    });
    expect(synthValid(chart)).toEqual([{
      apiVersion: 'kuma.io/v1alpha1',
      kind: 'MeshMultiZoneService',
      metadata: { name: 'web', namespace: 'kuma-system', labels: { 'kuma.io/mesh': 'prod' } },
      spec: {
        selector: { meshService: { matchLabels: { 'kuma.io/display-name': 'web', 'k8s.kuma.io/namespace': 'shop' } } },
        ports: [{ port: 8080, name: 'http' }, { port: 9090, name: 'grpc' }],
      },
    }]);
  });

  test('bad input', () => {
    const make = (props: any) => () => new MeshMultiZoneService(new Chart(Testing.app(), 'g'), 'M', { selector: { app: 'web' }, ports: [{ port: 80 }], ...props });
    expect(make({ selector: {} })).toThrow('g/M: selector {} is empty and would group every MeshService of the mesh. Select by labels, for example { "kuma.io/display-name": "web" }.');
    expect(make({ ports: [] })).toThrow('g/M: ports [] is empty; the CRD requires at least one port. Declare the ports clients use.');
    expect(make({ ports: [{ port: 80 }, { port: 80 }] })).toThrow('g/M: ports[1].port 80 is declared twice. Declare each port once.');
    expect(make({ ports: [{ port: 0 }] })).toThrow('g/M: ports[0].port 0 is not a port number. Use an integer from 1 to 65535.');
    expect(make({ metadata: { name: 'm'.repeat(64) } })).toThrow(/^g\/M: metadata.name "m{64}" is 64 characters long/);
    expect(make({ selector: { app: 'a b' } })).toThrow('g/M: selector["app"] "a b" is not a valid label value.');
    expect(make({ mesh: 'prod', metadata: { labels: { 'kuma.io/mesh': 'dev' } } })).toThrow(
      'g/M: metadata.labels["kuma.io/mesh"] "dev" contradicts the mesh prop "prod". Remove the label from metadata.labels or make it equal to mesh.');
  });
});
