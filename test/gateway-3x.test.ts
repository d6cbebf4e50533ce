/**
 * The Kuma 3.x gateway (kumahq/kuma#18662, kumahq/kuma#18603; Kong's "Migrate gateways to Kong Mesh
 * 3.x"): no kuma.io/gateway; the pod keeps the ports it serves out of inbound redirection with
 * traffic.kuma.io/exclude-inbound-ports, and its own Services are kuma.io/ignore'd unless they
 * should be mesh destinations. Kuma 2.14 reads both keys, so 2.14 apps can opt in.
 */
import * as path from 'path';
import { ApiObject, Chart, Include, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  CrossZoneExternalName, DelegatedGateway, DelegatedGatewayDeployment, GatewayFlavour, GatewayMarking, GatewayPassthrough, KumaControlPlane,
  KumaProtocol, KumaVersion,
  MeshAddress, PassthroughMatchType, ReachableBackend,
  MeshNamespace, MeshService, MeshZoneAddress,
} from '../src';
import { synthValid } from './support/validate';

process.env.CDK8S_KUMA_QUIET = '1';

function chart(version: KumaVersion) {
  const app = Testing.app();
  KumaVersion.use(app, version);
  const c = new Chart(app, 'edge', { namespace: 'kong', disableResourceNameHashes: true });
  const ns = new MeshNamespace(c, 'KongNs', { metadata: { name: 'kong' } });
  return { c, ns };
}

const podAnnotations = (manifests: any[]) => manifests.find((m) => m.kind === 'Deployment').spec.template.metadata.annotations;

