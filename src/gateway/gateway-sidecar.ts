import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { BackendRef, backendRefOfHostname } from '../kuma/_reachable-backends';
import { IContainerPatch } from '../mesh/container-patch';
import { IMeshService } from '../mesh/mesh-service';
import { checkDns1123Label, checkLabelValue, checkPort, checkServiceName, invalid } from '../private/_validation';
import type { GatewayPassthrough } from './policies/gateway-passthrough';
import type { MeshAddress } from '../multizone/mesh-address';

// Sources: kumahq/kuma@v2.14.3 pkg/plugins/runtime/k8s/metadata/annotations.go (KumaEnvoyLogLevel); app/kuma-dp/cmd/run.go (--envoy-log-level values)
/**
 * Envoy log levels accepted by `kuma.io/envoy-log-level` and `kuma.io/envoy-component-log-level`.
 */
export enum EnvoyLogLevel {
  TRACE = 'trace',
  DEBUG = 'debug',
  INFO = 'info',
  WARNING = 'warning',
  ERROR = 'error',
  CRITICAL = 'critical',
  OFF = 'off',
}

// Sources: kumahq/kuma pkg/core/resources/apis/mesh/validators.go@v2.14.3 (tagValueCharacterSet)
/** `kuma.io/service` tag values: non-empty `[a-zA-Z0-9.\-_:]` (tag value regex). */
const TAG_VALUE = /^[a-zA-Z0-9.\-_:]+$/;

// Sources: kumahq/kuma@v2.14.3 pkg/plugins/runtime/k8s/metadata/annotations.go;
// pkg/plugins/runtime/k8s/controllers/pod_converter.go (reads it with GetList)
/**
 * A service the gateway's sidecar builds outbounds for, by its `kuma.io/service` name, for
 * `kuma.io/transparent-proxying-reachable-services`. Listing them keeps the
 * gateway's Envoy config small in big meshes.
 */
export class ReachableService {
  /**
   * The `kuma.io/service` of one port of a `MeshService` (or an imported one).
   *
   * @param port the Service port (default: its only TCP port)
   */
  public static fromMeshService(service: IMeshService, port?: number): ReachableService {
    return new ReachableService(() => service.kumaService(port));
  }

  /**
   * A `kuma.io/service` value given as is, for example `redis_kuma-demo_svc_6379`.
   */
  public static fromName(kumaService: string): ReachableService {
    return new ReachableService(() => kumaService);
  }

  private constructor(private readonly produce: () => string) {}

  /** @internal */
  public _render(scope: IConstruct, field: string): string {
    const value = this.produce();
    if (!TAG_VALUE.test(value)) {
      throw invalid(scope, field, value, 'is not a kuma.io/service value (letters, digits, \'.\', \'-\', \'_\' and \':\')',
        'Use ReachableService.fromMeshService() or a name such as "redis_kuma-demo_svc_6379".');
    }
    return value;
  }
}

// Sources: kumahq/kuma@v2.14.3 pkg/plugins/runtime/k8s/controllers/pod_converter.go (ReachableBackendRefs);
// pkg/core/resources/apis/mesh/dataplane_validator.go (allowedKinds)
/**
 * A backend the gateway's sidecar builds outbounds for in MeshService mode, for the YAML of
 * `kuma.io/reachable-backends` (kinds allowed by Kuma's dataplane validator:
 * MeshService, MeshExternalService, MeshMultiZoneService).
 */
export class ReachableBackend {
  /**
   * The MeshService Kuma generates for a Kubernetes Service of this app or an imported one.
   *
   * @param port one Service port (default: all of them)
   */
  public static meshService(service: IMeshService, port?: number): ReachableBackend {
    return new ReachableBackend((scope, field) => {
      if (service.namespace === undefined) {
        throw invalid(scope, `${field}.namespace`, undefined, `is not known for the Service ${service.node.path}`,
          'Set metadata.namespace on the Service or a namespace on its Chart.');
      }
      if (port !== undefined) service.servicePort(port);
      return { kind: 'MeshService', name: service.name, namespace: service.namespace, port };
    });
  }

  /**
   * A MeshService by name.
   *
   * @param namespace its namespace (default: the gateway's)
   * @param port one of its ports (default: all of them)
   */
  public static meshServiceNamed(name: string, namespace?: string, port?: number): ReachableBackend {
    return ReachableBackend.named('MeshService', name, namespace, port);
  }

