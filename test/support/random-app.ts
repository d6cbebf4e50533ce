/**
 * Random but plausible apps for the property tests and the long campaign: namespaces, Services
 * with random ports and protocols, a gateway with random sidecar settings and refused annotations,
 * cross-zone names in every addressing mode, and policies, for a random Kuma version. Names and
 * numbers are mostly valid and sometimes not.
 */
import * as path from 'path';
import { App, Chart, Duration, Include, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { kumaRuleViolations } from './kuma-rules';
import { registerKongCrds, synthValid } from './validate';

import {
  CrossZoneExternalName, DelegatedGateway, DelegatedGatewayDeployment, EnvoyLogLevel, ExternalTrafficPolicy,
  GatewayFlavour, GatewayPermissionTarget, KongIngressClass, KumaAnnotation, KumaErrors, KumaProtocol, KumaVersion,
  Mesh, MeshAddress, MeshMultiZoneService, MeshNamespace, MeshService, MeshServicesMode, ReachableBackend, ReachableService, SidecarInjection,
} from '../../src';
import { capabilitiesOf } from '../../src/kuma/_kuma-capabilities';

const KONG_CHART = path.join(__dirname, '..', '..', 'examples', 'helm', 'kong-ingress.yaml');
registerKongCrds();

const label = fc.stringMatching(/^[a-z]([-a-z0-9]{0,8}[a-z0-9])?$/);
const badName = fc.constantFrom('Bad_Name', 'UPPER', '-lead', 'trail-', '9lives', 'a'.repeat(64), 'dot.ted', '');
const name = fc.oneof({ weight: 40, arbitrary: label }, { weight: 1, arbitrary: badName });
const port = fc.oneof(
  { weight: 60, arbitrary: fc.integer({ min: 1, max: 65535 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, 65536, 80.5, 70000) });
const protocol = fc.option(fc.oneof({ weight: 40, arbitrary: fc.constantFrom(...Object.values(KumaProtocol)) }, { weight: 1, arbitrary: fc.constant('websocket') }));
const userKey = fc.stringMatching(/^[a-z]{1,6}(\.example\.com\/[a-z]{1,6})?$/).filter((k) => !k.includes('kuma.io'));
const userValue = fc.stringMatching(/^[a-zA-Z0-9]([-a-zA-Z0-9_.]{0,10}[a-zA-Z0-9])?$/);
const userMap = fc.dictionary(userKey, userValue, { maxKeys: 3 });
const kumaKeyOverride = fc.oneof({ weight: 12, arbitrary: fc.constant<Record<string, string>>({}) }, {
  weight: 1,
  arbitrary: fc.constantFrom<Record<string, string>>(
    { 'kuma.io/gateway': 'provided' }, { 'kuma.io/virtual-probes': 'enabled' }, { 'kuma.io/application-probe-proxy-port': '9001' },
    { 'traffic.kuma.io/exclude-inbound-ports': '80' }, { 'kuma.io/sidecar-injected': 'true' }, { 'kuma.io/mesh': 'default' },
    { 'kuma.io/envoy-admin-port': '9999' }, { 'kuma.io/gateway': 'true' },
  ),
});

export const appSpec = fc.record({
  version: fc.constantFrom(...KumaVersion.supported),
  // Most apps use only what their version has (kinds its CRDs serve, annotations it reads), so every
  // version gets valid apps; the others check that the rest is refused.
  fit: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  meshMode: fc.option(fc.constantFrom(...Object.values(MeshServicesMode))),
  // names are unique per kind: two objects of one name are the user's own conflict, not Kuma's
  namespaces: fc.uniqueArray(fc.record({
    name,
    mesh: fc.option(fc.oneof({ weight: 30, arbitrary: fc.constantFrom('default', 'prod') }, { weight: 1, arbitrary: badName })),
    injection: fc.option(fc.constantFrom(SidecarInjection.ENABLED, SidecarInjection.DISABLED)),
    labels: userMap,
  }), { minLength: 1, maxLength: 3, selector: (n) => n.name }),
  services: fc.uniqueArray(fc.record({
    name,
    ns: fc.nat(),
    ports: fc.array(fc.record({ port, targetPort: fc.option(port), appProtocol: protocol, named: fc.boolean() }), { minLength: 1, maxLength: 3 }),
    mesh: fc.option(fc.constantFrom('default', 'prod')),
    annotations: userMap,
    labels: userMap,
    selector: fc.dictionary(userKey, userValue, { minKeys: 1, maxKeys: 2 }),
  }), { maxLength: 4, selector: (x) => x.name }),
  gateway: fc.option(fc.record({
    ns: fc.nat(),
    flavour: fc.constantFrom('generic', 'kong', 'kong-controller', 'ingress-nginx', 'traefik'),
    containerPort: port,
    podAnnotations: fc.tuple(userMap, kumaKeyOverride).map(([u, k]) => ({ ...u, ...k })),
    podLabels: userMap,
    envoyAdminPort: fc.option(port),
    drainSeconds: fc.option(fc.integer({ min: 0, max: 600 })),
    excludeOutboundPorts: fc.array(port, { maxLength: 3 }),
    excludeOutboundIps: fc.array(fc.oneof({ weight: 20, arbitrary: fc.constantFrom('10.0.0.0/8', '192.168.1.1', '2001:db8::/32') }, { weight: 1, arbitrary: fc.constantFrom('not-an-ip', '10.0.0.0/40') }), { maxLength: 2 }),
    sidecarEnv: fc.dictionary(fc.oneof({ weight: 20, arbitrary: fc.constantFrom('TZ', 'KUMA_X') }, { weight: 1, arbitrary: fc.constant('A=B') }),
      fc.oneof({ weight: 20, arbitrary: fc.constantFrom('UTC', 'x', '') }, { weight: 1, arbitrary: fc.constant('a;b') }), { maxKeys: 2 }),
    logLevel: fc.option(fc.constantFrom(...Object.values(EnvoyLogLevel))),
    concurrency: fc.option(fc.integer({ min: 0, max: 64 })),
    reachable: fc.boolean(),
    allow: fc.boolean(),
    denyByDefault: fc.boolean(),
    proxyService: fc.option(fc.record({
      type: fc.oneof(
        { weight: 4, arbitrary: fc.constant(kplus.ServiceType.LOAD_BALANCER) },
        { weight: 1, arbitrary: fc.constantFrom(kplus.ServiceType.NODE_PORT, kplus.ServiceType.CLUSTER_IP) },
      ),
      loadBalancerClass: fc.option(fc.constantFrom('service.k8s.aws/nlb'), { freq: 2 }),
      externalTrafficPolicy: fc.option(fc.constantFrom(ExternalTrafficPolicy.LOCAL, ExternalTrafficPolicy.CLUSTER)),
      port,
    })),
    zone: fc.option(fc.oneof({ weight: 20, arbitrary: label }, { weight: 1, arbitrary: fc.constant('Zone_1') })),
    timeoutSeconds: fc.option(fc.integer({ min: 0, max: 120 })),
    retries: fc.option(fc.integer({ min: 0, max: 10 })),
  })),
  // Kong's ingress chart output, adopted as a gateway (the Include path), and Kong's IngressClass
  // (one app in ten: parsing the chart dominates the run time)
  adoptKong: fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, {
    weight: 1,
    arbitrary: fc.record({
      mesh: fc.option(fc.constantFrom('default', 'prod')),
      excludeOutboundPorts: fc.array(port, { maxLength: 2 }),
      ignoreAdmin: fc.boolean(),
      envoyAdminPort: fc.option(port),
    }),
  }),
  kongClass: fc.boolean(),
  crossZone: fc.array(fc.record({
    service: fc.nat(),
    mode: fc.constantFrom('vip', 'hostname', 'mzs', 'mes'),
    // mostly one of the target's ports (by index), sometimes a port it does not declare
    port: fc.option(fc.oneof(
      { weight: 10, arbitrary: fc.nat().map((i) => ({ index: i })) },
      { weight: 1, arbitrary: port.map((p) => ({ port: p })) })),
    zone: fc.oneof({ weight: 20, arbitrary: label }, { weight: 1, arbitrary: fc.constant('Zone_1') }),
    routePort: fc.option(fc.constantFrom(80, 443, 8080)),
  }), { maxLength: 3 }),
});

export type AppSpec = typeof appSpec extends fc.Arbitrary<infer T> ? T : never;

/** Builds the app of a spec. Constructs are created in `order` (a permutation seed) where independent. */
export function buildApp(spec: AppSpec, reversed = false): { app: App; chart: Chart; routePortErrors: string[] } {
  const app = Testing.app();
  KumaVersion.use(app, spec.version);
  const chart = new Chart(app, 'fuzz');
  const caps = capabilitiesOf(spec.version);
  const reads = (key: string) => !spec.fit || caps.metadataKeys.has(key);
  const serves = (...kinds: string[]) => !spec.fit || kinds.every((k) => caps.servedKinds.has(k));
  const v30 = spec.version.atLeast(3, 0);
  let meshMode = v30 ? undefined : spec.meshMode ?? undefined;
  if (spec.fit && meshMode !== MeshServicesMode.DISABLED && !serves('MeshService')) meshMode = undefined;
  if (spec.fit && meshMode === MeshServicesMode.EXCLUSIVE && !caps.meshServiceRefs) meshMode = MeshServicesMode.EVERYWHERE;
  if (spec.meshMode !== null) new Mesh(chart, 'Mesh', { metadata: { name: 'default' }, meshServicesMode: meshMode });
  const nsList = spec.namespaces.map((n, i) => new MeshNamespace(chart, `Ns${i}`, {
    metadata: { name: n.name, labels: n.labels }, mesh: n.mesh ?? undefined, sidecarInjection: n.injection ?? undefined,
  }));
  const order = <T>(xs: T[]) => (reversed ? [...xs].reverse() : xs);
  const services: MeshService[] = [];
  for (const [i, s] of order(spec.services.map((svc, j) => [j, svc] as const))) {
    const svc = new MeshService(chart, `Svc${i}`, {
      metadata: { name: s.name, annotations: s.annotations, labels: s.labels },
      namespace: nsList[s.ns % nsList.length],
      mesh: s.mesh ?? undefined,
      selectorLabels: s.selector,
      ports: s.ports.map((p, k) => ({
        port: p.port, targetPort: p.targetPort ?? undefined, appProtocol: (p.appProtocol ?? undefined) as KumaProtocol | undefined, name: p.named || s.ports.length > 1 ? `p${k}` : undefined,
      })),
    });
    services[i] = svc;
  }
  const routePortErrors: string[] = [];
  const g = spec.gateway;
  if (g !== null) {
    const flavour = { 'generic': GatewayFlavour.generic(), 'kong': GatewayFlavour.kong(), 'kong-controller': GatewayFlavour.kongController(), 'ingress-nginx': GatewayFlavour.ingressNginx(), 'traefik': GatewayFlavour.traefik() }[g.flavour]!;
    const upstreams = services.filter((s) => s !== undefined);
    const gw = new DelegatedGatewayDeployment(chart, 'Gateway', {
      namespace: nsList[g.ns % nsList.length],
      flavour,
      podMetadata: { annotations: g.podAnnotations, labels: g.podLabels },
      containers: [{ image: 'gateway:1', portNumber: g.containerPort }],
      envoyAdminPort: g.envoyAdminPort ?? undefined,
      drainTime: g.drainSeconds === null ? undefined : Duration.seconds(g.drainSeconds),
      excludeOutboundPorts: g.excludeOutboundPorts,
      excludeOutboundIps: reads(KumaAnnotation.EXCLUDE_OUTBOUND_IPS) ? g.excludeOutboundIps : undefined,
      sidecarEnv: g.sidecarEnv,
      envoyLogLevel: g.logLevel ?? undefined,
      proxyConcurrency: g.concurrency ?? undefined,
      reachableServices: g.reachable && reads(KumaAnnotation.REACHABLE_SERVICES)
        ? upstreams.map((s) => ReachableService.fromMeshService(s, s.ports[0]?.port)) : undefined,
      reachableBackends: g.reachable && reads(KumaAnnotation.REACHABLE_BACKENDS) && upstreams.length > 0
        ? upstreams.map((s) => ReachableBackend.meshService(s)) : undefined,
    });
    for (const [i, s] of upstreams.entries()) {
      if (g.allow) gw.gateway.allowTo(`Allow${i}`, GatewayPermissionTarget.service(s, s.ports[0]?.port), { zone: g.zone ?? undefined });
    }
    // fit apps set HTTP options only where Kuma applies them (an upstream port of that protocol)
    const speaking = (...protocols: string[]) =>
      upstreams.filter((u) => !spec.fit || protocols.includes((u as any)._kumaProtocolOf(u.ports[0]?.port)));
    const timed = speaking(KumaProtocol.HTTP, KumaProtocol.HTTP2, KumaProtocol.GRPC);
    if (timed.length > 0 && g.timeoutSeconds !== null) gw.gateway.addTimeout('Timeout', { to: timed.map((service) => ({ service, port: service.ports[0]?.port })), requestTimeout: Duration.seconds(g.timeoutSeconds) });
    if (g.denyByDefault && !(spec.fit && v30)) gw.gateway.denyByDefault('Deny');
    if (g.proxyService !== null) {
      const ps = g.proxyService;
      gw.exposeViaProxyService({
        type: ps.type,
        loadBalancerClass: ps.loadBalancerClass ?? undefined,
        externalTrafficPolicy: ps.externalTrafficPolicy ?? undefined,
        ports: [{ port: ps.port, targetPort: g.containerPort }],
      });
    }
    const retried = speaking(KumaProtocol.HTTP, KumaProtocol.GRPC);
    if (retried.length > 0 && g.retries !== null) gw.gateway.addRetry('Retry', { to: retried.map((service) => ({ service, port: service.ports[0]?.port })), numRetries: g.retries });
  }
  if (spec.adoptKong !== null) {
    const k = spec.adoptKong;
    const kong = new Include(chart, 'KongChart', { url: KONG_CHART });
    const obj = (kind: string, n: string) => kong.apiObjects.find((o) => o.kind === kind && o.name === n)!;
    const proxy = DelegatedGateway.adopt(obj('Deployment', 'kong-gateway'), {
      flavour: GatewayFlavour.kong(),
      mesh: k.mesh ?? undefined,
      excludeOutboundPorts: k.excludeOutboundPorts,
      envoyAdminPort: k.envoyAdminPort ?? undefined,
    });
    DelegatedGateway.adopt(obj('Deployment', 'kong-controller'), { flavour: GatewayFlavour.kongController(), mesh: k.mesh ?? undefined });
    if (k.ignoreAdmin) proxy.ignoreService(obj('Service', 'kong-gateway-admin'));
  }
  if (spec.kongClass) new KongIngressClass(chart, 'KongClass', { parametersNamespace: nsList[0].name });
  for (const [i, z] of spec.crossZone.entries()) {
    const target = services[z.service % Math.max(services.length, 1)];
    if (target === undefined) continue;
    const kinds = { vip: [], hostname: ['MeshService', 'HostnameGenerator'], mzs: ['MeshMultiZoneService', 'HostnameGenerator'], mes: ['MeshExternalService', 'HostnameGenerator'] }[z.mode];
    if (!serves(...kinds) || (spec.fit && v30 && z.mode === 'vip')) continue;
    const declared = target.ports.map((p) => p.port);
    const zPort = z.port === null ? undefined : 'index' in z.port ? declared[z.port.index % Math.max(declared.length, 1)] : z.port.port;
    const address = {
      vip: () => MeshAddress.kumaServiceVip(target, zPort),
      hostname: () => MeshAddress.meshService(target, z.zone, zPort),
      mzs: () => MeshAddress.meshMultiZoneService(v30
        // 3.x: created on the Universal global control plane, referred to here
        ? MeshMultiZoneService.fromMeshMultiZoneServiceAttributes(chart, `Mzs${i}`, { name: target.name, ports: [zPort ?? 8080] })
        : new MeshMultiZoneService(chart, `Mzs${i}`, { selector: { 'kuma.io/display-name': target.name }, ports: [{ port: zPort ?? 8080 }] }), zPort),
      mes: () => MeshAddress.meshExternalService(target.name, zPort ?? 443),
    }[z.mode]();
    const cz = new CrossZoneExternalName(chart, `CrossZone${i}`, { target: address, namespace: nsList[0] });
    if (z.routePort !== null) {
      try {
        cz.toHttpRouteBackendRef(z.routePort);
      } catch (e) {
        if (!KumaErrors.isKumaConfigError(e)) throw e;
        routePortErrors.push(String((e as Error).message));
      }
    }
  }
  return { app, chart, routePortErrors };
}

/** Whether an error is one this library documents: its own, or cdk8s's synth-time validation failure. */
export function isDocumentedError(e: unknown): boolean {
  return KumaErrors.isKumaConfigError(e) || (e instanceof Error && e.message.startsWith('Validation failed with the following errors:'));
}

/**
 * Builds and synthesizes one app. Returns undefined when everything emitted is valid, or the
 * library's documented error when it refused the app. Anything else throws.
 */
export function checkApp(spec: AppSpec): Error | undefined {
  let manifests: any[];
  try {
    const { app } = buildApp(spec);
    manifests = synthValid(app);
  } catch (e) {
    if (isDocumentedError(e)) return e as Error;
    throw e;
  }
  const violations = kumaRuleViolations(manifests, { kuma3: spec.version.atLeast(3, 0) });
  if (violations.length > 0) throw new Error(`emitted objects break Kuma's rules:\n${violations.join('\n')}`);
  checkPreserved(spec, manifests);
  return undefined;
}

/** Every label and annotation the user set is in the output, unchanged. */
function checkPreserved(spec: AppSpec, manifests: any[]): void {
  const find = (kind: string, n: string, ns?: string) =>
    manifests.filter((m) => m.kind === kind && m.metadata.name === n && m.metadata.namespace === ns);
  for (const ns of spec.namespaces) {
    for (const obj of find('Namespace', ns.name)) expectSubset(obj.metadata.labels ?? {}, ns.labels, `Namespace ${ns.name} labels`);
  }
  for (const s of spec.services) {
    const namespace = spec.namespaces[s.ns % spec.namespaces.length].name;
    for (const obj of find('Service', s.name, namespace)) {
      expectSubset(obj.metadata.labels ?? {}, s.labels, `Service ${s.name} labels`);
      expectSubset(obj.metadata.annotations ?? {}, s.annotations, `Service ${s.name} annotations`);
    }
  }
  const g = spec.gateway;
  if (g !== null) {
    const tpl = manifests.find((m) => m.kind === 'Deployment')?.spec.template.metadata;
    if (tpl) {
      expectSubset(tpl.labels ?? {}, g.podLabels, 'gateway pod labels');
      expectSubset(tpl.annotations ?? {}, g.podAnnotations, 'gateway pod annotations');
    }
  }
}

/**
 * List annotations the gateway merges with the user's (README: "list annotations are merged"): the
 * user's items must come first and unchanged.
 */
const MERGED_LISTS = [
  'traffic.kuma.io/exclude-inbound-ports', 'traffic.kuma.io/exclude-outbound-ports', 'traffic.kuma.io/exclude-outbound-ips',
  'kuma.io/transparent-proxying-reachable-services', 'kuma.io/container-patches',
];

function expectSubset(actual: Record<string, string>, expected: Record<string, string>, what: string): void {
  for (const [k, v] of Object.entries(expected)) {
    const kept = MERGED_LISTS.includes(k) && actual[k] !== undefined
      ? actual[k].split(',').slice(0, v.split(',').length).join(',') === v
      : actual[k] === v;
    if (!kept) throw new Error(`${what}: the user's ${k}=${JSON.stringify(v)} became ${JSON.stringify(actual[k])}`);
  }
}