describe('Kuma 3.x gateway', () => {
  test('3.0: exclude-inbound-ports lists the container and flavour ports; no kuma.io/gateway; the proxy Service is ignored', () => {
    const { c, ns } = chart(KumaVersion.V3_0);
    const kong = new DelegatedGatewayDeployment(c, 'Kong', {
      metadata: { name: 'kong' },
      namespace: ns,
      flavour: GatewayFlavour.kong(),
      containers: [{ image: 'kong:3.9', ports: [{ number: 8000 }, { number: 8100 }] }],
    });
    expect(kong.gateway.marking).toBe(GatewayMarking.EXCLUDED_INBOUND_PORTS);
    kong.exposeViaProxyService({ metadata: { name: 'kong-proxy' }, ports: [{ port: 80, targetPort: 8000 }] });
    const manifests = synthValid(c);
    const annotations = podAnnotations(manifests);
    expect(annotations['traffic.kuma.io/exclude-inbound-ports']).toBe('8000,8100,8443');
    expect(annotations['kuma.io/gateway']).toBeUndefined();
    expect(manifests.find((m) => m.kind === 'Service').metadata.annotations).toEqual({ 'kuma.io/ignore': 'true' });
  });

  test('meshDestinationServices keep a Service a mesh destination; directPorts replace the container ports', () => {
    const { c, ns } = chart(KumaVersion.V3_0);
    const gw = new DelegatedGatewayDeployment(c, 'Gw', {
      metadata: { name: 'gw' },
      namespace: ns,
      directPorts: [8080],
      meshDestinationServices: ['gw-internal'],
      containers: [{ image: 'envoy', ports: [{ number: 8080 }, { number: 9000 }] }],
    });
    gw.exposeViaProxyService({ metadata: { name: 'gw-internal' }, ports: [{ port: 80, targetPort: 8080 }] });
    gw.gateway.addDirectPort(8443);
    const manifests = synthValid(c);
    expect(podAnnotations(manifests)['traffic.kuma.io/exclude-inbound-ports']).toBe('8080,8443');
    expect(manifests.find((m) => m.kind === 'Service').metadata.annotations).toBeUndefined();
  });

  test('2.14 opts in; the chart\'s exclude-inbound-ports are kept and merged', () => {
    const { c, ns } = chart(KumaVersion.V2_14);
    new DelegatedGatewayDeployment(c, 'Gw', {
      metadata: { name: 'gw' },
      namespace: ns,
      marking: GatewayMarking.EXCLUDED_INBOUND_PORTS,
      podMetadata: { annotations: { 'traffic.kuma.io/exclude-inbound-ports': '15020' } },
      containers: [{ image: 'nginx', portNumber: 80 }],
    });
    const annotations = podAnnotations(synthValid(c));
    expect(annotations['traffic.kuma.io/exclude-inbound-ports']).toBe('15020,80');
    expect(annotations['kuma.io/gateway']).toBeUndefined();
  });

  test('adopting Kong\'s chart for 3.0: the Services that select the gateway pods are ignored, the controller\'s are not', () => {
    const { c, ns } = chart(KumaVersion.V3_0);
    const kong = new Include(c, 'Kong', { url: path.join(__dirname, '..', 'examples', 'helm', 'kong-ingress.yaml') });
    const obj = (kind: string, name: string) => kong.apiObjects.find((o) => o.kind === kind && o.name === name)!;
    const deployment = obj('Deployment', 'kong-gateway');
    // The chart is written for Kuma 2.x: its kuma.io/gateway is refused, never dropped silently ...
    const other = chart(KumaVersion.V3_0);
    const asRendered = new Include(other.c, 'Kong', { url: path.join(__dirname, '..', 'examples', 'helm', 'kong-ingress.yaml') }).apiObjects
      .find((o) => o.kind === 'Deployment' && o.name === 'kong-gateway')!;
    expect(() => DelegatedGateway.adopt(asRendered, { namespace: other.ns })).toThrow(
      'edge/Kong/kong-gateway-deployment-kong: pod annotation "kuma.io/gateway" "enabled" is removed in Kuma 3.x (kumahq/kuma#18662): a gateway is an ordinary Dataplane that keeps its listener ports out of inbound redirection. Remove it; the gateway writes traffic.kuma.io/exclude-inbound-ports with its ports.');
    // ... so the user removes it (or sets the chart value that writes it).
    deployment.addJsonPatch(JsonPatch.remove('/spec/template/metadata/annotations/kuma.io~1gateway'));
    DelegatedGateway.adopt(deployment, { namespace: ns, flavour: GatewayFlavour.kong(), meshDestinationServices: ['kong-gateway-manager'] });
    const manifests = synthValid(c);
    const ignored = manifests.filter((m) => m.kind === 'Service' && m.metadata.annotations?.['kuma.io/ignore'] === 'true').map((m) => m.metadata.name);
    expect(ignored).toEqual(['kong-gateway-admin', 'kong-gateway-proxy']);
    const gateway = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === 'kong-gateway');
    expect(gateway.spec.template.metadata.annotations['traffic.kuma.io/exclude-inbound-ports']).toBe('8444,8000,8443,8100');
  });

  test('the ports the gateway\'s own (ignored) Services send to are kept out of inbound redirection too', () => {
    const { c, ns } = chart(KumaVersion.V3_0);
    const kong = new Include(c, 'Kong', { url: path.join(__dirname, '..', 'examples', 'helm', 'kong-ingress.yaml') });
    const deployment = kong.apiObjects.find((o) => o.kind === 'Deployment' && o.name === 'kong-gateway')!;
    deployment.addJsonPatch(JsonPatch.remove('/spec/template/metadata/annotations/kuma.io~1gateway'));
    DelegatedGateway.adopt(deployment, { namespace: ns, flavour: GatewayFlavour.kong() });
    const gateway = synthValid(c).find((m) => m.kind === 'Deployment' && m.metadata.name === 'kong-gateway');
    // kong-gateway-manager targets 8002, which the chart's container does not declare
    expect(gateway.spec.template.metadata.annotations['traffic.kuma.io/exclude-inbound-ports']).toBe('8444,8000,8443,8100,8002');
  });

  test('MeshZoneAddress: the zone\'s public ingress address for cross-zone MeshService traffic (3.x)', () => {
    const { c } = chart(KumaVersion.V3_0);
    new MeshZoneAddress(c, 'ZoneA', { metadata: { name: 'zone-a-ingress' }, address: 'zone-a.ingress.example.com', port: 10001 });
    expect(synthValid(c).find((m) => m.kind === 'MeshZoneAddress')).toEqual({
      apiVersion: 'kuma.io/v1alpha1',
      kind: 'MeshZoneAddress',
      metadata: { name: 'zone-a-ingress', namespace: 'kuma-system', labels: { 'kuma.io/mesh': 'default', 'kuma.io/origin': 'zone' } },
      spec: { address: 'zone-a.ingress.example.com', port: 10001 },
    });
  });

  test('allowToRouteBackends: 3.x denies by default, so the gateway is let into every backend of its route', () => {
    const { c, ns } = chart(KumaVersion.V3_0);
    const gw = new DelegatedGatewayDeployment(c, 'Gw', {
      metadata: { name: 'kong' }, namespace: ns, containers: [{ image: 'kong', portNumber: 8000 }],
    });
    const web = new MeshService(c, 'Web', { metadata: { name: 'web', namespace: 'shop' }, selectorLabels: { app: 'web' }, ports: [{ port: 80 }] });
    MeshService.fromServiceAttributes(c, 'Api', { name: 'api', namespace: 'shop', ports: [8080], selectorLabels: { app: 'api' } });
    new CrossZoneExternalName(c, 'Remote', { metadata: { name: 'remote', namespace: 'shop' }, target: MeshAddress.meshService(web, 'zone-b') });
    const backend = (name: string, port: number) => ({ path: `/${name}`, pathType: 'Prefix', backend: { service: { name, port: { number: port } } } });
    const ingress = new ApiObject(c, 'Ingress', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'shop', namespace: 'shop' },
      spec: { rules: [{ http: { paths: [backend('web', 80), backend('api', 8080), backend('remote', 80), backend('web', 80)] } }] },
    });
    const permissions = gw.gateway.allowToRouteBackends('AllowRoutes', ingress, { name: 'kong-to', zone: 'zone-a' });
    expect(permissions).toHaveLength(2);
    const mtps = synthValid(c).filter((m) => m.kind === 'MeshTrafficPermission');
    const shape = (m: any) => [m.metadata.name, m.metadata.namespace, m.spec.targetRef.labels, m.spec.rules[0].default.allow[0].spiffeID.value];
    expect(mtps.map(shape)).toEqual([
      ['kong-to-web', 'shop', { app: 'web' }, 'spiffe://default.zone-a.mesh.local/ns/kong/sa/kong'],
      ['kong-to-api', 'shop', { app: 'api' }, 'spiffe://default.zone-a.mesh.local/ns/kong/sa/kong'],
    ]);
    const other = new ApiObject(c, 'Other', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'other', namespace: 'shop' },
      spec: { rules: [{ http: { paths: [backend('unknown', 80)] } }] },
    });
    expect(() => gw.gateway.allowToRouteBackends('AllowOther', other, { zone: 'zone-a' })).toThrow(
      'edge/Gw/DelegatedGateway: route backend "shop/unknown" of edge/Other is not a MeshService of this app, so its workload (which the permission selects) is not known. Declare it as a MeshService, import it with MeshService.fromServiceAttributes({ selectorLabels }), or allow it with allowTo().');
  });

  describe('bad input', () => {
    test('3.x names: a zone in a MeshService hostname must be an RFC 1035 label', () => {
      const { c } = chart(KumaVersion.V3_0);
      const web = MeshService.fromServiceAttributes(c, 'Web', { name: 'web', namespace: 'shop', ports: [80] });
      expect(() => new CrossZoneExternalName(c, 'A', { metadata: { name: 'a' }, target: MeshAddress.meshService(web, '1zone') })).toThrow(
        'edge/A: zone "1zone" is not an RFC 1035 label, which Kuma 3.0 requires of Zone names (they become DNS labels).');
    });

    test('MeshZoneAddress before 3.0, and an address that is no address', () => {
      expect(() => new MeshZoneAddress(chart(KumaVersion.V2_14).c, 'Z', { address: '10.0.0.1', port: 10001 })).toThrow(
        'edge/Z: KumaVersion "2.14" has no MeshZoneAddress: before Kuma 3.0 a zone\'s public address comes from its ZoneIngress ("MeshZoneAddress does not exist before 3.0.0"). Target Kuma 3.0 (KumaVersion.use()), or publish the zone ingress address on the ZoneIngress for 2.x.');
      expect(() => new MeshZoneAddress(chart(KumaVersion.V3_0).c, 'Z', { address: 'https://zone-a:10001', port: 10001 })).toThrow(
        'edge/Z: address "https://zone-a:10001" is neither an IP address nor a DNS name. Use the public IP or DNS name of the zone\'s ingress listener, without a scheme or port.');
    });

    test('a .mesh VIP address for 3.0 (removed)', () => {
      const { c } = chart(KumaVersion.V3_0);
      const web = MeshService.fromServiceAttributes(c, 'Web', { name: 'web', namespace: 'shop', ports: [80] });
      new CrossZoneExternalName(c, 'Vip', { metadata: { name: 'web-vip' }, target: MeshAddress.kumaServiceVip(web) });
      expect(() => Testing.synth(c)).toThrow(
        '[edge/Vip] target "web.shop.svc.80.mesh" is not served by Kuma 3.0: Kuma 3.0 removed .mesh VIPs (Kuma\'s UPGRADE.md for 3.0). Use MeshAddress.meshService() or meshMultiZoneService() (the service\'s real port).');
    });

    test('the 3.x marking before 2.14', () => {
      const { c, ns } = chart(KumaVersion.V2_13);
      expect(() => new DelegatedGatewayDeployment(c, 'Gw', { namespace: ns, marking: GatewayMarking.EXCLUDED_INBOUND_PORTS, containers: [{ image: 'x', portNumber: 80 }] }))
        .toThrow('edge/Gw/DelegatedGateway: marking "traffic.kuma.io/exclude-inbound-ports" is not how Kuma 2.13 marks a delegated gateway (it reads kuma.io/gateway). Leave marking unset for this version; the 3.x style can be written from Kuma 2.14.');
    });

    test('the 2.x marking for 3.0', () => {
      const { c, ns } = chart(KumaVersion.V3_0);
      expect(() => new DelegatedGatewayDeployment(c, 'Gw', { namespace: ns, marking: GatewayMarking.GATEWAY_ANNOTATION, containers: [{ image: 'x', portNumber: 80 }] }))
        .toThrow('edge/Gw/DelegatedGateway: marking "kuma.io/gateway" is not how Kuma 3.0 marks a delegated gateway (it reads traffic.kuma.io/exclude-inbound-ports). Leave marking unset: Kuma 3.x gateways keep their ports out of inbound redirection.');
    });

    test('directPorts with the 2.x marking', () => {
      const { c, ns } = chart(KumaVersion.V2_14);
      expect(() => new DelegatedGatewayDeployment(c, 'Gw', { namespace: ns, directPorts: [80], containers: [{ image: 'x', portNumber: 80 }] }))
        .toThrow('edge/Gw/DelegatedGateway: directPorts [80] only applies to a gateway marked GatewayMarking.EXCLUDED_INBOUND_PORTS: with kuma.io/gateway Kuma redirects no inbound traffic and makes no inbound of the gateway\'s Services. Remove it, or set marking: GatewayMarking.EXCLUDED_INBOUND_PORTS (Kuma 2.14 and 3.x).');
    });

    test('a container port added after the gateway is not left to the sidecar', () => {
      const { c, ns } = chart(KumaVersion.V3_0);
      const gw = new DelegatedGatewayDeployment(c, 'Gw', { namespace: ns, containers: [{ image: 'x', portNumber: 80 }] });
      gw.addContainer({ name: 'metrics', image: 'exporter', portNumber: 9100, securityContext: { ensureNonRoot: false } as kplus.ContainerSecurityContextProps });
      expect(() => Testing.synth(c)).toThrow(
        '[edge/Gw/DelegatedGateway] container port 9100 is not in traffic.kuma.io/exclude-inbound-ports, so the sidecar would take the gateway\'s inbound traffic on it (it was added after the gateway was created). Call gateway.addDirectPort() with it, or pass directPorts.');
    });
  });
});

