/**
 * The bad-input catalogue: misconfigurations drawn from Kuma's code and docs (each entry's `source`) and the problems users
 * report, each with the exact message a user sees. The README lists it (test/bad-input-catalogue
 * checks that the two agree).
 */
import * as path from 'path';
import { ApiObject, Chart, Duration, Include, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  ContainerPatch, ContainerPatchOperation, CrossZoneExternalName, DelegatedGateway, DelegatedGatewayDeployment, GatewayFlavour,
  GatewayPermissionTarget, GatewayProxyService, KongIngressClass, KumaControlPlane, KumaProtocol, KumaVersion, Mesh, MeshAddress,
  MeshMultiZoneService,
  MeshNamespace, MeshService, MeshServicesMode,
  ReachableBackend, ReachableService, RetryOn, ServiceUpstream, SidecarInjection,
} from '../../src';

export interface CatalogueEntry {
  readonly id: string;
  /** The misconfiguration, in a user's words. */
  readonly what: string;
  /** Where the rule comes from. */
  readonly source: string;
  /** Does the wrong thing; construction or synth must throw `message`. */
  readonly run: () => void;
  readonly message: string;
}

const chart = (ns?: string) => new Chart(Testing.app(), 'app', { namespace: ns });
const synth = (c: Chart) => Testing.synth(c);
const gateway = (c: Chart, props: any = {}) => new DelegatedGatewayDeployment(c, 'Gw', { containers: [{ image: 'kong', portNumber: 8000 }], ...props });
const kongNs = (c: Chart) => new MeshNamespace(c, 'Kong', { metadata: { name: 'kong' } });
const v30 = () => {
  const a = Testing.app();
  KumaVersion.use(a, KumaVersion.V3_0);
  return new Chart(a, 'app', { namespace: 'kong' });
};

