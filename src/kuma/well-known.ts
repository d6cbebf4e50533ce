// Sources: kumahq/kuma@v2.14.3 pkg/plugins/runtime/k8s/metadata/labels.go;
// pkg/plugins/runtime/k8s/metadata/annotations.go (KumaSidecarInjectionAnnotation)
/**
 * Labels Kuma reads from Namespaces, Pods and Services.
 *
 * Source: kuma@v2.14.3 `pkg/plugins/runtime/k8s/metadata/labels.go`.
 */
export class KumaLabel {
  /**
   * Turns sidecar injection on (`enabled`) or off (`disabled`) for a Namespace or a Pod.
   * Only the *label* form is read since Kuma 2.2 (kuma PR #6225).
   */
  public static readonly SIDECAR_INJECTION = 'kuma.io/sidecar-injection';

  // Sources: kumahq/kuma pkg/plugins/runtime/k8s/util/util.go (MeshOfByLabelOrAnnotation@v2.14.3, MeshOfByLabel@348b6528bc); kumahq/kuma#17593
  /**
   * The Mesh a Namespace, Pod or Service belongs to. A label since Kuma 2.8; Kuma 3.0
   * reads labels only.
   */
  public static readonly MESH = 'kuma.io/mesh';

  /**
   * The name of a Kuma resource, a label Kuma computes on every resource it stores (Dataplane
   * fixtures of the 3.0 line; Kong Mesh 3.x docs select MeshServices by it).
   */
  public static readonly DISPLAY_NAME = 'kuma.io/display-name';

  /** The namespace of a Kuma resource or workload, a label and tag Kuma computes. */
  public static readonly NAMESPACE = 'k8s.kuma.io/namespace';

  private constructor() {}
}

// Sources: kumahq/kuma@v2.14.3 pkg/plugins/runtime/k8s/metadata/annotations.go (IngressServiceUpstream, NginxIngressServiceUpstream);
// pkg/plugins/runtime/k8s/controllers/service_controller.go
/**
 * Annotations Kuma and ingress controllers read from Services.
 *
 * Source: kuma@v2.14.3 `pkg/plugins/runtime/k8s/metadata/annotations.go`.
 */
export class ServiceAnnotation {
  /**
   * Makes Kong (and other controllers honouring it) send to the Service IP instead of the
   * pod endpoints, so the gateway's sidecar can route the request through the mesh.
   */
  public static readonly INGRESS_SERVICE_UPSTREAM = 'ingress.kubernetes.io/service-upstream';

  /** The ingress-nginx spelling of `ingress.kubernetes.io/service-upstream`. */
  public static readonly NGINX_SERVICE_UPSTREAM = 'nginx.ingress.kubernetes.io/service-upstream';

  // Sources: kumahq/kuma@v2.14.3 pkg/plugins/runtime/k8s/util/util.go (Ignored); pkg/plugins/runtime/k8s/controllers/service_controller.go;
  // pkg/plugins/runtime/k8s/controllers/meshservice_controller.go
  /** Makes Kuma ignore a Service entirely. */
  public static readonly KUMA_IGNORE = 'kuma.io/ignore';

  private constructor() {}
}

// Sources: kumahq/kuma pkg/plugins/runtime/k8s/metadata/annotations.go@v2.14.3; https://kuma.io/docs/2.14.x/reference/kubernetes-annotations/
/**
 * Pod annotations Kuma's injector reads (kuma@v2.14.3
 * `pkg/plugins/runtime/k8s/metadata/annotations.go`).
 *
 * @see https://developer.konghq.com/mesh/annotations
 */
export class KumaAnnotation {
  /** Runs the pod's sidecar in delegated-gateway mode; the only delegated value is `enabled`. */
  public static readonly GATEWAY = 'kuma.io/gateway';
  public static readonly SIDECAR_ENV_VARS = 'kuma.io/sidecar-env-vars';
  public static readonly SIDECAR_DRAIN_TIME = 'kuma.io/sidecar-drain-time';
  public static readonly ENVOY_ADMIN_PORT = 'kuma.io/envoy-admin-port';
  public static readonly EXCLUDE_OUTBOUND_PORTS = 'traffic.kuma.io/exclude-outbound-ports';
  public static readonly EXCLUDE_OUTBOUND_IPS = 'traffic.kuma.io/exclude-outbound-ips';
  public static readonly EXCLUDE_INBOUND_PORTS = 'traffic.kuma.io/exclude-inbound-ports';
  public static readonly REACHABLE_SERVICES = 'kuma.io/transparent-proxying-reachable-services';
  public static readonly REACHABLE_BACKENDS = 'kuma.io/reachable-backends';
  public static readonly CONTAINER_PATCHES = 'kuma.io/container-patches';
  public static readonly SERVICE_ACCOUNT_TOKEN_VOLUME = 'kuma.io/service-account-token-volume';
  public static readonly ENVOY_LOG_LEVEL = 'kuma.io/envoy-log-level';
  public static readonly ENVOY_COMPONENT_LOG_LEVEL = 'kuma.io/envoy-component-log-level';
  public static readonly SIDECAR_PROXY_CONCURRENCY = 'kuma.io/sidecar-proxy-concurrency';
  public static readonly WAIT_FOR_DATAPLANE_READY = 'kuma.io/wait-for-dataplane-ready';
  public static readonly INIT_FIRST = 'kuma.io/init-first';
  public static readonly VIRTUAL_PROBES = 'kuma.io/virtual-probes';
  public static readonly APPLICATION_PROBE_PROXY_PORT = 'kuma.io/application-probe-proxy-port';
  public static readonly SIDECAR_INJECTED = 'kuma.io/sidecar-injected';

  private constructor() {}
}
