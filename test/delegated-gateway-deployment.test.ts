import { Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  ContainerPatch, ContainerPatchOperation, DelegatedGatewayDeployment, DelegatedGatewayDeploymentProps, EnvoyLogLevel,
  GatewayFlavour, KumaControlPlane, KumaWarnings, MeshNamespace, MeshService, ReachableBackend, ReachableService,
} from '../src';
import { synthValid } from './support/validate';

const KONG = { image: 'kong:3.9', portNumber: 8000 };

/** A chart with a `kong` MeshNamespace and one gateway built from `props`. */
function build(props: DelegatedGatewayDeploymentProps = {}) {
  const chart = new Chart(Testing.app(), 'gw');
  const ns = new MeshNamespace(chart, 'Kong', { metadata: { name: 'kong' } });
  const gateway = new DelegatedGatewayDeployment(chart, 'Proxy', { namespace: ns, containers: [KONG], ...props });
  return { chart, ns, gateway };
}

function podTemplate(chart: Chart, name?: string) {
  const deployments = synthValid(chart).filter((m) => m.kind === 'Deployment');
  const d = name ? deployments.find((m) => m.metadata.name === name) : deployments[0];
  return d.spec.template;
}

describe('DelegatedGatewayDeployment', () => {
  test('pod template: kuma.io/gateway annotation and injection/mesh labels, nothing else of Kuma\'s', () => {
    const { chart, gateway } = build();
    const template = podTemplate(chart);
    expect(template.metadata.annotations).toEqual({ 'kuma.io/gateway': 'enabled' });
    expect(template.metadata.labels).toEqual({
      'cdk8s.io/metadata.addr': expect.any(String),
      'kuma.io/sidecar-injection': 'enabled',
      'kuma.io/mesh': 'default',
    });
    expect(template.spec.automountServiceAccountToken).toBe(true);
    expect(gateway.mesh).toBe('default');
    expect(KumaWarnings.of(chart)).toEqual([]);
  });

  test('non-root at container level, not pod level, where Kuma\'s root kuma-init container would be refused', () => {
    const { chart } = build({ flavour: GatewayFlavour.kong() });
    const template = podTemplate(chart);
    expect(template.spec.securityContext).toEqual({ fsGroupChangePolicy: 'Always', runAsNonRoot: false });
    expect(template.spec.containers[0].securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
  });

  test('with Kuma CNI (no kuma-init container) cdk8s-plus\'s pod-level runAsNonRoot stays', () => {
    const app = Testing.app();
    KumaControlPlane.use(app, { cni: true });
    const chart = new Chart(app, 'gw');
    const ns = new MeshNamespace(chart, 'Kong', { metadata: { name: 'kong' } });
    new DelegatedGatewayDeployment(chart, 'Proxy', { namespace: ns, containers: [KONG] });
    expect(podTemplate(chart).spec.securityContext.runAsNonRoot).toBe(true);
  });

  test('a pod-level runAsNonRoot asked for without Kuma CNI is refused with the fix', () => {
    expect(() => build({ securityContext: { ensureNonRoot: true } })).toThrow(
      'gw/Proxy: securityContext.ensureNonRoot true makes the pod runAsNonRoot, but without Kuma CNI (Kuma in "kuma-system") Kuma\'s injector adds the kuma-init container as runAsUser 0, which the kubelet then refuses to start ("container\'s runAsUser breaks non-root policy"). Remove it: the containers stay non-root through their own securityContext (cdk8s-plus\'s default), or say the control plane runs Kuma CNI with KumaControlPlane.use(app, { cni: true }).');
  });

  test('the Deployment itself carries no Kuma annotation and sits in the namespace', () => {
    const { chart } = build();
    const deployment = synthValid(chart).find((m) => m.kind === 'Deployment');
    expect(deployment.metadata.annotations).toBeUndefined();
    expect(deployment.metadata.namespace).toBe('kong');
  });

  test('the mesh defaults to the namespace\'s, and can be given', () => {
    const chart = new Chart(Testing.app(), 'gw');
    const ns = new MeshNamespace(chart, 'Kong', { metadata: { name: 'kong' }, mesh: 'edge' });
    const a = new DelegatedGatewayDeployment(chart, 'A', { namespace: ns, containers: [KONG] });
    const b = new DelegatedGatewayDeployment(chart, 'B', { namespace: ns, mesh: 'prod', containers: [KONG] });
    expect([a.mesh, b.mesh]).toEqual(['edge', 'prod']);
    const labels = synthValid(chart).filter((m) => m.kind === 'Deployment').map((d) => d.spec.template.metadata.labels['kuma.io/mesh']);
    expect(labels).toEqual(['edge', 'prod']);
  });

  test('finds the MeshNamespace of the app by the Deployment\'s namespace', () => {
    const chart = new Chart(Testing.app(), 'gw', { namespace: 'kong' });
    new MeshNamespace(chart, 'Kong', { metadata: { name: 'kong' }, mesh: 'edge' });
    const gw = new DelegatedGatewayDeployment(chart, 'Proxy', { containers: [KONG] });
    expect(gw.mesh).toBe('edge');
    synthValid(chart);
    expect(KumaWarnings.of(chart)).toEqual([]);
  });

  test('every sidecar option becomes its annotation (Kuma annotations.go)', () => {
    const chart = new Chart(Testing.app(), 'gw');
    const ns = new MeshNamespace(chart, 'Kong', { metadata: { name: 'kong' } });
    const echo = new MeshService(chart, 'Echo', { metadata: { name: 'echo', namespace: 'shop' }, ports: [{ port: 80 }] });
    const patch = new ContainerPatch(chart, 'Patch', { metadata: { name: 'sidecar-memory' }, sidecarPatch: [ContainerPatchOperation.add('/resources/limits/memory', '256Mi')] });
    new DelegatedGatewayDeployment(chart, 'Proxy', {
      namespace: ns,
      containers: [KONG],
      sidecarEnv: { KUMA_DNS_ENABLED: 'true', TZ: 'UTC' },
      drainTime: Duration.seconds(45),
      envoyAdminPort: 9902,
      excludeOutboundPorts: [5432, 6379],
      excludeOutboundIps: ['10.0.0.0/8', '2001:db8::1'],
      reachableServices: [ReachableService.fromMeshService(echo), ReachableService.fromName('redis_cache_svc_6379')],
      reachableBackends: [
        ReachableBackend.meshService(echo, 80),
        ReachableBackend.meshServiceNamed('redis', 'cache', 6379),
        ReachableBackend.meshExternalService('httpbin'),
        ReachableBackend.meshMultiZoneService('orders', 'shop'),
        ReachableBackend.meshServicesWithLabels({ 'kuma.io/display-name': 'yes', 'version': '1.0' }),
      ],
      containerPatches: [patch, ContainerPatch.fromContainerPatchName(chart, 'Existing', 'sidecar-debug')],
      serviceAccountTokenVolume: 'token',
      volumes: [kplus.Volume.fromEmptyDir(chart, 'TokenVolume', 'token')],
      envoyLogLevel: EnvoyLogLevel.DEBUG,
      envoyComponentLogLevels: { upstream: EnvoyLogLevel.TRACE, connection: EnvoyLogLevel.WARNING },
      proxyConcurrency: 4,
      waitForDataplaneReady: true,
      initFirst: true,
    });
    expect(podTemplate(chart).metadata.annotations).toEqual({
      'kuma.io/gateway': 'enabled',
      'kuma.io/sidecar-env-vars': 'KUMA_DNS_ENABLED=true;TZ=UTC',
      'kuma.io/sidecar-drain-time': '45s',
      'kuma.io/envoy-admin-port': '9902',
      'traffic.kuma.io/exclude-outbound-ports': '5432,6379',
      'traffic.kuma.io/exclude-outbound-ips': '10.0.0.0/8,2001:db8::1',
      'kuma.io/transparent-proxying-reachable-services': 'echo_shop_svc_80,redis_cache_svc_6379',
      'kuma.io/reachable-backends': [
        'refs:',
        '- kind: MeshService', '  name: "echo"', '  namespace: "shop"', '  port: 80',
        '- kind: MeshService', '  name: "redis"', '  namespace: "cache"', '  port: 6379',
        '- kind: MeshExternalService', '  name: "httpbin"', '  namespace: "kong"',
        '- kind: MeshMultiZoneService', '  name: "orders"', '  namespace: "shop"',
        '- kind: MeshService', '  labels:', '    "kuma.io/display-name": "yes"', '    "version": "1.0"',
        '',
      ].join('\n'),
      'kuma.io/container-patches': 'sidecar-memory,sidecar-debug',
      'kuma.io/service-account-token-volume': 'token',
      'kuma.io/envoy-log-level': 'debug',
      'kuma.io/envoy-component-log-level': 'upstream:trace,connection:warning',
      'kuma.io/sidecar-proxy-concurrency': '4',
      'kuma.io/wait-for-dataplane-ready': 'true',
      'kuma.io/init-first': 'true',
    });
    const emittedPatch = synthValid(chart).find((m) => m.kind === 'ContainerPatch');
    expect(emittedPatch).toEqual({
      apiVersion: 'kuma.io/v1alpha1',
      kind: 'ContainerPatch',
      metadata: { name: 'sidecar-memory', namespace: 'kuma-system' },
      spec: { sidecarPatch: [{ op: 'add', path: '/resources/limits/memory', value: '"256Mi"' }] },
    });
  });

  test('drain time renders as a Go duration', () => {
    const ms = build({ drainTime: Duration.millis(1500) });
    expect(podTemplate(ms.chart).metadata.annotations['kuma.io/sidecar-drain-time']).toBe('1500ms');
    const min = build({ drainTime: Duration.minutes(2) });
    expect(podTemplate(min.chart).metadata.annotations['kuma.io/sidecar-drain-time']).toBe('120s');
  });

  test('addXxx methods mirror the props, also after construction', () => {
    const { chart, gateway } = build({ excludeOutboundPorts: [5432] });
    gateway.gateway.addExcludedOutboundPort(6379, 5432);
    gateway.gateway.addExcludedOutboundIp('192.168.0.0/16');
    gateway.gateway.addSidecarEnv('TZ', 'UTC');
    gateway.gateway.addReachableService(ReachableService.fromName('a_b_svc_80'));
    gateway.gateway.addReachableBackend(ReachableBackend.meshServiceNamed('a', 'b'));
    gateway.gateway.addContainerPatch(ContainerPatch.fromContainerPatchName(chart, 'P', 'p'));
    expect(podTemplate(chart).metadata.annotations).toEqual({
      'kuma.io/gateway': 'enabled',
      'traffic.kuma.io/exclude-outbound-ports': '5432,6379',
      'traffic.kuma.io/exclude-outbound-ips': '192.168.0.0/16',
      'kuma.io/sidecar-env-vars': 'TZ=UTC',
      'kuma.io/transparent-proxying-reachable-services': 'a_b_svc_80',
      'kuma.io/reachable-backends': 'refs:\n- kind: MeshService\n  name: "a"\n  namespace: "b"\n',
      'kuma.io/container-patches': 'p',
    });
  });

  test('keeps the cdk8s-plus Deployment API', () => {
    const { chart, gateway } = build({ replicas: 3, podMetadata: { labels: { app: 'kong' }, annotations: { 'prometheus.io/scrape': 'true' } } });
    gateway.addContainer({ image: 'busybox', name: 'sidecar', portNumber: 9000 });
    const deployment = synthValid(chart).find((m) => m.kind === 'Deployment');
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['main', 'sidecar']);
    expect(deployment.spec.template.metadata.labels.app).toBe('kong');
    expect(deployment.spec.template.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true', 'kuma.io/gateway': 'enabled' });
    expect(gateway).toBeInstanceOf(kplus.Deployment);
  });

  describe('flavours', () => {
    test.each([
      ['generic', GatewayFlavour.generic(), undefined],
      ['kong', GatewayFlavour.kong(), undefined],
      ['ingress-nginx', GatewayFlavour.ingressNginx(), undefined],
      ['traefik', GatewayFlavour.traefik(), undefined],
      ['kong-controller', GatewayFlavour.kongController(), '8444'],
    ])('%s: pod annotations', (name, flavour, excluded) => {
      const { chart, gateway } = build({ flavour });
      expect(gateway.gateway.flavour.name).toBe(name);
      const expected: Record<string, string> = { 'kuma.io/gateway': 'enabled' };
      if (excluded) expected['traffic.kuma.io/exclude-outbound-ports'] = excluded;
      expect(podTemplate(chart).metadata.annotations).toEqual(expected);
    });

    test('kong controller: a custom admin port, merged with the user\'s exclusions', () => {
      const { chart } = build({ flavour: GatewayFlavour.kongController({ adminApiPort: 8445 }), excludeOutboundPorts: [5432] });
      expect(podTemplate(chart).metadata.annotations['traffic.kuma.io/exclude-outbound-ports']).toBe('8445,5432');
    });
  });

  test('exposeViaProxyService: a LoadBalancer in the gateway\'s namespace, no service-upstream', () => {
    const { chart, gateway } = build();
    gateway.exposeViaProxyService({ metadata: { name: 'kong-proxy' }, ports: [{ port: 80, targetPort: 8000, name: 'http' }] });
    const svc = synthValid(chart).find((m) => m.kind === 'Service');
    expect(svc.metadata).toEqual({ name: 'kong-proxy', namespace: 'kong' });
    expect(svc.spec).toEqual({
      type: 'LoadBalancer',
      externalIPs: [],
      ports: [{ name: 'http', port: 80, targetPort: 8000 }],
      selector: { 'cdk8s.io/metadata.addr': expect.any(String) },
    });
  });

  describe('namespace checks', () => {
    test('a namespace without the injection label is an error (the pod webhook never fires)', () => {
      const chart = new Chart(Testing.app(), 'gw');
      const ns = MeshNamespace.fromNamespaceAttributes(chart, 'Kong', { name: 'kong' });
      new DelegatedGatewayDeployment(chart, 'Proxy', { namespace: ns, containers: [KONG] });
      expect(() => Testing.synth(chart)).toThrow(
        '[gw/Proxy/DelegatedGateway] namespace "kong" has no kuma.io/sidecar-injection label, so Kuma\'s pod webhook never sees the gateway pods (it requires the namespace label to exist) and they run without a sidecar. Label the namespace kuma.io/sidecar-injection=enabled (a MeshNamespace does).');
    });

    test('a namespace labelled disabled is fine: the pod label opts in', () => {
      const chart = new Chart(Testing.app(), 'gw');
      const ns = MeshNamespace.fromNamespaceAttributes(chart, 'Kong', { name: 'kong', sidecarInjectionLabel: 'disabled' });
      new DelegatedGatewayDeployment(chart, 'Proxy', { namespace: ns, containers: [KONG] });
      synthValid(chart);
      expect(KumaWarnings.of(chart)).toEqual([]);
    });

    test('a namespace with unknown labels is a warning', () => {
      const chart = new Chart(Testing.app(), 'gw');
      const ns = MeshNamespace.fromNamespaceName(chart, 'Kong', 'kong');
      new DelegatedGatewayDeployment(chart, 'Proxy', { namespace: ns, containers: [KONG] });
      const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
      synthValid(chart);
      synthValid(chart);
      const message = '[gw/Proxy/DelegatedGateway] the labels of namespace "kong" are not known, so it is not checked for the kuma.io/sidecar-injection label Kuma\'s pod webhook requires';
      expect(KumaWarnings.of(chart)).toEqual([message]);
      expect(stderr.mock.calls).toEqual([[`cdk8s-kuma warning: ${message}\n`]]);
      stderr.mockRestore();
    });

    test('a namespace not declared in the app is a warning', () => {
      const chart = new Chart(Testing.app(), 'gw', { namespace: 'edge' });
      new DelegatedGatewayDeployment(chart, 'Proxy', { containers: [KONG] });
      const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
      synthValid(chart);
      stderr.mockRestore();
      expect(KumaWarnings.of(chart)).toEqual([
        '[gw/Proxy/DelegatedGateway] namespace "edge" is not declared in this app, so it is not checked for the kuma.io/sidecar-injection label Kuma\'s pod webhook requires; declare it as a MeshNamespace or pass MeshNamespace.fromNamespaceAttributes()',
      ]);
    });

    test('no namespace at all is a warning', () => {
      const chart = new Chart(Testing.app(), 'gw');
      new DelegatedGatewayDeployment(chart, 'Proxy', { containers: [KONG] });
      const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
      synthValid(chart);
      stderr.mockRestore();
      expect(KumaWarnings.of(chart)).toEqual([
        '[gw/Proxy/DelegatedGateway] the gateway workload sets no namespace, so this app cannot check that its namespace carries the kuma.io/sidecar-injection label Kuma\'s pod webhook requires',
      ]);
    });

    test('a namespace declared after the gateway with another mesh is an error unless mesh is explicit', () => {
      const chart = new Chart(Testing.app(), 'gw', { namespace: 'kong' });
      new DelegatedGatewayDeployment(chart, 'Proxy', { containers: [KONG] });
      new MeshNamespace(chart, 'Kong', { metadata: { name: 'kong' }, mesh: 'edge' });
      expect(() => Testing.synth(chart)).toThrow(
        '[gw/Proxy/DelegatedGateway] mesh "default" was taken as the default, but namespace "kong" is in mesh "edge" (declared after the gateway). Pass mesh explicitly or declare the namespace before the gateway.');
    });

    test('metadata.namespace contradicting the namespace prop', () => {
      const chart = new Chart(Testing.app(), 'gw');
      const ns = new MeshNamespace(chart, 'Kong', { metadata: { name: 'kong' } });
      expect(() => new DelegatedGatewayDeployment(chart, 'Proxy', { namespace: ns, metadata: { namespace: 'edge' }, containers: [KONG] })).toThrow(
        'gw/Proxy: metadata.namespace "edge" contradicts the namespace prop ("kong"). Remove metadata.namespace or make it equal to the namespace\'s name.');
    });
  });

  describe('refused values (Kuma annotations.go, pod_converter.go, probes)', () => {
    const refuse = (annotations: Record<string, string>) => () => build({ podMetadata: { annotations } });

    test.each([
      ['kuma.io/gateway', 'provided',
        'pod annotation "kuma.io/gateway" "provided" is not "enabled", the only delegated-gateway value: Kuma 2.x\'s injector rejects "provided", 3.0 drops it, and other values do not make a delegated gateway. Remove it; the gateway sets kuma.io/gateway: enabled.'],
      ['kuma.io/gateway', 'true',
        'pod annotation "kuma.io/gateway" "true" is not "enabled", the only delegated-gateway value: Kuma 2.x\'s injector rejects "provided", 3.0 drops it, and other values do not make a delegated gateway. Remove it; the gateway sets kuma.io/gateway: enabled.'],
      ['kuma.io/virtual-probes', 'enabled',
        'pod annotation "kuma.io/virtual-probes" "enabled" makes injection fail on a gateway pod ("virtual probes can\'t be enabled in gateway mode"). Remove it from the pod template.'],
      ['kuma.io/application-probe-proxy-port', '9001',
        'pod annotation "kuma.io/application-probe-proxy-port" "9001" makes injection fail on a gateway pod ("application probe proxies probes can\'t be enabled in gateway mode"). Remove it or set it to "0".'],
      ['kuma.io/transparent-proxying', 'enabled',
        'pod annotation "kuma.io/transparent-proxying" "enabled" is set by Kuma\'s injector; a per-pod value is ignored or unsupported. Remove it from the pod template.'],
      ['kuma.io/transparent-proxying-inbound-port', '15006',
        'pod annotation "kuma.io/transparent-proxying-inbound-port" "15006" is set by Kuma\'s injector; a per-pod value is ignored or unsupported. Remove it from the pod template.'],
      ['kuma.io/sidecar-injected', 'true',
        'pod annotation "kuma.io/sidecar-injected" "true" is written by Kuma\'s injector to mark injected pods; set by hand it makes Kuma treat a pod as injected. Remove it from the pod template.'],
      ['traffic.kuma.io/exclude-inbound-ports', '8000',
        'pod annotation "traffic.kuma.io/exclude-inbound-ports" "8000" has no effect on a delegated gateway: Kuma does not redirect its inbound traffic. Remove it from the pod template.'],
      ['kuma.io/sidecar-injection', 'enabled',
        'pod annotation "kuma.io/sidecar-injection" "enabled" is an annotation, which Kuma has not read since 2.2: injection is a label. Remove it; the gateway sets the label.'],
      ['kuma.io/mesh', 'default',
        'pod annotation "kuma.io/mesh" "default" is an annotation, which Kuma 2.8+ treats as deprecated and 3.0 ignores (target 2.14): the mesh is a label. Remove it; the gateway sets the label.'],
      ['kuma.io/builtindns', 'enabled',
        'pod annotation "kuma.io/builtindns" "enabled" is no longer supported and ignored by Kuma. Remove it (the current key is kuma.io/builtin-dns).'],
      ['kuma.io/transparent-proxying-ip-family-mode', 'ipv6',
        'pod annotation "kuma.io/transparent-proxying-ip-family-mode" "ipv6" is not "dualstack" or "ipv4". Use "dualstack" or "ipv4".'],
    ])('%s: %s', (key, value, message) => {
      expect(refuse({ [key]: value })).toThrow(`gw/Proxy: ${message}`);
    });

    test('accepted values of the same keys', () => {
      const { chart } = build({
        podMetadata: {
          annotations: {
            'kuma.io/virtual-probes': 'disabled',
            'kuma.io/application-probe-proxy-port': '0',
            'kuma.io/transparent-proxying-ip-family-mode': 'ipv4',
            'kuma.io/gateway': 'enabled',
          },
        },
      });
      expect(podTemplate(chart).metadata.annotations).toEqual({
        'kuma.io/virtual-probes': 'disabled',
        'kuma.io/application-probe-proxy-port': '0',
        'kuma.io/transparent-proxying-ip-family-mode': 'ipv4',
        'kuma.io/gateway': 'enabled',
      });
    });

    test('kuma.io/gateway on the Deployment instead of the pod template', () => {
      expect(() => build({ metadata: { annotations: { 'kuma.io/gateway': 'enabled' } } })).toThrow(
        'gw/Proxy: metadata.annotations["kuma.io/gateway"] "enabled" is on the workload, where Kuma never reads it: only the pod template\'s annotation makes a delegated gateway. Remove it from the workload\'s metadata; the pod template gets kuma.io/gateway: enabled from this construct.');
    });

    test('pod labels that contradict the gateway', () => {
      expect(() => build({ podMetadata: { labels: { 'kuma.io/sidecar-injection': 'disabled' } } })).toThrow(
        'gw/Proxy: pod label "kuma.io/sidecar-injection" "disabled" cannot stay on a delegated gateway pod: the pods webhook of Kuma injects a pod only with the label value "enabled". Remove it or set it to "enabled".');
      expect(() => build({ mesh: 'prod', podMetadata: { labels: { 'kuma.io/mesh': 'dev' } } })).toThrow(
        'gw/Proxy: pod label "kuma.io/mesh" "dev" cannot stay on a delegated gateway pod: it contradicts the gateway\'s mesh "prod". Remove it or set it to "prod".');
    });

    test('an annotation the user set differently from an option', () => {
      expect(() => build({ envoyAdminPort: 9902, podMetadata: { annotations: { 'kuma.io/envoy-admin-port': '9903' } } })).toThrow(
        'gw/Proxy: pod annotation "kuma.io/envoy-admin-port" "9903" is already set and differs from the gateway\'s "9902". Remove the annotation from the pod template or drop the option that sets it.');
      expect(() => build({ sidecarEnv: { TZ: 'UTC' }, podMetadata: { annotations: { 'kuma.io/sidecar-env-vars': 'TZ=CET' } } })).toThrow(
        'gw/Proxy: pod annotation "kuma.io/sidecar-env-vars" "TZ=CET" already sets TZ and differs from the gateway\'s sidecarEnv value "UTC". Keep one of the two values.');
    });

    test('a refused annotation added after construction fails at synth', () => {
      const { chart, gateway } = build();
      gateway.podMetadata.addAnnotation('kuma.io/virtual-probes', 'enabled');
      gateway.podMetadata.addAnnotation('kuma.io/gateway', 'provided');
      expect(() => Testing.synth(chart)).toThrow([
        'Validation failed with the following errors:',
        '  [gw/Proxy/DelegatedGateway] pod annotation "kuma.io/gateway" "provided" is not "enabled", the only delegated-gateway value: Kuma 2.x\'s injector rejects "provided", 3.0 drops it, and other values do not make a delegated gateway. Remove it; the gateway sets kuma.io/gateway: enabled.',
        '  [gw/Proxy/DelegatedGateway] pod annotation "kuma.io/virtual-probes" "enabled" makes injection fail on a gateway pod ("virtual probes can\'t be enabled in gateway mode"). Remove it from the pod template.',
        '  [gw/Proxy/DelegatedGateway] pod annotation "kuma.io/gateway" "provided" was changed after the gateway wrote "enabled". Set it through the gateway\'s options instead.',
      ].join('\n'));
    });

    test('a Kuma label changed after construction fails at synth', () => {
      const { chart, gateway } = build();
      gateway.podMetadata.addLabel('kuma.io/mesh', 'other');
      expect(() => Testing.synth(chart)).toThrow(
        '[gw/Proxy/DelegatedGateway] pod label "kuma.io/mesh" "other" was changed after the gateway wrote "default". Leave the label to the gateway.');
    });
  });

  describe('bad sidecar options', () => {
    test.each<[string, DelegatedGatewayDeploymentProps, string]>([
      ['env var value with ;', { sidecarEnv: { A: 'x;y' } },
        'gw/Proxy/DelegatedGateway: sidecarEnv["A"] "x;y" contains \';\' or \'=\', which kuma.io/sidecar-env-vars cannot carry (it is written K=V;K2=V2). Pass the value through a ContainerPatch instead.'],
      ['env var value with =', { sidecarEnv: { A: 'x=y' } },
        'gw/Proxy/DelegatedGateway: sidecarEnv["A"] "x=y" contains \';\' or \'=\', which kuma.io/sidecar-env-vars cannot carry (it is written K=V;K2=V2). Pass the value through a ContainerPatch instead.'],
      ['env var name', { sidecarEnv: { 'A=B': 'x' } },
        'gw/Proxy/DelegatedGateway: sidecarEnv["A=B"] "A=B" is not an environment variable name Kuma can pass (no \';\' or \'=\'). Use letters, digits, \'_\', \'-\' and \'.\'.'],
      ['admin port', { envoyAdminPort: 70000 },
        'gw/Proxy/DelegatedGateway: envoyAdminPort 70000 is not a port number. Use an integer from 1 to 65535.'],
      ['excluded port', { excludeOutboundPorts: [0] },
        'gw/Proxy/DelegatedGateway: excludeOutboundPorts[] 0 is not a port number. Use an integer from 1 to 65535.'],
      ['excluded IP', { excludeOutboundIps: ['10.0.0.0/33'] },
        'gw/Proxy/DelegatedGateway: excludeOutboundIps[] "10.0.0.0/33" is not an IP address or CIDR. Use a form such as "10.0.0.0/8" or "2001:db8::1".'],
      ['excluded host name', { excludeOutboundIps: ['db.example.com'] },
        'gw/Proxy/DelegatedGateway: excludeOutboundIps[] "db.example.com" is not an IP address or CIDR. Use a form such as "10.0.0.0/8" or "2001:db8::1".'],
      ['drain time', { drainTime: Duration.millis(0) },
        'gw/Proxy/DelegatedGateway: drainTime "0 millis" is not a positive duration. Use at least one millisecond.'],
      ['concurrency', { proxyConcurrency: -1 },
        'gw/Proxy/DelegatedGateway: proxyConcurrency -1 is not an unsigned 32-bit integer. Use 0 (one worker per CPU) or a positive integer.'],
      ['log level', { envoyLogLevel: 'verbose' as EnvoyLogLevel },
        'gw/Proxy/DelegatedGateway: envoyLogLevel "verbose" is not an Envoy log level. Use one of trace, debug, info, warning, error, critical, off.'],
      ['component log level', { envoyComponentLogLevels: { upstream: 'loud' as EnvoyLogLevel } },
        'gw/Proxy/DelegatedGateway: envoyComponentLogLevels["upstream"] "loud" is not an Envoy log level. Use one of trace, debug, info, warning, error, critical, off.'],
      ['component name', { envoyComponentLogLevels: { 'Up-Stream': EnvoyLogLevel.INFO } },
        'gw/Proxy/DelegatedGateway: envoyComponentLogLevels "Up-Stream" is not an Envoy logger component name. Use a name such as "upstream" or "connection".'],
      ['empty reachable backends', { reachableBackends: [] },
        'gw/Proxy/DelegatedGateway: reachableBackends [] is empty, which Kuma reads as "reach nothing": the gateway could not send anywhere. Leave reachableBackends unset to reach every backend, or list them.'],
      ['reachable service name', { reachableServices: [ReachableService.fromName('web/shop')] },
        'gw/Proxy/DelegatedGateway: reachableServices[0] "web/shop" is not a kuma.io/service value (letters, digits, \'.\', \'-\', \'_\' and \':\'). Use ReachableService.fromMeshService() or a name such as "redis_kuma-demo_svc_6379".'],
      ['reachable backend name', { reachableBackends: [ReachableBackend.meshServiceNamed('Redis')] },
        'gw/Proxy/DelegatedGateway: reachableBackends[0].name "Redis" is not a valid RFC 1035 label (lowercase letters, digits and \'-\', starting with a letter and ending with a letter or digit). Use a name such as "redis".'],
      ['reachable backend port', { reachableBackends: [ReachableBackend.meshMultiZoneService('orders', 'shop', 0)] },
        'gw/Proxy/DelegatedGateway: reachableBackends[0].port 0 is not a port number. Use an integer from 1 to 65535.'],
      ['reachable backend labels', { reachableBackends: [ReachableBackend.meshServicesWithLabels({})] },
        'gw/Proxy/DelegatedGateway: reachableBackends[0].labels {} is empty and would match every MeshService. Name at least one label.'],
      ['reachable backend label value', { reachableBackends: [ReachableBackend.meshServicesWithLabels({ app: 'a b' })] },
        'gw/Proxy/DelegatedGateway: reachableBackends[0].labels["app"] "a b" is not a valid label value. Use at most 63 characters of [A-Za-z0-9._-], alphanumeric at both ends.'],
      ['mesh', { mesh: 'Edge' },
        'gw/Proxy/DelegatedGateway: mesh "Edge" is not a mesh name Kuma accepts'],
    ])('%s', (_name, props, message) => {
      expect(() => build(props)).toThrow(message);
    });

    test('a container patch outside the control plane namespace', () => {
      const chart = new Chart(Testing.app(), 'gw');
      const patch = new ContainerPatch(chart, 'Patch', { namespace: 'kong', sidecarPatch: [ContainerPatchOperation.remove('/resources')] });
      expect(() => new DelegatedGatewayDeployment(chart, 'Proxy', { containers: [KONG], containerPatches: [patch] })).toThrow(
        `gw/Proxy/DelegatedGateway: containerPatches[] "kong/${patch.name}" is not in the control plane namespace "kuma-system", the only place Kuma's injector looks for patches, so injection would fail ("some expected container patches are missing"). Create the ContainerPatch in "kuma-system" (its namespace prop), or set controlPlaneNamespace.`);
      new DelegatedGatewayDeployment(chart, 'Ok', { containers: [KONG], containerPatches: [patch], controlPlaneNamespace: 'kong' });
    });

    test('a reachable MeshService without a namespace', () => {
      const chart = new Chart(Testing.app(), 'gw');
      const svc = new MeshService(chart, 'Svc', { ports: [{ port: 80 }] });
      expect(() => new DelegatedGatewayDeployment(chart, 'Proxy', { containers: [KONG], reachableBackends: [ReachableBackend.meshService(svc)] })).toThrow(
        'gw/Proxy/DelegatedGateway: reachableBackends[0].namespace is not known for the Service gw/Svc. Set metadata.namespace on the Service or a namespace on its Chart.');
    });

    test('a named backend without namespace when the gateway has none', () => {
      const chart = new Chart(Testing.app(), 'gw');
      expect(() => new DelegatedGatewayDeployment(chart, 'Proxy', { containers: [KONG], reachableBackends: [ReachableBackend.meshExternalService('httpbin')] })).toThrow(
        'gw/Proxy/DelegatedGateway: reachableBackends[0].namespace is not given and the gateway\'s namespace is not known. Pass the namespace of the backend.');
    });
  });

  describe('pod checks at synth', () => {
    test('the Envoy admin port clashes with a container port', () => {
      const { chart } = build({ envoyAdminPort: 8000 });
      expect(() => Testing.synth(chart)).toThrow(
        '[gw/Proxy/DelegatedGateway] envoyAdminPort 8000 is also a container port of the gateway pod; the sidecar\'s Envoy admin API and the gateway would both bind it. Set envoyAdminPort to a port no container uses.');
    });

    test('Kuma\'s default admin port 9901 clashes with a container port', () => {
      const { chart } = build({ containers: [{ image: 'envoyproxy/envoy', portNumber: 9901 }] });
      expect(() => Testing.synth(chart)).toThrow(
        '[gw/Proxy/DelegatedGateway] envoyAdminPort 9901 is also a container port of the gateway pod; the sidecar\'s Envoy admin API (Kuma\'s default port) and the gateway would both bind it. Set envoyAdminPort to a port no container uses.');
    });

    test('a container port taken by the sidecar', () => {
      const { chart } = build({ containers: [{ image: 'gw', portNumber: 15001 }] });
      expect(() => Testing.synth(chart)).toThrow(
        '[gw/Proxy/DelegatedGateway] container port 15001 is taken by the sidecar\'s outbound listener in every injected pod. Move the container to another port.');
    });

    test('the service-account token volume must be a volume of the pod', () => {
      const { chart } = build({ serviceAccountTokenVolume: 'token' });
      expect(() => Testing.synth(chart)).toThrow(
        '[gw/Proxy/DelegatedGateway] serviceAccountTokenVolume "token" is not a volume of the pod (volumes: none), so Kuma\'s injector fails ("volume specified for kuma.io/service-account-token-volume but volume does not exist in pod spec"). Add the volume to the pod or name one of its volumes.');
    });

    test('no token at all: automount off and no token volume', () => {
      const { chart } = build({ automountServiceAccountToken: false });
      expect(() => Testing.synth(chart)).toThrow(
        '[gw/Proxy/DelegatedGateway] automountServiceAccountToken false leaves the sidecar without the service-account token it authenticates to the control plane with. Set automountServiceAccountToken to true, or mount a projected token volume and name it in serviceAccountTokenVolume.');
    });

    test('automount off with a token volume is fine', () => {
      const chart = new Chart(Testing.app(), 'gw');
      const ns = new MeshNamespace(chart, 'Kong', { metadata: { name: 'kong' } });
      new DelegatedGatewayDeployment(chart, 'Proxy', {
        namespace: ns,
        containers: [KONG],
        automountServiceAccountToken: false,
        volumes: [kplus.Volume.fromEmptyDir(chart, 'Token', 'token')],
        serviceAccountTokenVolume: 'token',
      });
      expect(podTemplate(chart).spec.automountServiceAccountToken).toBe(false);
    });
  });
});