describe('Kuma 3.x: every Service of the app that selects the gateway is kuma.io/ignore\'d', () => {
  test('a plain cdk8s-plus Service in another chart, created after the gateway; not one named a mesh destination', () => {
    const { c, ns } = chart(KumaVersion.V3_0);
    const gw = new DelegatedGatewayDeployment(c, 'Gw', {
      metadata: { name: 'gw' },
      namespace: ns,
      meshDestinationServices: ['gw-internal'],
      podMetadata: { labels: { app: 'gw' } },
      containers: [{ image: 'envoy', portNumber: 8080 }],
    });
    const other = new Chart(c.node.scope as any, 'other', { namespace: 'kong', disableResourceNameHashes: true });
    new kplus.Service(other, 'Metrics', { metadata: { name: 'gw-metrics' }, selector: kplus.Pods.select(other, 'Sel', { labels: { app: 'gw' } }), ports: [{ port: 9000 }] });
    new kplus.Service(other, 'Internal', { metadata: { name: 'gw-internal' }, selector: kplus.Pods.select(other, 'Sel2', { labels: { app: 'gw' } }), ports: [{ port: 8080 }] });
    new kplus.Service(other, 'Unrelated', { metadata: { name: 'web' }, selector: kplus.Pods.select(other, 'Sel3', { labels: { app: 'web' } }), ports: [{ port: 80 }] });
    expect(gw.gateway.marking).toBe(GatewayMarking.EXCLUDED_INBOUND_PORTS);
    const services = synthValid(c.node.scope as any).filter((m) => m.kind === 'Service').map((m) => [m.metadata.name, m.metadata.annotations?.['kuma.io/ignore']]);
    expect(services).toEqual([['gw-metrics', 'true'], ['gw-internal', undefined], ['web', undefined]]);
  });

  test('a Service that keeps kuma.io/ignore: "false" is named at synth', () => {
    const { c, ns } = chart(KumaVersion.V3_0);
    new DelegatedGatewayDeployment(c, 'Gw', { metadata: { name: 'gw' }, namespace: ns, podMetadata: { labels: { app: 'gw' } }, containers: [{ image: 'envoy', portNumber: 8080 }] });
    new kplus.Service(c, 'Metrics', {
      metadata: { name: 'gw-metrics', annotations: { 'kuma.io/ignore': 'false' } },
      selector: kplus.Pods.select(c, 'Sel', { labels: { app: 'gw' } }),
      ports: [{ port: 9000 }],
    });
    expect(() => Testing.synth(c)).toThrow('[edge/Gw/DelegatedGateway] edge/Metrics/Resource: metadata.annotations["kuma.io/ignore"] "false" is already set and differs from "true"; it selects the gateway\'s pods, which Kuma would make endpoints of a MeshService of it, a mesh destination with inbounds on the gateway. Remove the annotation or set it to "true", or name the Service in meshDestinationServices to keep it a mesh destination.');
  });
});