  /**
   * The backend a `.mesh.local` address stands for (a MeshService of another zone, a
   * MeshMultiZoneService, a MeshExternalService), named by the labels Kuma keeps on it
   * (`kuma.io/display-name`, `k8s.kuma.io/namespace`, `kuma.io/zone`), on the address's port. A
   * ref by name would be looked up in the gateway's own zone (Kuma 2.9 - 2.14), where another
   * zone's MeshService is not. The `.mesh` VIP of a `kuma.io/service` is no backend: list it with
   * `ReachableService.fromMeshService()`.
   */
  public static meshAddress(address: MeshAddress): ReachableBackend {
    return new ReachableBackend((scope, field) => {
      const resolved = address.resolve(scope);
      const ref = backendRefOfHostname(resolved.hostname, resolved.kind === 'mesh-external-service' ? undefined : resolved.servicePort);
      if (ref === undefined) {
        throw invalid(scope, field, resolved.hostname, 'is a .mesh VIP of a kuma.io/service, not a MeshService, MeshMultiZoneService or MeshExternalService, so kuma.io/reachable-backends cannot list it',
          'List it in reachableServices (ReachableService.fromMeshService()), or use a .mesh.local address (MeshAddress.meshService()).');
      }
      return ref;
    });
  }

  /**
   * Every MeshService whose labels match.
   */
  public static meshServicesWithLabels(labels: { [key: string]: string }): ReachableBackend {
    return new ReachableBackend((scope, field) => {
      const entries = Object.entries(labels);
      if (entries.length === 0) {
        throw invalid(scope, `${field}.labels`, labels, 'is empty and would match every MeshService', 'Name at least one label.');
      }
      for (const [key, value] of entries) checkLabelValue(scope, `${field}.labels["${key}"]`, value);
      return { kind: 'MeshService', labels: { ...labels } };
    });
  }

  /**
   * A MeshExternalService by name.
   *
   * @param namespace its namespace (default: the gateway's)
   */
  public static meshExternalService(name: string, namespace?: string): ReachableBackend {
    return ReachableBackend.named('MeshExternalService', name, namespace, undefined);
  }

  /**
   * A MeshMultiZoneService by name.
   *
   * @param namespace its namespace (default: the gateway's)
   * @param port one of its ports (default: all of them)
   */
  public static meshMultiZoneService(name: string, namespace?: string, port?: number): ReachableBackend {
    return ReachableBackend.named('MeshMultiZoneService', name, namespace, port);
  }

  private static named(kind: string, name: string, namespace: string | undefined, port: number | undefined): ReachableBackend {
    return new ReachableBackend((scope, field) => {
      // MeshService and MeshExternalService names are capped at 63 characters (kumahq/kuma pkg/core/resources/apis/
      // {meshservice,meshexternalservice}/api/v1alpha1/validator.go@v2.14.3).
      checkServiceName(scope, `${field}.name`, name);
      if (namespace !== undefined) checkDns1123Label(scope, `${field}.namespace`, namespace);
      if (port !== undefined) checkPort(scope, `${field}.port`, port);
      return { kind, name, namespace, port };
    });
  }

  private constructor(private readonly produce: (scope: IConstruct, field: string) => BackendRef) {}

  /**
   * The `refs:` item, a named backend's namespace defaulting to the gateway's.
   *
   * @internal
   */
  public _ref(scope: IConstruct, field: string, gatewayNamespace: string | undefined): BackendRef {
    const ref = this.produce(scope, field);
    const namespace = ref.name === undefined ? undefined : ref.namespace ?? gatewayNamespace;
    if (ref.name !== undefined && namespace === undefined) {
      throw invalid(scope, `${field}.namespace`, undefined, 'is not given and the gateway\'s namespace is not known',
        'Pass the namespace of the backend.');
    }
    return { ...ref, namespace };
  }
}

// Sources: kumahq/kuma@v2.14.3 pkg/plugins/runtime/k8s/metadata/annotations.go; pkg/plugins/runtime/k8s/webhooks/injector/injector.go;
// pkg/plugins/runtime/k8s/containers/factory.go; https://kuma.io/docs/2.14.x/reference/kubernetes-annotations/
/**
 * The settings of a delegated gateway's Kuma sidecar, written as the pod annotations Kuma's
 * injector reads. Every one is optional; unset ones keep Kuma's defaults.
 */
export interface GatewaySidecarOptions {
  /**
   * Extra environment of the `kuma-sidecar` container (`kuma.io/sidecar-env-vars`, written
   * `K=V;K2=V2`). Names and values must not contain `;` or `=`.
   *
   * @default - none
   */
  readonly sidecarEnv?: { [name: string]: string };

  /**
   * How long Envoy drains connections on shutdown (`kuma.io/sidecar-drain-time`).
   *
   * @default - Kuma's default, 30 seconds
   */
  readonly drainTime?: Duration;

  /**
   * The port of the sidecar Envoy's admin API (`kuma.io/envoy-admin-port`). It must differ from
   * every container port of the pod: both share the pod's network namespace.
   *
   * @default - Kuma's default, 9901
   */
  readonly envoyAdminPort?: number;