export const CATALOGUE: CatalogueEntry[] = [
  {
    id: 'B01',
    what: 'kuma.io/gateway on the Deployment instead of the pod template',
    source: '[delegated gateways](https://developer.konghq.com/mesh/delegated-gateways/), seed',
    run: () => gateway(chart(), { metadata: { annotations: { 'kuma.io/gateway': 'enabled' } } }),
    message: 'app/Gw: metadata.annotations["kuma.io/gateway"] "enabled" is on the workload, where Kuma never reads it: only the pod template\'s annotation makes a delegated gateway. Remove it from the workload\'s metadata; the pod template gets kuma.io/gateway: enabled from this construct.',
  },
  {
    id: 'B02',
    what: 'kuma.io/gateway: provided on a gateway pod (Kuma 2.x)',
    source: '[delegated gateways](https://developer.konghq.com/mesh/delegated-gateways/)',
    run: () => gateway(chart(), { podMetadata: { annotations: { 'kuma.io/gateway': 'provided' } } }),
    message: 'app/Gw: pod annotation "kuma.io/gateway" "provided" is not "enabled", the only delegated-gateway value: Kuma 2.x\'s injector rejects "provided", 3.0 drops it, and other values do not make a delegated gateway. Remove it; the gateway sets kuma.io/gateway: enabled.',
  },
  {
    id: 'B03',
    what: 'kuma.io/gateway on a gateway pod for Kuma 3.x, which removed it',
    source: 'kumahq/kuma#18662',
    run: () => gateway(v30(), { podMetadata: { annotations: { 'kuma.io/gateway': 'enabled' } } }),
    message: 'app/Gw: pod annotation "kuma.io/gateway" "enabled" is removed in Kuma 3.x (kumahq/kuma#18662): a gateway is an ordinary Dataplane that keeps its listener ports out of inbound redirection. Remove it; the gateway writes traffic.kuma.io/exclude-inbound-ports with its ports.',
  },
  {
    id: 'B04',
    what: 'virtual probes enabled on a gateway pod',
    source: '[annotation reference](https://developer.konghq.com/mesh/annotations)',
    run: () => gateway(chart(), { podMetadata: { annotations: { 'kuma.io/virtual-probes': 'enabled' } } }),
    message: 'app/Gw: pod annotation "kuma.io/virtual-probes" "enabled" makes injection fail on a gateway pod ("virtual probes can\'t be enabled in gateway mode"). Remove it from the pod template.',
  },
  {
    id: 'B05',
    what: 'application probe proxy port > 0 on a gateway pod',
    source: '[annotation reference](https://developer.konghq.com/mesh/annotations)',
    run: () => gateway(chart(), { podMetadata: { annotations: { 'kuma.io/application-probe-proxy-port': '9001' } } }),
    message: 'app/Gw: pod annotation "kuma.io/application-probe-proxy-port" "9001" makes injection fail on a gateway pod ("application probe proxies probes can\'t be enabled in gateway mode"). Remove it or set it to "0".',
  },
  {
    id: 'B06',
    what: 'exclude-inbound-ports on a gateway pod',
    source: '[annotation reference](https://developer.konghq.com/mesh/annotations)',
    run: () => gateway(chart(), { podMetadata: { annotations: { 'traffic.kuma.io/exclude-inbound-ports': '8000' } } }),
    message: 'app/Gw: pod annotation "traffic.kuma.io/exclude-inbound-ports" "8000" has no effect on a delegated gateway: Kuma does not redirect its inbound traffic. Remove it from the pod template.',
  },
  {
    id: 'B07',
    what: 'kuma.io/transparent-proxying set by hand',
    source: '[annotation reference](https://developer.konghq.com/mesh/annotations)',
    run: () => gateway(chart(), { podMetadata: { annotations: { 'kuma.io/transparent-proxying': 'disabled' } } }),
    message: 'app/Gw: pod annotation "kuma.io/transparent-proxying" "disabled" is set by Kuma\'s injector; a per-pod value is ignored or unsupported. Remove it from the pod template.',
  },
  {
    id: 'B08',
    what: 'kuma.io/sidecar-injected set by hand',
    source: '[annotation reference](https://developer.konghq.com/mesh/annotations) (written by the injector)',
    run: () => gateway(chart(), { podMetadata: { annotations: { 'kuma.io/sidecar-injected': 'true' } } }),
    message: 'app/Gw: pod annotation "kuma.io/sidecar-injected" "true" is written by Kuma\'s injector to mark injected pods; set by hand it makes Kuma treat a pod as injected. Remove it from the pod template.',
  },
  {
    id: 'B09',
    what: 'kuma.io/sidecar-injection as an annotation',
    source: '[labels](https://developer.konghq.com/mesh/annotations)',
    run: () => gateway(chart(), { podMetadata: { annotations: { 'kuma.io/sidecar-injection': 'enabled' } } }),
    message: 'app/Gw: pod annotation "kuma.io/sidecar-injection" "enabled" is an annotation, which Kuma has not read since 2.2: injection is a label. Remove it; the gateway sets the label.',
  },
  {
    id: 'B10',
    what: 'kuma.io/mesh as an annotation on a gateway pod (2.8+)',
    source: '[labels](https://developer.konghq.com/mesh/annotations)',
    run: () => gateway(chart(), { podMetadata: { annotations: { 'kuma.io/mesh': 'default' } } }),
    message: 'app/Gw: pod annotation "kuma.io/mesh" "default" is an annotation, which Kuma 2.8+ treats as deprecated and 3.0 ignores (target 2.14): the mesh is a label. Remove it; the gateway sets the label.',
  },
  {
    id: 'B11',
    what: 'a pod label disabling injection on a gateway',
    source: '[labels](https://developer.konghq.com/mesh/annotations)',
    run: () => gateway(chart(), { podMetadata: { labels: { 'kuma.io/sidecar-injection': 'disabled' } } }),
    message: 'app/Gw: pod label "kuma.io/sidecar-injection" "disabled" cannot stay on a delegated gateway pod: the pods webhook of Kuma injects a pod only with the label value "enabled". Remove it or set it to "enabled".',
  },
  {
    id: 'B12',
    what: 'a gateway in a namespace without the injection label',
    source: '[labels](https://developer.konghq.com/mesh/annotations), seed',
    run: () => {
      const c = chart();
      gateway(c, { namespace: MeshNamespace.fromNamespaceAttributes(c, 'Kong', { name: 'kong' }) });
      synth(c);
    },
    message: '[app/Gw/DelegatedGateway] namespace "kong" has no kuma.io/sidecar-injection label, so Kuma\'s pod webhook never sees the gateway pods (it requires the namespace label to exist) and they run without a sidecar. Label the namespace kuma.io/sidecar-injection=enabled (a MeshNamespace does).',
  },
  {
    id: 'B13',
    what: 'a gateway pod without a service-account token',
    source: '[annotation reference](https://developer.konghq.com/mesh/annotations); Kong chart',
    run: () => {
      const c = chart();
      gateway(c, { namespace: kongNs(c), automountServiceAccountToken: false });
      synth(c);
    },
    message: '[app/Gw/DelegatedGateway] automountServiceAccountToken false leaves the sidecar without the service-account token it authenticates to the control plane with. Set automountServiceAccountToken to true, or mount a projected token volume and name it in serviceAccountTokenVolume.',
  },
  {
    id: 'B14',
    what: 'a service-account token volume the pod does not have',
    source: '[annotation reference](https://developer.konghq.com/mesh/annotations)',
    run: () => {
      const c = chart();
      gateway(c, { namespace: kongNs(c), serviceAccountTokenVolume: 'token' });
      synth(c);
    },
    message: '[app/Gw/DelegatedGateway] serviceAccountTokenVolume "token" is not a volume of the pod (volumes: none), so Kuma\'s injector fails ("volume specified for kuma.io/service-account-token-volume but volume does not exist in pod spec"). Add the volume to the pod or name one of its volumes.',
  },
  {
    id: 'B15',
    what: 'the Envoy admin port on a port the gateway listens on',
    source: '[annotation reference](https://developer.konghq.com/mesh/annotations), Kuma `validators.go`',
    run: () => {
      const c = chart();
      gateway(c, { namespace: kongNs(c), envoyAdminPort: 8000 });
      synth(c);
    },
    message: '[app/Gw/DelegatedGateway] envoyAdminPort 8000 is also a container port of the gateway pod; the sidecar\'s Envoy admin API and the gateway would both bind it. Set envoyAdminPort to a port no container uses.',
  },
  {
    id: 'B16',
    what: 'a gateway container on Kuma\'s default admin port 9901',
    source: '[annotation reference](https://developer.konghq.com/mesh/annotations)',
    run: () => {
      const c = chart();
      new DelegatedGatewayDeployment(c, 'Gw', { namespace: kongNs(c), containers: [{ image: 'envoy', portNumber: 9901 }] });
      synth(c);
    },
    message: '[app/Gw/DelegatedGateway] envoyAdminPort 9901 is also a container port of the gateway pod; the sidecar\'s Envoy admin API (Kuma\'s default port) and the gateway would both bind it. Set envoyAdminPort to a port no container uses.',
  },
  {
    id: 'B17',
    what: 'a sidecar env var value with ";"',
    source: '[annotation reference](https://developer.konghq.com/mesh/annotations)',
    run: () => gateway(chart(), { sidecarEnv: { OPTS: 'a;b' } }),
    message: 'app/Gw/DelegatedGateway: sidecarEnv["OPTS"] "a;b" contains \';\' or \'=\', which kuma.io/sidecar-env-vars cannot carry (it is written K=V;K2=V2). Pass the value through a ContainerPatch instead.',
  },
  {
    id: 'B18',
    what: 'a container patch outside the control plane namespace',
    source: '[annotation reference](https://developer.konghq.com/mesh/annotations)',
    run: () => {
      const c = chart();
      const p = new ContainerPatch(c, 'P', { metadata: { name: 'p' }, namespace: 'kong', sidecarPatch: [ContainerPatchOperation.remove('/resources')] });
      gateway(c, { containerPatches: [p] });
    },
    message: 'app/Gw/DelegatedGateway: containerPatches[] "kong/p" is not in the control plane namespace "kuma-system", the only place Kuma\'s injector looks for patches, so injection would fail ("some expected container patches are missing"). Create the ContainerPatch in "kuma-system" (its namespace prop), or set controlPlaneNamespace.',
  },
  {
    id: 'B19',
    what: 'an empty reachable-backends list',
    source: '[annotation reference](https://developer.konghq.com/mesh/annotations)',
    run: () => gateway(chart(), { reachableBackends: [] }),
    message: 'app/Gw/DelegatedGateway: reachableBackends [] is empty, which Kuma reads as "reach nothing": the gateway could not send anywhere. Leave reachableBackends unset to reach every backend, or list them.',
  },
  {
    id: 'B20',
    what: 'a reachable backend name Kuma rejects',
    source: 'Kuma `validators.go`',
    run: () => gateway(chart('kong'), { reachableBackends: [ReachableBackend.meshServiceNamed('Redis', 'cache')] }),
    message: 'app/Gw/DelegatedGateway: reachableBackends[0].name "Redis" is not a valid RFC 1035 label (lowercase letters, digits and \'-\', starting with a letter and ending with a letter or digit). Use a name such as "redis".',
  },
  {
    id: 'B21',
    what: 'an excluded outbound IP that is not an IP or CIDR',
    source: '[annotation reference](https://developer.konghq.com/mesh/annotations)',
    run: () => gateway(chart(), { excludeOutboundIps: ['db.internal'] }),
    message: 'app/Gw/DelegatedGateway: excludeOutboundIps[] "db.internal" is not an IP address or CIDR. Use a form such as "10.0.0.0/8" or "2001:db8::1".',
  },
  {
    id: 'B22',
    what: 'a Service port outside 1..65535',
    source: 'Kuma `validators.go`',
    run: () => new MeshService(chart('shop'), 'Web', { ports: [{ port: 70000 }] }),
    message: 'app/Web: ports[0].port 70000 is not a port number. Use an integer from 1 to 65535.',
  },
  {
    id: 'B23',
    what: 'an appProtocol Kuma does not parse',
    source: 'Kuma `protocol.go`',
    run: () => new MeshService(chart('shop'), 'Web', { ports: [{ port: 80, appProtocol: 'websocket' as KumaProtocol }] }),
    message: 'app/Web: ports[0].appProtocol "websocket" is not a protocol Kuma parses (http, http2, grpc, tcp, tls, kafka, mysql); Kuma would ignore it and treat the port as tcp. Use a KumaProtocol value.',
  },
  {
    id: 'B24',
    what: 'an appProtocol on a UDP port',
    source: 'Kuma `protocol.go`',
    run: () => new MeshService(chart('shop'), 'Dns', { ports: [{ port: 53, protocol: kplus.Protocol.UDP, appProtocol: KumaProtocol.TCP }] }),
    message: 'app/Dns: ports[0].protocol "UDP" cannot carry an appProtocol: Kuma only meshes TCP Service ports. Remove appProtocol or use Protocol.TCP.',
  },
  {
    id: 'B25',
    what: 'a Service name over 63 characters (the MeshService limit)',
    source: 'Kuma `validators.go`',
    run: () => new MeshService(chart('shop'), 'Web', { metadata: { name: 'w'.repeat(64) } }),
    message: `app/Web: metadata.name "${'w'.repeat(64)}" is 64 characters long; Kubernetes Service names and the MeshService names Kuma derives from them allow at most 63. Choose a shorter name.`,
  },
  {
    id: 'B26',
    what: 'a Service name that is not DNS-1035',
    source: 'Kubernetes; Kuma `validators.go`',
    run: () => new MeshService(chart('shop'), 'Web', { metadata: { name: 'Web_Front' } }),
    message: 'app/Web: metadata.name "Web_Front" is not a valid RFC 1035 label (lowercase letters, digits and \'-\', starting with a letter and ending with a letter or digit). Use a name such as "web-front".',
  },
  {
    id: 'B27',
    what: 'a meshed Service of type ExternalName',
    source: '[delegated gateways](https://developer.konghq.com/mesh/delegated-gateways/), Kuma `protocol.go`',
    run: () => new MeshService(chart('shop'), 'Web', { type: kplus.ServiceType.EXTERNAL_NAME }),
    message: 'app/Web: type "ExternalName" is not a meshed Service: Kuma builds no inbounds for ExternalName Services and never annotates them. Use CLUSTER_IP, NODE_PORT or LOAD_BALANCER; for a name in another zone use the .mesh address.',
  },
  {
    id: 'B28',
    what: 'service-upstream set to "false" on a Service the gateway routes to',
    source: '[delegated gateways](https://developer.konghq.com/mesh/delegated-gateways/), kumahq/kuma#11994',
    run: () => new MeshService(chart('shop'), 'Web', { metadata: { annotations: { 'ingress.kubernetes.io/service-upstream': 'false' } } }),
    message: 'app/Web: metadata.annotations["ingress.kubernetes.io/service-upstream"] "false" is already set and differs from "true"; with it the gateway would send to pod IPs and bypass the mesh. Remove the annotation or set it to "true".',
  },
  {
    id: 'B29',
    what: 'service-upstream on an ExternalName Service',
    source: '[delegated gateways](https://developer.konghq.com/mesh/delegated-gateways/)',
    run: () => {
      const c = chart();
      const obj = new ApiObject(c, 'Partner', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'partner' }, spec: { type: 'ExternalName', externalName: 'partner.example.com' } });
      ServiceUpstream.annotate(obj);
      synth(c);
    },
    message: '[app/Partner] spec.type "ExternalName" cannot take service-upstream: an ExternalName Service has no ClusterIP or endpoints, and Kuma never annotates one. Do not annotate ExternalName Services; point them at a .mesh name instead.',
  },
  {
    id: 'B30',
    what: 'service-upstream put on the Service for ingress-nginx (it reads the Ingress)',
    source: 'kubernetes/ingress-nginx serviceupstream',
    run: () => GatewayFlavour.ingressNginx().useServiceUpstream(new kplus.Service(chart('shop'), 'Web', { ports: [{ port: 80 }] })),
    message: 'app/Web: kind "v1/Service" is not what the ingress-nginx flavour annotates: ingress-nginx reads service-upstream from the Ingress, not from the Service. Pass the networking.k8s.io/v1/Ingress.',
  },
  {
    id: 'B31',
    what: 'a mesh name Kuma rejects',
    source: 'Kuma `validators.go`',
    run: () => new MeshNamespace(chart(), 'Shop', { metadata: { name: 'shop' }, mesh: 'Prod_Mesh' }),
    message: 'app/Shop: mesh "Prod_Mesh" is not a mesh name Kuma accepts (a lowercase RFC 1123 subdomain: lowercase letters, digits, \'-\' and \'.\', starting and ending with a letter or digit; at most 63 characters because it is the value of the kuma.io/mesh label). Use the name of an existing Mesh, such as "default" or "prod-mesh".',
  },
  {
    id: 'B32',
    what: 'a namespace injection label value Kuma cannot parse',
    source: 'Kuma `annotations.go` (`GetEnabled`)',
    run: () => MeshNamespace.fromNamespaceAttributes(chart(), 'Legacy', { name: 'legacy', sidecarInjectionLabel: 'on' }),
    message: 'app/Legacy: sidecarInjectionLabel "on" is not a kuma.io/sidecar-injection value Kuma parses (enabled, disabled, true, false; yes and no are deprecated), so its injector would fail for every pod of the namespace. Use "enabled" or "disabled".',
  },
  {
    id: 'B33',
    what: 'a namespace label that contradicts the mesh prop',
    source: 'never override a user\'s value',
    run: () => new MeshNamespace(chart(), 'Shop', { metadata: { labels: { 'kuma.io/mesh': 'prod' } }, mesh: 'dev' }),
    message: 'app/Shop: metadata.labels["kuma.io/mesh"] "prod" contradicts the mesh prop "dev". Remove the label from metadata.labels or make it equal to mesh.',
  },
  {
    id: 'B34',
    what: 'a .mesh VIP routed on its service port instead of 80',
    source: 'Kuma `.mesh` VIPs; Kong\'s ExternalName recipe',
    run: () => {
      const c = chart('kong');
      const web = MeshService.fromServiceAttributes(c, 'Web', { name: 'web', namespace: 'shop', ports: [8080] });
      new CrossZoneExternalName(c, 'WebA', { target: MeshAddress.kumaServiceVip(web) }).toIngressBackend(8080);
    },
    message: 'app/WebA: port 8080 is not the port routes to this ExternalName must use: .mesh VIPs listen on port 80 only, whatever the service port. Use port 80 (routePort).',
  },
  {
    id: 'B35',
    what: 'a .mesh VIP in a mesh running meshServices Exclusive',
    source: 'Kuma `.mesh` VIPs (`serviceVipPort`)',
    run: () => {
      const c = chart('kong');
      new Mesh(c, 'Mesh', { metadata: { name: 'default' }, meshServicesMode: MeshServicesMode.EXCLUSIVE });
      const web = MeshService.fromServiceAttributes(c, 'Web', { name: 'web', namespace: 'shop', ports: [8080] });
      new CrossZoneExternalName(c, 'WebA', { metadata: { name: 'web-a' }, target: MeshAddress.kumaServiceVip(web) });
      synth(c);
    },
    message: '[app/WebA] target "web.shop.svc.8080.mesh" is not served by mesh "default": Kuma does not serve .mesh VIPs in meshServices.mode Exclusive (mesh_context_builder.go builds them only when the mode is not Exclusive). Use MeshAddress.meshService() or meshMultiZoneService() (real port), or another meshServices.mode.',
  },
  {
    id: 'B36',
    what: 'a MeshService hostname in a mesh without MeshServices',
    source: 'Kuma\'s HostnameGenerators',
    run: () => {
      const c = chart('kong');
      new Mesh(c, 'Mesh', { metadata: { name: 'default' } });
      const web = MeshService.fromServiceAttributes(c, 'Web', { name: 'web', namespace: 'shop', ports: [8080] });
      new CrossZoneExternalName(c, 'WebA', { metadata: { name: 'web-a' }, target: MeshAddress.meshService(web, 'zone-a') });
      synth(c);
    },
    message: '[app/WebA] target "web.shop.svc.zone-a.mesh.local" is not served by mesh "default": Kuma generates no MeshServices, and so no .mesh.local hostnames, in meshServices.mode Disabled. Use MeshAddress.kumaServiceVip(), or enable MeshServices in the Mesh.',
  },
  {
    id: 'B37',
    what: 'a zone name that cannot be a DNS label',
    source: 'Kuma\'s HostnameGenerators',
    run: () => {
      const c = chart('kong');
      const web = MeshService.fromServiceAttributes(c, 'Web', { name: 'web', namespace: 'shop', ports: [8080] });
      new CrossZoneExternalName(c, 'WebA', { target: MeshAddress.meshService(web, 'EU_West') });
    },
    message: 'app/WebA: zone "EU_West" is not a zone name that fits in a hostname (a lowercase RFC 1123 label, at most 63 characters). Pass the zone name exactly as the Kuma zone control plane is configured (KUMA_MULTIZONE_ZONE_NAME).',
  },
  {
    id: 'B38',
    what: 'a MeshMultiZoneService name over 63 characters (3.0 rejects it)',
    source: 'Kuma `validators.go`',
    run: () => new MeshMultiZoneService(chart(), 'Mzs', { metadata: { name: 'm'.repeat(64) }, selector: { app: 'web' }, ports: [{ port: 80 }] }),
    message: `app/Mzs: metadata.name "${'m'.repeat(64)}" is 64 characters long; Kubernetes Service names and the MeshService names Kuma derives from them allow at most 63. Choose a shorter name.`,
  },
  {
    id: 'B39',
    what: 'Mesh mTLS in Kuma 3.0',
    source: 'Kong Mesh 3.x docs',
    run: () => new Mesh(v30(), 'Mesh', { mtls: true }),
    message: 'app/Mesh: mtls true is removed from the Mesh API in Kuma 3.0 (identity comes from MeshIdentity and MeshTrust). Remove mtls and declare a MeshIdentity (kuma.MeshIdentity) instead.',
  },
  {
    id: 'B40',
    what: 'a MeshTrafficPermission for Kuma 3.0 without the gateway\'s zone',
    source: 'Kong Mesh 3.x docs',
    run: () => {
      const c = v30();
      const web = MeshService.fromServiceAttributes(c, 'Web', { name: 'web', namespace: 'shop', ports: [80], selectorLabels: { app: 'web' } });
      gateway(c).gateway.allowTo('Allow', GatewayPermissionTarget.service(web));
    },
    message: 'app/Gw/DelegatedGateway/Allow: zone is required for Kuma 3.0: permissions match the gateway by its SPIFFE ID, which contains the zone. Pass the zone the gateway runs in, or set it once with KumaControlPlane.use(app, { zone }).',
  },
  {
    id: 'B41',
    what: 'a mesh-wide deny of the gateway in Kuma 3.0',
    source: 'Kong docs, MeshTrafficPermission rules',
    run: () => gateway(v30()).gateway.denyByDefault('Deny'),
    message: 'app/Gw/DelegatedGateway/Deny: KumaVersion "3.0" has no mesh-wide deny that allows can override: a 3.0 deny matcher wins over every allow, and 3.0 already denies what no permission allows. Drop denyByDefault() for 3.0, and keep mesh-wide allows from covering the gateway\'s identity.',
  },
  {
    id: 'B42',
    what: 'a gateway policy with a zero timeout',
    source: 'MeshTimeout CRD',
    run: () => {
      const c = chart('kong');
      const web = MeshService.fromServiceAttributes(c, 'Web', { name: 'web', namespace: 'shop', ports: [80] });
      gateway(c).gateway.addTimeout('T', { to: [{ service: web }], requestTimeout: Duration.seconds(0) });
    },
    message: 'app/Gw/DelegatedGateway/T: requestTimeout "0 seconds" is not a positive duration. Use at least one millisecond.',
  },
  {
    id: 'B43',
    what: 'adopting a Service as if it were the gateway workload',
    source: '[delegated gateways](https://developer.konghq.com/mesh/delegated-gateways/)',
    run: () => {
      const c = chart();
      const inc = new Include(c, 'Kong', { url: path.join(__dirname, '..', '..', 'examples', 'helm', 'kong-ingress.yaml') });
      DelegatedGateway.adopt(inc.apiObjects.find((o) => o.name === 'kong-gateway-proxy')!);
    },
    message: 'app/Kong/kong-gateway-proxy-service-kong: workload "v1/Service" is not a workload whose pods can become a delegated gateway. Pass a cdk8s-plus Deployment, StatefulSet or DaemonSet (of any cdk8s-plus major), or the apps/v1 ApiObject of one (for example from Include).',
  },
  {
    id: 'B44',
    what: 'a loadBalancerClass on a proxy Service that is not a LoadBalancer',
    source: 'Kubernetes Service validation',
    run: () => new GatewayProxyService(chart(), 'Proxy', { type: kplus.ServiceType.NODE_PORT, loadBalancerClass: 'nlb' }),
    message: 'app/Proxy: loadBalancerClass "nlb" is only allowed on a LoadBalancer Service (type is NodePort). Remove loadBalancerClass or use ServiceType.LOAD_BALANCER.',
  },
  {
    id: 'B45',
    what: 'an IngressClassParameters namespace that is not a namespace name',
    source: 'Kubernetes',
    run: () => new KongIngressClass(chart(), 'Class', { parametersNamespace: 'Kong_NS' }),
    message: 'app/Class: parametersNamespace "Kong_NS" is not a valid RFC 1123 label (lowercase letters, digits and \'-\', starting and ending with a letter or digit, at most 63 characters). Use a name such as "kong-ns".',
  },
  {
    id: 'B46',
    what: 'a namespace with sidecar injection written as "on"',
    source: 'Kuma `annotations.go` (`GetEnabled`)',
    run: () => new MeshNamespace(chart(), 'Shop', { sidecarInjection: 'on' as SidecarInjection }),
    message: 'app/Shop: sidecarInjection "on" is not a SidecarInjection value. Use SidecarInjection.ENABLED or SidecarInjection.DISABLED.',
  },
  {
    id: 'B47',
    what: 'a MeshMultiZoneService for a Kuma version whose CRDs lack the kind (2.6 - 2.8)',
    source: 'Kuma CRDs per version (test/conformance/kuma)',
    run: () => {
      const a = Testing.app();
      KumaVersion.use(a, KumaVersion.V2_8);
      new MeshMultiZoneService(new Chart(a, 'app'), 'Mzs', { selector: { app: 'web' }, ports: [{ port: 80 }] });
    },
    message: 'app/Mzs: KumaVersion "2.8" does not serve MeshMultiZoneService: Kuma\'s CRDs have that kind in 2.9 to 3.0. Target a version that has it (KumaVersion.use()), or drop the MeshMultiZoneService.',
  },
  {
    id: 'B48',
    what: 'excludeOutboundIps for Kuma 2.8, which does not read traffic.kuma.io/exclude-outbound-ips',
    source: 'Kuma annotations.go per version',
    run: () => {
      const a = Testing.app();
      KumaVersion.use(a, KumaVersion.V2_8);
      const c = new Chart(a, 'app');
      gateway(c, { namespace: kongNs(c), excludeOutboundIps: ['10.0.0.0/8'] });
      synth(c);
    },
    message: '[app/Gw/DelegatedGateway] pod annotation "traffic.kuma.io/exclude-outbound-ips" "10.0.0.0/8" is not read by Kuma 2.8: Kuma\'s annotation catalogue (annotations.go) has it from 2.9 on. Drop excludeOutboundIps for Kuma 2.8, or target Kuma 2.9 or newer (KumaVersion.use()).',
  },
  {
    id: 'B49',
    what: 'reachableServices for Kuma 3.0, which removed kuma.io/transparent-proxying-reachable-services',
    source: 'Kuma annotations.go (3.0 line), UPGRADE.md',
    run: () => {
      const c = v30();
      gateway(c, { namespace: kongNs(c), reachableServices: [ReachableService.fromName('web_shop_svc_80')] });
      synth(c);
    },
    message: '[app/Gw/DelegatedGateway] pod annotation "kuma.io/transparent-proxying-reachable-services" "web_shop_svc_80" is not read by Kuma 3.0: Kuma\'s annotation catalogue (annotations.go) has it up to 2.14 only. Use reachableBackends (kuma.io/reachable-backends) instead.',
  },
  {
    id: 'B50',
    what: 'a gateway container running as the sidecar\'s UID 5678',
    source: 'Kuma injector.go',
    run: () => {
      const c = chart();
      gateway(c, { namespace: kongNs(c), containers: [{ name: 'kong', image: 'kong', portNumber: 8000, securityContext: { user: 5678 } }] });
      synth(c);
    },
    message: '[app/Gw/DelegatedGateway] securityContext.runAsUser 5678 is the UID of Kuma\'s sidecar, so its injector fails the pod ("containers using same UID as sidecar is unsupported": kong). Run the gateway containers as another user.',
  },
  {
    id: 'B51',
    what: 'a chart\'s kuma.io/sidecar-env-vars that Kuma\'s injector cannot parse',
    source: 'Kuma `annotations.go` (`GetMap`)',
    run: () => gateway(chart(), { podMetadata: { annotations: { 'kuma.io/sidecar-env-vars': 'A=1;B' } } }),
    message: 'app/Gw: pod annotation "kuma.io/sidecar-env-vars" "A=1;B" is not KEY=VALUE pairs separated by ";" (Kuma: "invalid format. Map in ... has to be provided in the following format: key1=value1;key2=value2"), so Kuma\'s injector fails the pod. Correct the value, or set it through the gateway\'s options.',
  },
  {
    id: 'B52',
    what: 'a .mesh.local MeshService address for Kuma 2.6, which has no MeshService or HostnameGenerator',
    source: 'Kuma CRDs per version (test/conformance/kuma)',
    run: () => {
      const a = Testing.app();
      KumaVersion.use(a, KumaVersion.V2_6);
      const c = new Chart(a, 'app');
      const web = MeshService.fromServiceAttributes(c, 'Web', { name: 'web', namespace: 'shop', ports: [80] });
      new CrossZoneExternalName(c, 'X', { metadata: { name: 'x', namespace: 'kong' }, target: MeshAddress.meshService(web, 'zone-a') });
      synth(c);
    },
    message: '[app/X] target "web.shop.svc.zone-a.mesh.local" is not served by Kuma 2.6: Kuma 2.6\'s CRDs have no MeshService or HostnameGenerator (MeshService: 2.7 to 3.0; HostnameGenerator: 2.8 to 3.0). Target a Kuma version that has it (KumaVersion.use()), or use MeshAddress.kumaServiceVip().',
  },
  {
    id: 'B53',
    what: 'a Mesh in meshServices.mode Exclusive for Kuma 2.6, which has no MeshService',
    source: 'Kuma CRDs per version (test/conformance/kuma)',
    run: () => {
      const a = Testing.app();
      KumaVersion.use(a, KumaVersion.V2_6);
      new Mesh(new Chart(a, 'app'), 'Mesh', { meshServicesMode: MeshServicesMode.EXCLUSIVE });
    },
    message: 'app/Mesh: meshServicesMode "Exclusive" needs MeshServices, which Kuma 2.6 does not have (its CRDs have MeshService in 2.7 to 3.0). Leave meshServicesMode unset for this version, or target a newer one (KumaVersion.use()).',
  },
  {
    id: 'B54',
    what: 'a gateway timeout to a MeshService in an Exclusive mesh on Kuma 2.7, whose targetRef cannot name one',
    source: 'Kuma CRDs per version: MeshTimeout to[].targetRef (2.7: no namespace, sectionName)',
    run: () => {
      const a = Testing.app();
      KumaVersion.use(a, KumaVersion.V2_7);
      const c = new Chart(a, 'app', { namespace: 'kong' });
      new Mesh(c, 'Mesh', { metadata: { name: 'default' }, meshServicesMode: MeshServicesMode.EXCLUSIVE });
      const web = MeshService.fromServiceAttributes(c, 'Web', { name: 'web', namespace: 'shop', ports: [80] });
      gateway(c, { namespace: kongNs(c) }).gateway.addTimeout('T', { to: [{ service: web }], requestTimeout: Duration.seconds(5) });
    },
    message: 'app/Gw/DelegatedGateway/T: to[].service "app/Web" cannot be referenced in mesh "default", which runs meshServices.mode Exclusive (no kuma.io/service names): Kuma 2.7\'s policy targetRef has no namespace or sectionName for a MeshService (its CRDs have them from 2.8). Target Kuma 2.8 or newer, or run the mesh in another meshServices.mode.',
  },
  {
    id: 'B55',
    what: 'a Mesh name that is not an RFC 1035 label, for Kuma 3.x',
    source: 'Kuma UPGRADE.md (3.0): names become DNS labels',
    run: () => new Mesh(v30(), 'Mesh', { metadata: { name: 'prod.eu' } }),
    message: 'app/Mesh: metadata.name "prod.eu" is not an RFC 1035 label, which Kuma 3.0 requires of Mesh names (they become DNS labels). Use at most 63 lowercase letters, digits and \'-\', starting with a letter and ending with a letter or digit.',
  },
  {
    id: 'B56',
    what: 'a zone that is not an RFC 1035 label in a Kuma 3.x permission',
    source: 'Kuma UPGRADE.md (3.0): names become DNS labels',
    run: () => {
      const c = v30();
      const web = MeshService.fromServiceAttributes(c, 'Web', { name: 'web', namespace: 'shop', ports: [80], selectorLabels: { app: 'web' } });
      gateway(c, { namespace: kongNs(c) }).gateway.allowTo('Allow', GatewayPermissionTarget.service(web), { zone: '1a' });
    },
    message: 'app/Gw/DelegatedGateway/Allow: zone "1a" is not an RFC 1035 label, which Kuma 3.0 requires of Zone names (they become DNS labels). Use at most 63 lowercase letters, digits and \'-\', starting with a letter and ending with a letter or digit.',
  },
  {
    id: 'B57',
    what: 'a gateway pod made runAsNonRoot at pod level without Kuma CNI',
    source: 'Kuma injector goldens (kuma-init: runAsUser 0), Kong Mesh CNI docs',
    run: () => {
      const c = chart();
      gateway(c, { namespace: kongNs(c), securityContext: { ensureNonRoot: true } });
    },
    message: 'app/Gw: securityContext.ensureNonRoot true makes the pod runAsNonRoot, but without Kuma CNI (Kuma in "kuma-system") Kuma\'s injector adds the kuma-init container as runAsUser 0, which the kubelet then refuses to start ("container\'s runAsUser breaks non-root policy"). Remove it: the containers stay non-root through their own securityContext (cdk8s-plus\'s default), or say the control plane runs Kuma CNI with KumaControlPlane.use(app, { cni: true }).',
  },
  {
    id: 'B58',
    what: 'an adopted cdk8s-plus workload with its default pod-level runAsNonRoot, without Kuma CNI',
    source: 'Kuma injector goldens (kuma-init: runAsUser 0), Kong Mesh CNI docs',
    run: () => {
      const c = chart();
      kongNs(c);
      DelegatedGateway.adopt(new kplus.Deployment(c, 'W', { metadata: { namespace: 'kong' }, automountServiceAccountToken: true, containers: [{ image: 'kong', portNumber: 8000 }] }));
      synth(c);
    },
    message: '[app/W/DelegatedGateway] securityContext.runAsNonRoot true is set for the whole pod, but without Kuma CNI (Kuma in "kuma-system") Kuma\'s injector adds the kuma-init container as runAsUser 0, which the kubelet then refuses to start ("container\'s runAsUser breaks non-root policy"), so the gateway pods never start.',
  },
  {
    id: 'B59',
    what: 'a MeshNamespace annotated kuma.io/sidecar-injection, which no supported Kuma reads',
    source: 'Kuma\'s injector (labels only since 2.2)',
    run: () => new MeshNamespace(chart(), 'Shop', { metadata: { name: 'shop', annotations: { 'kuma.io/sidecar-injection': 'enabled' } } }),
    message: 'app/Shop: metadata.annotations["kuma.io/sidecar-injection"] "enabled" is an annotation, which no supported Kuma version reads (injection has been a label since Kuma 2.2). Remove it: the namespace gets the label from the sidecarInjection prop (SidecarInjection.ENABLED by default).',
  },
  {
    id: 'B60',
    what: 'HTTP retry conditions for a gRPC upstream, which Kuma retries by its grpc section only',
    source: 'Kuma meshretry configurer (GetRouteRetryConfig)',
    run: () => {
      const c = chart();
      const orders = new MeshService(c, 'Orders', { metadata: { name: 'orders', namespace: 'shop' }, selectorLabels: { app: 'orders' }, ports: [{ port: 9090, appProtocol: KumaProtocol.GRPC }] });
      gateway(c, { namespace: kongNs(c) }).gateway.addRetry('R', { to: [{ service: orders }], retryOn: [RetryOn.FIVE_XX] });
    },
    message: 'app/Gw/DelegatedGateway/R: retryOn "orders port 9090 (grpc)" lists HTTP conditions for a gRPC upstream, which Kuma retries by its grpc section only. Use grpcRetryOn (GrpcRetryOn.UNAVAILABLE, ...) for gRPC upstreams.',
  },
  {
    id: 'B61',
    what: 'an HTTP timeout to a Service port without appProtocol, which Kuma treats as tcp',
    source: 'Kuma meshtimeout configurer',
    run: () => {
      const c = chart();
      const cache = new MeshService(c, 'Cache', { metadata: { name: 'cache', namespace: 'shop' }, selectorLabels: { app: 'cache' }, ports: [{ port: 6379 }] });
      gateway(c, { namespace: kongNs(c) }).gateway.addTimeout('T', { to: [{ service: cache }], requestTimeout: Duration.seconds(5) });
    },
    message: 'app/Gw/DelegatedGateway/T: requestTimeout "cache port 6379 (tcp)" acts on HTTP requests, but Kuma treats this upstream port as tcp (it has no appProtocol), whose outbound has no HTTP layer: Kuma\'s MeshTimeout applies only connectionTimeout and idleTimeout there.',
  },
  {
    id: 'B62',
    what: 'a retry to an http2 upstream, for which Kuma\'s MeshRetry configures nothing',
    source: 'Kuma meshretry configurer (GetRouteRetryConfig)',
    run: () => {
      const c = chart();
      const api = new MeshService(c, 'Api', { metadata: { name: 'api', namespace: 'shop' }, selectorLabels: { app: 'api' }, ports: [{ port: 8081, appProtocol: KumaProtocol.HTTP2 }] });
      gateway(c, { namespace: kongNs(c) }).gateway.addRetry('R', { to: [{ service: api }], numRetries: 2 });
    },
    message: 'app/Gw/DelegatedGateway/R: to[0] "api port 8081 (http2)" is an http2 upstream, for which Kuma\'s MeshRetry configures no retries',
  },
  {
    id: 'B63',
    what: 'an adopted gateway under its namespace\'s default ServiceAccount on Kuma 3.0',
    source: 'Kuma MeshIdentity SPIFFE path template (meshidentity helpers.go)',
    run: () => {
      const c = v30();
      kongNs(c);
      DelegatedGateway.adopt(new kplus.Deployment(c, 'W', { metadata: { namespace: 'kong' }, automountServiceAccountToken: true, securityContext: { ensureNonRoot: false }, containers: [{ image: 'kong', portNumber: 8000 }] }));
      synth(c);
    },
    message: '[app/W/DelegatedGateway] serviceAccountName "default" is the namespace\'s default ServiceAccount: Kuma 3.0 lets the gateway in by its SPIFFE ID .../ns/kong/sa/default, which every pod of the namespace without an account of its own shares, so a permission for the gateway would let them all in. Give the gateway\'s workload a ServiceAccount of its own (spec.template.spec.serviceAccountName; DelegatedGatewayDeployment creates one when none is given).',
  },
  {
    id: 'B64',
    what: 'deriving reachable backends for a Kuma version without kuma.io/reachable-backends',
    source: 'Kuma annotation catalogue (annotations.go)',
    run: () => {
      const a = Testing.app();
      KumaVersion.use(a, KumaVersion.V2_8);
      const c = new Chart(a, 'app', { namespace: 'kong' });
      gateway(c, { namespace: kongNs(c), deriveReachableBackends: true });
    },
    message: 'app/Gw/DelegatedGateway: deriveReachableBackends true needs kuma.io/reachable-backends, which Kuma 2.8 does not read (Kuma\'s annotation catalogue has it from 2.9). Remove it, or list reachableServices.',
  },
  {
    id: 'B65',
    what: 'a Kuma 3.0 gateway route to a Service the app does not describe, not listed in its reachable backends',
    source: 'kumahq/kuma PR #18831 (no outbound without the list; reported for 3.0)',
    run: () => {
      const c = v30();
      gateway(c, { metadata: { name: 'kong' }, namespace: kongNs(c), flavour: GatewayFlavour.kong(), containers: [{ image: 'kong:3.9', portNumber: 8000 }] });
      new ApiObject(c, 'Route', {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'ext', namespace: 'kong' },
        spec: { ingressClassName: 'kong', rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'legacy', port: { number: 80 } } } }] } }] },
      });
      synth(c);
    },
    message: '[app/Gw/DelegatedGateway] deriveReachableBackends "legacy" is a backend of a route this gateway serves (its class kong (spec.ingressClassName) is the one Deployment kong/kong (Kong) serves), but Service kong/legacy is not in these files, so what Kuma names it is not known: it cannot be listed in kuma.io/reachable-backends, and the gateway would get no outbound for it.',
  },
  {
    id: 'B66',
    what: 'a trust domain with a scheme',
    source: 'SPIFFE ID specification (trust domain)',
    run: () => KumaControlPlane.use(Testing.app(), { trustDomain: 'spiffe://prod.example' }),
    message: 'KumaControlPlane.trustDomain "spiffe://prod.example" is not a SPIFFE trust domain (lowercase letters, digits, \'.\', \'-\' and \'_\', at most 255 characters; no scheme or path). Pass the trust domain of the MeshIdentity, such as "default.zone-1.mesh.local" (its status.trustDomain).',
  },
  {
    id: 'B67',
    what: 'a control-plane-owned label (kuma.io/zone) on a gateway\'s pods',
    source: 'Kuma labels/registry.go; kumahq/kuma PR #18760',
    run: () => {
      const c = chart();
      gateway(c, { namespace: kongNs(c), podMetadata: { labels: { 'kuma.io/zone': 'zone-1' } } });
    },
    message: 'app/Gw: pod labels["kuma.io/zone"] "zone-1" is a label Kuma\'s control plane computes (pkg/core/resources/labels/registry.go): Kuma 2.x overwrites it, or keeps it in place of the true value for kuma.io/zone, kuma.io/env and k8s.kuma.io/namespace, and Kuma 3.0 refuses a value that differs from the computed one. Remove it: select by it in policies, but let the control plane set it.',
  },
  {
    id: 'B68',
    what: 'k8s.kuma.io/namespace on a MeshService\'s labels, which Kuma copies onto the MeshService',
    source: 'Kuma labels/registry.go; meshservice_controller.go',
    run: () => new MeshService(chart(), 'Web', { metadata: { name: 'web', namespace: 'shop', labels: { 'k8s.kuma.io/namespace': 'other' } }, selectorLabels: { app: 'web' }, ports: [{ port: 80 }] }),
    message: 'app/Web: metadata.labels["k8s.kuma.io/namespace"] "other" is a label Kuma\'s control plane computes',
  },
  {
    id: 'B69',
    what: 'a MeshMultiZoneService as a Kubernetes object for Kuma 3.0, whose global control plane runs on Universal only',
    source: 'Kuma UPGRADE.md for 3.0 (global on Universal only)',
    run: () => new MeshMultiZoneService(v30(), 'Mzs', { selector: { 'kuma.io/display-name': 'web' }, ports: [{ port: 80 }] }),
    message: 'app/Mzs: KumaVersion "3.0" runs its global control plane on Universal only (kuma-cp refuses mode=global with environment=kubernetes: kumahq/kuma UPGRADE.md, "Upgrade to 3.0.0"), and a MeshMultiZoneService is created on the global control plane, so no Kubernetes cluster applies this object. Create it on the global control plane (kumactl apply), and refer to it here with MeshMultiZoneService.fromMeshMultiZoneServiceAttributes().',
  },
];