describe('the control plane\'s own port exclusions, which a pod annotation replaces', () => {
  test('are repeated in the gateway\'s exclude-inbound-ports and exclude-outbound-ports', () => {
    const app = Testing.app();
    KumaVersion.use(app, KumaVersion.V3_0);
    KumaControlPlane.use(app, { excludedInboundPorts: [22], excludedOutboundPorts: [25, 8444] });
    const c = new Chart(app, 'edge', { namespace: 'kong', disableResourceNameHashes: true });
    const ns = new MeshNamespace(c, 'KongNs', { metadata: { name: 'kong' } });
    new DelegatedGatewayDeployment(c, 'Kic', {
      metadata: { name: 'kic' },
      namespace: ns,
      flavour: GatewayFlavour.kongController(),
      containers: [{ image: 'kong/kubernetes-ingress-controller:3.4', portNumber: 10254 }],
    });
    const annotations = podAnnotations(synthValid(c));
    expect(annotations['traffic.kuma.io/exclude-inbound-ports']).toBe('10254,22');
    expect(annotations['traffic.kuma.io/exclude-outbound-ports']).toBe('25,8444');
  });
});

describe('Kuma 3.0: traffic that leaves the mesh (passthrough off by default, reported)', () => {
  const build = (version: KumaVersion, flavour: GatewayFlavour, props: any = {}) => {
    const app = Testing.app();
    KumaVersion.use(app, version);
    const c = new Chart(app, 'edge', { namespace: 'ingress-nginx', disableResourceNameHashes: true });
    const ns = new MeshNamespace(c, 'Ns', { metadata: { name: 'ingress-nginx' } });
    new DelegatedGatewayDeployment(c, 'Gw', {
      metadata: { name: 'controller' },
      namespace: ns,
      flavour,
      podMetadata: { labels: { app: 'nginx' } },
      containers: [{ image: 'registry.k8s.io/ingress-nginx/controller:v1.12.0', portNumber: 80 }],
      ...props,
    });
    return synthValid(c).filter((m) => m.kind === 'MeshPassthrough');
  };

  test('a flavour whose pods call the Kubernetes API gets a MeshPassthrough for itself alone', () => {
    expect(build(KumaVersion.V3_0, GatewayFlavour.ingressNginx())).toEqual([{
      apiVersion: 'kuma.io/v1alpha1',
      kind: 'MeshPassthrough',
      metadata: { name: 'controller-passthrough', namespace: 'ingress-nginx', labels: { 'kuma.io/mesh': 'default' } },
      spec: { targetRef: { kind: 'Dataplane', labels: { app: 'nginx' } }, default: { passthroughMode: 'All' } },
    }]);
    // 2.x passes through by default; Kong's proxy calls no API; none() opts out
    expect(build(KumaVersion.V2_14, GatewayFlavour.ingressNginx())).toEqual([]);
    expect(build(KumaVersion.V3_0, GatewayFlavour.kong())).toEqual([]);
    expect(build(KumaVersion.V3_0, GatewayFlavour.ingressNginx(), { passthrough: GatewayPassthrough.none() })).toEqual([]);
  });

  test('matched destinations, validated', () => {
    const [mp] = build(KumaVersion.V3_0, GatewayFlavour.kong(), {
      passthrough: GatewayPassthrough.matched([
        { type: PassthroughMatchType.IP, value: '10.96.0.1', port: 443, protocol: KumaProtocol.TCP },
        { type: PassthroughMatchType.DOMAIN, value: 'api.example.com', port: 443, protocol: KumaProtocol.TLS },
      ]),
    });
    expect(mp.spec.default).toEqual({
      passthroughMode: 'Matched',
      appendMatch: [{ type: 'IP', value: '10.96.0.1', port: 443, protocol: 'tcp' }, { type: 'Domain', value: 'api.example.com', port: 443, protocol: 'tls' }],
    });
    expect(() => build(KumaVersion.V3_0, GatewayFlavour.kong(), { passthrough: GatewayPassthrough.matched([{ type: PassthroughMatchType.IP, value: '10.0.0.1', protocol: KumaProtocol.KAFKA }]) }))
      .toThrow('edge/Gw/DelegatedGateway/Passthrough: passthrough matches[0].protocol "kafka" is not a protocol MeshPassthrough matches. Use one of tcp, tls, grpc, http, http2, mysql.');
  });
});