  /**
   * Outbound ports that bypass the sidecar (`traffic.kuma.io/exclude-outbound-ports`), for
   * example a gateway's own admin API that has its own mTLS.
   *
   * @default - none (plus what the flavour adds)
   */
  readonly excludeOutboundPorts?: number[];

  /**
   * Outbound IPs or CIDRs that bypass the sidecar (`traffic.kuma.io/exclude-outbound-ips`).
   *
   * @default - none
   */
  readonly excludeOutboundIps?: string[];

  /**
   * The only services the sidecar builds outbounds for, in `kuma.io/service` mode
   * (`kuma.io/transparent-proxying-reachable-services`).
   *
   * @default - every service of the mesh
   */
  readonly reachableServices?: ReachableService[];

  /**
   * The only backends the sidecar builds outbounds for, in MeshService mode
   * (`kuma.io/reachable-backends`). An empty list is refused: it would make the gateway reach
   * nothing.
   *
   * With `deriveReachableBackends` they are listed together with the derived ones. Kuma 3.0 reads
   * refs by labels only, so a backend given by name is written as its labels
   * (`kuma.io/display-name`, `k8s.kuma.io/namespace`).
   *
   * @default - every backend of the mesh (or the derived ones, see `deriveReachableBackends`)
   */
  readonly reachableBackends?: ReachableBackend[];

  /**
   * List in `kuma.io/reachable-backends` every backend the gateway is known to send to, computed
   * at synth from the whole app: the backends of the Ingresses and HTTPRoutes its controller
   * serves (by class and GatewayClass, in any chart, added before or after the gateway), the
   * upstreams of its timeouts, retries and circuit breakers, the Services `allowTo()` lets it into,
   * and `reachableBackends`. Sorted, by labels only. A route backend that cannot be named (a
   * Service outside the app that is not listed) fails synth.
   *
   * Needed where the control plane gives a sidecar outbounds only for what it lists: Kuma 3.0
   * (see `KumaControlPlaneOptions.restrictOutbound`). Kuma 2.9 - 2.14 accept the same list, by
   * choice. Turn it off for a control plane that lets every sidecar reach every backend
   * (`KumaControlPlane.use({ restrictOutbound: false })` does it for every gateway).
   *
   * @default - true where the control plane restricts outbound traffic (Kuma 3.x unless
   * `KumaControlPlane.use({ restrictOutbound: false })`), else false
   */
  readonly deriveReachableBackends?: boolean;

  /**
   * Which destinations outside the mesh the gateway's sidecar passes traffic through to, as a
   * MeshPassthrough that selects the gateway alone. Kuma 3.0 drops such traffic from a sidecar no
   * MeshPassthrough selects (reported for the release: kumahq/kuma issue #18801, Kong's
   * kuma-migrator docs); 2.x passes it through.
   *
   * @default - GatewayPassthrough.all() for a flavour whose pods call the Kubernetes API
   * (ingress-nginx, Traefik, Kong's controller) where passthrough is off by default (Kuma 3.x),
   * else GatewayPassthrough.none()
   */
  readonly passthrough?: GatewayPassthrough;

  /**
   * ContainerPatches applied to the sidecar and init containers (`kuma.io/container-patches`).
   * They must live in the control plane namespace, where Kuma looks them up.
   *
   * @default - only the control plane's default patches
   */
  readonly containerPatches?: IContainerPatch[];

  /**
   * A volume of the pod holding the service-account token, mounted into the sidecar
   * (`kuma.io/service-account-token-volume`). Needed when `automountServiceAccountToken` is
   * false: the sidecar authenticates to the control plane with that token.
   *
   * @default - the token Kubernetes mounts automatically
   */
  readonly serviceAccountTokenVolume?: string;

  /**
   * Envoy's log level (`kuma.io/envoy-log-level`).
   *
   * @default - Kuma's default, info
   */
  readonly envoyLogLevel?: EnvoyLogLevel;

  /**
   * Log levels per Envoy component, for example `{ upstream: EnvoyLogLevel.DEBUG }`
   * (`kuma.io/envoy-component-log-level`).
   *
   * @default - none
   */
  readonly envoyComponentLogLevels?: { [component: string]: EnvoyLogLevel };

  /**
   * Envoy worker threads (`kuma.io/sidecar-proxy-concurrency`); 0 means one per CPU.
   *
   * @default - Kuma's default, from the sidecar's CPU limit, at least 2
   */
  readonly proxyConcurrency?: number;

  /**
   * Hold the gateway containers until the sidecar is ready (`kuma.io/wait-for-dataplane-ready`).
   *
   * @default - Kuma's default, false
   */
  readonly waitForDataplaneReady?: boolean;

  /**
   * Run `kuma-init` before the pod's other init containers (`kuma.io/init-first`).
   *
   * @default - Kuma's default, false
   */
  readonly initFirst?: boolean;
}
