import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Node } from 'constructs';
import { KumaProtocol, MeshNamespace, MeshService, ServiceUpstream } from '../src';
import { synthValid } from './support/validate';

const UPSTREAM = {
  'ingress.kubernetes.io/service-upstream': 'true',
  'nginx.ingress.kubernetes.io/service-upstream': 'true',
};

function shopChart(): Chart {
  return new Chart(Testing.app(), 'shop', { namespace: 'shop' });
}

describe('MeshService', () => {
  test('emits both service-upstream annotations and appProtocol per port', () => {
    const chart = shopChart();
    new MeshService(chart, 'Web', {
      metadata: { name: 'web' },
      selectorLabels: { app: 'web' },
      ports: [
        { port: 80, targetPort: 8080, name: 'http', appProtocol: KumaProtocol.HTTP },
        { port: 9000, name: 'admin' },
      ],
    });
    const [svc] = synthValid(chart);
    expect(svc).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'shop', annotations: UPSTREAM },
      spec: {
        externalIPs: [],
        type: 'ClusterIP',
        selector: { app: 'web' },
        ports: [
          { name: 'http', port: 80, targetPort: 8080, appProtocol: 'http' },
          { name: 'admin', port: 9000 },
        ],
      },
    });
  });

  test.each(Object.values(KumaProtocol))('appProtocol %s is written as is', (protocol) => {
    const chart = shopChart();
    new MeshService(chart, 'Svc', { ports: [{ port: 80, appProtocol: protocol }] });
    expect(synthValid(chart)[0].spec.ports[0].appProtocol).toBe(protocol);
  });

  test('selects the pods of a cdk8s-plus workload', () => {
    const chart = shopChart();
    const web = new kplus.Deployment(chart, 'Web', { containers: [{ image: 'web', portNumber: 8080 }] });
    new MeshService(chart, 'WebService', { selector: web, ports: [{ port: 80, targetPort: 8080 }] });
    const manifests = synthValid(chart);
    const deployment = manifests.find((m) => m.kind === 'Deployment');
    const svc = manifests.find((m) => m.kind === 'Service');
    expect(svc.spec.selector).toEqual(deployment.spec.template.metadata.labels);
    expect(Object.keys(svc.spec.selector)).toEqual(['cdk8s.io/metadata.addr']);
  });

  test('ports added later and cdk8s-plus bind() are emitted', () => {
    const chart = shopChart();
    const svc = new MeshService(chart, 'Svc');
    svc.addPort({ port: 5432, name: 'pg', appProtocol: KumaProtocol.TCP });
    svc.bind(8080, { name: 'http' });
    svc.select(kplus.Pods.select(chart, 'Pods', { labels: { app: 'db' } }));
    const spec = synthValid(chart)[0].spec;
    expect(spec.ports).toEqual([{ name: 'pg', port: 5432, appProtocol: 'tcp' }, { name: 'http', port: 8080 }]);
    expect(spec.selector).toEqual({ app: 'db' });
  });

  test('headless, NodePort and LoadBalancer Services keep their fields', () => {
    const chart = shopChart();
    new MeshService(chart, 'Headless', { clusterIP: 'None', ports: [{ port: 5432 }] });
    new MeshService(chart, 'Public', {
      type: kplus.ServiceType.LOAD_BALANCER,
      loadBalancerSourceRanges: ['10.0.0.0/8'],
      publishNotReadyAddresses: true,
      externalIPs: ['192.0.2.10'],
      ports: [{ port: 443, nodePort: 30443, appProtocol: KumaProtocol.TLS }],
    });
    const [headless, lb] = synthValid(chart);
    expect(headless.spec.clusterIP).toBe('None');
    expect(lb.spec).toMatchObject({
      type: 'LoadBalancer',
      loadBalancerSourceRanges: ['10.0.0.0/8'],
      publishNotReadyAddresses: true,
      externalIPs: ['192.0.2.10'],
      ports: [{ port: 443, nodePort: 30443, appProtocol: 'tls' }],
    });
    expect(lb.metadata.annotations).toEqual(UPSTREAM);
  });

  test('namespace prop: sets metadata.namespace and puts the Namespace first', () => {
    const chart = new Chart(Testing.app(), 'c');
    const svc = new MeshService(chart, 'Svc', { metadata: { name: 'web' }, ports: [{ port: 80 }] });
    const ns = new MeshNamespace(chart, 'Shop', { metadata: { name: 'shop' } });
    const svc2 = new MeshService(chart, 'Svc2', { metadata: { name: 'api' }, namespace: ns, ports: [{ port: 80 }] });
    expect(svc.namespace).toBeUndefined();
    expect(svc2.namespace).toBe('shop');
    expect(svc2.kumaService()).toBe('api_shop_svc_80');
    expect(synthValid(chart).map((m) => `${m.kind}/${m.metadata.namespace ?? ''}/${m.metadata.name}`))
      .toEqual(['Service//web', 'Namespace//shop', 'Service/shop/api']);
    const imported = MeshNamespace.fromNamespaceName(chart, 'Kong', 'kong');
    expect(new MeshService(chart, 'Svc3', { namespace: imported, metadata: { namespace: 'kong' }, ports: [{ port: 80 }] }).namespace).toBe('kong');
  });

  test('mesh becomes the Service label kuma.io/mesh', () => {
    const chart = shopChart();
    const svc = new MeshService(chart, 'Svc', { mesh: 'prod', ports: [{ port: 80 }] });
    expect(svc.mesh).toBe('prod');
    expect(synthValid(chart)[0].metadata.labels).toEqual({ 'kuma.io/mesh': 'prod' });
  });

  test('no mesh label unless asked for', () => {
    const chart = shopChart();
    const svc = new MeshService(chart, 'Svc', { ports: [{ port: 80 }] });
    expect(svc.mesh).toBeUndefined();
    expect(synthValid(chart)[0].metadata.labels).toBeUndefined();
  });

  test('keeps user metadata and accepts annotations already "true"', () => {
    const chart = shopChart();
    new MeshService(chart, 'Svc', {
      metadata: { labels: { 'team': 'a', 'kuma.io/mesh': 'prod' }, annotations: { 'ingress.kubernetes.io/service-upstream': 'true', 'owner': 'team-a' } },
      mesh: 'prod',
      ports: [{ port: 80 }],
    });
    const meta = synthValid(chart)[0].metadata;
    expect(meta.labels).toEqual({ 'team': 'a', 'kuma.io/mesh': 'prod' });
    expect(meta.annotations).toEqual({ ...UPSTREAM, owner: 'team-a' });
  });

  test('is a cdk8s-plus Service: default child, ingress backend', () => {
    const chart = shopChart();
    const svc = new MeshService(chart, 'Svc', { metadata: { name: 'web' }, ports: [{ port: 80 }] });
    expect(svc).toBeInstanceOf(kplus.Service);
    expect((Node.of(svc).defaultChild as ApiObject).kind).toBe('Service');
    expect(ServiceUpstream.isAnnotated(svc)).toBe(true);
    svc.exposeViaIngress('/web');
    const ingress = synthValid(chart).find((m) => m.kind === 'Ingress');
    expect(ingress.spec.rules[0].http.paths[0].backend).toEqual({ service: { name: 'web', port: { number: 80 } } });
  });

  describe('addresses', () => {
    test('kuma.io/service, .mesh and .mesh.local names (Kuma util.go ServiceTag, dns.go VIPOutbounds, hostname_generator.go)', () => {
      const svc = new MeshService(shopChart(), 'Svc', { metadata: { name: 'web' }, ports: [{ port: 80, name: 'http' }, { port: 8443, name: 'https' }] });
      expect(svc.namespace).toBe('shop');
      expect(svc.kumaService(80)).toBe('web_shop_svc_80');
      expect(svc.meshAddress(8443)).toBe('web.shop.svc.8443.mesh');
      expect(svc.meshLocalHostname('eu-west')).toBe('web.shop.svc.eu-west.mesh.local');
    });

    test('the only TCP port is the default; UDP ports have no Kuma names', () => {
      const svc = new MeshService(shopChart(), 'Svc', {
        metadata: { name: 'dns', namespace: 'infra' },
        ports: [{ port: 53, name: 'udp', protocol: kplus.Protocol.UDP }, { port: 5353, name: 'tcp' }],
      });
      expect(svc.kumaService()).toBe('dns_infra_svc_5353');
      expect(svc.meshAddress()).toBe('dns.infra.svc.5353.mesh');
      expect(() => svc.kumaService(53)).toThrow(
        'shop/Svc: port 53 is not a TCP port of the Service (its TCP ports: 5353), so Kuma has no service for it. Pass one of the Service ports (the port field, not targetPort).');
    });

    test('bad input', () => {
      const noNamespace = new MeshService(Testing.chart(), 'Svc', { metadata: { name: 'web' }, ports: [{ port: 80 }] });
      expect(() => noNamespace.meshAddress()).toThrow(
        'test/Svc: metadata.namespace is not set, and Kuma\'s names for a Service contain its namespace. Set metadata.namespace on the Service or a namespace on its Chart.');
      const two = new MeshService(shopChart(), 'Svc', { ports: [{ port: 80, name: 'a' }, { port: 81, name: 'b' }] });
      expect(() => two.kumaService()).toThrow(
        'shop/Svc: port is ambiguous: the Service has the TCP ports 80, 81. Pass the Service port to name.');
      expect(() => two.kumaService(8080)).toThrow(
        'shop/Svc: port 8080 is not a TCP port of the Service (its TCP ports: 80, 81), so Kuma has no service for it. Pass one of the Service ports (the port field, not targetPort).');
      const none = new MeshService(shopChart(), 'Svc');
      expect(() => none.meshAddress()).toThrow('shop/Svc: port cannot be chosen: the Service has no TCP port yet. Pass the Service port to name.');
      expect(() => two.meshLocalHostname('EU_West')).toThrow(
        'shop/Svc: zone "EU_West" is not a zone name that fits in a hostname (a lowercase RFC 1123 label, at most 63 characters). Pass the zone name exactly as the Kuma zone control plane is configured (KUMA_MULTIZONE_ZONE_NAME).');
    });
  });

  describe('bad input', () => {
    const make = (props: any, id = 'Svc') => () => new MeshService(shopChart(), id, props);

    test('a name that is not a DNS-1035 label', () => {
      expect(make({ metadata: { name: 'Web_Front' } })).toThrow(
        'shop/Svc: metadata.name "Web_Front" is not a valid RFC 1035 label (lowercase letters, digits and \'-\', starting with a letter and ending with a letter or digit). Use a name such as "web-front".');
      expect(make({ metadata: { name: '9web' } })).toThrow(/^shop\/Svc: metadata.name "9web" is not a valid RFC 1035 label .*Use a name such as "web"\.$/);
    });

    test('a name over 63 characters (the MeshService limit)', () => {
      expect(make({ metadata: { name: 'a'.repeat(64) } })).toThrow(
        `shop/Svc: metadata.name "${'a'.repeat(64)}" is 64 characters long; Kubernetes Service names and the MeshService names Kuma derives from them allow at most 63. Choose a shorter name.`);
    });

    test('a namespace that is not DNS-1123', () => {
      expect(make({ metadata: { name: 'web', namespace: 'Shop' } })).toThrow(/^shop\/Svc: metadata.namespace "Shop" is not a valid RFC 1123 label/);
    });

    test('ports outside 1..65535', () => {
      expect(make({ ports: [{ port: 0 }] })).toThrow('shop/Svc: ports[0].port 0 is not a port number. Use an integer from 1 to 65535.');
      expect(make({ ports: [{ port: 80, name: 'a' }, { port: 65536, name: 'b' }] })).toThrow('shop/Svc: ports[1].port 65536 is not a port number. Use an integer from 1 to 65535.');
      expect(make({ ports: [{ port: 80, targetPort: 70000 }] })).toThrow('shop/Svc: ports[0].targetPort 70000 is not a port number. Use an integer from 1 to 65535.');
      expect(make({ ports: [{ port: 80, nodePort: -1 }] })).toThrow('shop/Svc: ports[0].nodePort -1 is not a port number. Use an integer from 1 to 65535.');
      expect(make({ ports: [{ port: 80.5 }] })).toThrow('shop/Svc: ports[0].port 80.5 is not a port number. Use an integer from 1 to 65535.');
    });

    test('an unknown protocol', () => {
      expect(make({ ports: [{ port: 80, appProtocol: 'websocket' }] })).toThrow(
        'shop/Svc: ports[0].appProtocol "websocket" is not a protocol Kuma parses (http, http2, grpc, tcp, tls, kafka, mysql); Kuma would ignore it and treat the port as tcp. Use a KumaProtocol value.');
    });

    test('an appProtocol on a UDP port', () => {
      expect(make({ ports: [{ port: 53, protocol: kplus.Protocol.UDP, appProtocol: KumaProtocol.TCP }] })).toThrow(
        'shop/Svc: ports[0].protocol "UDP" cannot carry an appProtocol: Kuma only meshes TCP Service ports. Remove appProtocol or use Protocol.TCP.');
    });

    test('a bad or duplicate port name, a duplicate port', () => {
      expect(make({ ports: [{ port: 80, name: 'HTTP' }] })).toThrow(/^shop\/Svc: ports\[0\].name "HTTP" is not a valid RFC 1123 label/);
      expect(make({ ports: [{ port: 80, name: 'http' }, { port: 81, name: 'http' }] })).toThrow(
        'shop/Svc: ports[1].name "http" is already the name of another port of this Service. Give each port its own name.');
      expect(make({ ports: [{ port: 80, name: 'a' }, { port: 80, name: 'b' }] })).toThrow(
        'shop/Svc: ports[1].port 80 is already a TCP port of this Service. Use each port number once per protocol.');
    });

    test('an ExternalName type', () => {
      expect(make({ type: kplus.ServiceType.EXTERNAL_NAME })).toThrow(
        'shop/Svc: type "ExternalName" is not a meshed Service: Kuma builds no inbounds for ExternalName Services and never annotates them. Use CLUSTER_IP, NODE_PORT or LOAD_BALANCER; for a name in another zone use the .mesh address.');
    });

    test('a metadata.namespace that contradicts the namespace prop', () => {
      const chart = shopChart();
      const ns = MeshNamespace.fromNamespaceName(chart, 'Kong', 'kong');
      expect(() => new MeshService(chart, 'Svc', { namespace: ns, metadata: { namespace: 'shop' } })).toThrow(
        'shop/Svc: metadata.namespace "shop" contradicts the namespace prop ("kong"). Remove metadata.namespace or make it equal to the namespace\'s name.');
    });

    test('a mesh Kuma rejects, or one that contradicts the label', () => {
      expect(make({ mesh: 'Prod' })).toThrow(/^shop\/Svc: mesh "Prod" is not a mesh name Kuma accepts/);
      expect(make({ mesh: 'prod', metadata: { labels: { 'kuma.io/mesh': 'dev' } } })).toThrow(
        'shop/Svc: metadata.labels["kuma.io/mesh"] "dev" contradicts the mesh prop "prod". Remove the label from metadata.labels or make it equal to mesh.');
    });

    test('a service-upstream annotation set to something else', () => {
      expect(make({ metadata: { annotations: { 'nginx.ingress.kubernetes.io/service-upstream': 'false' } } })).toThrow(
        'shop/Svc: metadata.annotations["nginx.ingress.kubernetes.io/service-upstream"] "false" is already set and differs from "true"; with it the gateway would send to pod IPs and bypass the mesh. Remove the annotation or set it to "true".');
    });

    test('no port at synth', () => {
      const chart = shopChart();
      new MeshService(chart, 'Svc');
      expect(() => Testing.synth(chart)).toThrow(
        '[shop/Svc] ports [] is empty; Kuma builds one inbound per Service port and the gateway needs one to route to. Pass ports or call addPort().');
    });

    test('unnamed ports on a multi-port Service at synth', () => {
      const chart = shopChart();
      new MeshService(chart, 'Svc', { ports: [{ port: 80 }, { port: 81, name: 'b' }, { port: 82 }] });
      expect(() => Testing.synth(chart)).toThrow(
        '[shop/Svc] ports[].name [80,82] are unnamed, but Kubernetes requires a name on every port of a Service with more than one. Give each port a name, for example "http".');
    });

    test('an annotation overwritten after construction fails at synth', () => {
      const chart = shopChart();
      const svc = new MeshService(chart, 'Svc', { ports: [{ port: 80 }] });
      svc.metadata.addAnnotation('ingress.kubernetes.io/service-upstream', 'false');
      expect(() => Testing.synth(chart)).toThrow(
        '[shop/Svc/Resource] metadata.annotations["ingress.kubernetes.io/service-upstream"] "false" was changed after the Service was annotated for the delegated gateway. Leave it at "true".');
    });
  });
});