describe('review fixes', () => {
  test('passthrough: a domain needs a protocol that carries the name; an IP must be one; mysql needs a port', () => {
    const app = Testing.app();
    KumaVersion.use(app, KumaVersion.V3_0);
    const c = new Chart(app, 'edge', { namespace: 'kong', disableResourceNameHashes: true });
    const ns = new MeshNamespace(c, 'KongNs', { metadata: { name: 'kong' } });
    const gw = (id: string, matches: any[]) => new DelegatedGatewayDeployment(c, id, {
      metadata: { name: id.toLowerCase() },
      namespace: ns,
      podMetadata: { labels: { app: id.toLowerCase() } },
      passthrough: GatewayPassthrough.matched(matches),
      containers: [{ image: 'kong:3.9', portNumber: 8000 }],
    });
    expect(() => gw('A', [{ type: PassthroughMatchType.DOMAIN, value: 'api.example.com' }])).toThrow(
      'edge/A/DelegatedGateway/Passthrough: passthrough matches[0].protocol "tcp (the default)" cannot match a domain: Kuma matches a domain by the TLS SNI or the HTTP Host, and refuses a domain match over tcp or mysql. Set protocol to one of tls, http, http2, grpc, or match the destination by IP or CIDR.');
    expect(() => gw('B', [{ type: PassthroughMatchType.IP, value: 'not-an-ip' }])).toThrow('passthrough matches[0].value "not-an-ip" is not an IP address');
    expect(() => gw('C', [{ type: PassthroughMatchType.CIDR, value: '10.0.0.0/33' }])).toThrow('passthrough matches[0].value "10.0.0.0/33" is not a CIDR');
    expect(() => gw('D', [{ type: PassthroughMatchType.IP, value: '10.0.0.5', protocol: KumaProtocol.MYSQL }])).toThrow('passthrough matches[0].port is required for a mysql match');
  });

  test('3.0: refs by name an adopted pod carries are written by labels; MeshMultiZoneService and MeshExternalService refs without a namespace label', () => {
    const { c, ns } = chart(KumaVersion.V3_0);
    const pods = new kplus.Deployment(c, 'Kong', {
      metadata: { name: 'kong', namespace: 'kong' },
      automountServiceAccountToken: true,
      securityContext: { ensureNonRoot: false },
      serviceAccount: kplus.ServiceAccount.fromServiceAccountName(c, 'Sa', 'kong'),
      podMetadata: { labels: { app: 'kong' }, annotations: { 'kuma.io/reachable-backends': 'refs:\n- kind: MeshService\n  name: web\n  namespace: shop\n' } },
      containers: [{ image: 'kong:3.9', portNumber: 8000 }],
    });
    DelegatedGateway.adopt(pods, {
      namespace: ns,
      flavour: GatewayFlavour.kong(),
      reachableBackends: [ReachableBackend.meshMultiZoneService('search'), ReachableBackend.meshExternalService('payments-api')],
    });
    const refs = Testing.synth(c).find((m) => m.kind === 'Deployment').spec.template.metadata.annotations['kuma.io/reachable-backends'];
    expect(refs).toBe([
      'refs:',
      '- kind: MeshExternalService', '  labels:', '    "kuma.io/display-name": "payments-api"',
      '- kind: MeshMultiZoneService', '  labels:', '    "kuma.io/display-name": "search"',
      '- kind: MeshService', '  labels:', '    "kuma.io/display-name": "web"', '    "k8s.kuma.io/namespace": "shop"',
      '',
    ].join('\n'));
  });
});

test('3.0: a Kong pod that runs the ingress controller beside the proxy gets the passthrough too', () => {
  const { c, ns } = chart(KumaVersion.V3_0);
  new DelegatedGatewayDeployment(c, 'Kong', {
    metadata: { name: 'kong' },
    namespace: ns,
    flavour: GatewayFlavour.kong(),
    podMetadata: { labels: { app: 'kong' } },
    containers: [{ image: 'kong:3.9', portNumber: 8000 }, { name: 'ingress-controller', image: 'kong/kubernetes-ingress-controller:3.4', portNumber: 10254 }],
  });
  expect(synthValid(c).filter((m) => m.kind === 'MeshPassthrough').map((m) => m.spec.default)).toEqual([{ passthroughMode: 'All' }]);
});