describe('MeshService.fromServiceAttributes', () => {
  test('gives the Kuma names of a Service managed elsewhere', () => {
    const chart = Testing.chart();
    const svc = MeshService.fromServiceAttributes(chart, 'Echo', { name: 'echo', namespace: 'default', ports: [80] });
    expect([svc.name, svc.namespace]).toEqual(['echo', 'default']);
    expect(svc.kumaService()).toBe('echo_default_svc_80');
    expect(svc.meshAddress()).toBe('echo.default.svc.80.mesh');
    expect(svc.meshLocalHostname('zone-1')).toBe('echo.default.svc.zone-1.mesh.local');
    expect(synthValid(chart)).toEqual([]);
  });

  test('bad input', () => {
    expect(() => MeshService.fromServiceAttributes(Testing.chart(), 'X', { name: 'Echo', namespace: 'default', ports: [80] })).toThrow(/^test\/X: name "Echo" is not a valid RFC 1035 label/);
    expect(() => MeshService.fromServiceAttributes(Testing.chart(), 'X', { name: 'echo', namespace: 'a_b', ports: [80] })).toThrow(/^test\/X: namespace "a_b" is not a valid RFC 1123 label/);
    expect(() => MeshService.fromServiceAttributes(Testing.chart(), 'X', { name: 'echo', namespace: 'default', ports: [0] })).toThrow('test/X: ports[0] 0 is not a port number. Use an integer from 1 to 65535.');
  });
});
