/**
 * Labels Kuma reads from Namespaces, Pods and Services.
 *
 * Source: kuma@v2.14.3 `pkg/plugins/runtime/k8s/metadata/labels.go` (kuma-facts §1.2).
 */
export class KumaLabel {
  /**
   * Turns sidecar injection on (`enabled`) or off (`disabled`) for a Namespace or a Pod.
   * Only the *label* form is read since Kuma 2.2 (kuma PR #6225).
   */
  public static readonly SIDECAR_INJECTION = 'kuma.io/sidecar-injection';

  /**
   * The Mesh a Namespace, Pod or Service belongs to. A label since Kuma 2.8; Kuma 3.0
   * reads labels only (kuma-facts §1.2, §8.5).
   */
  public static readonly MESH = 'kuma.io/mesh';

  private constructor() {}
}

/**
 * Annotations Kuma and ingress controllers read from Services.
 *
 * Source: kuma@v2.14.3 `pkg/plugins/runtime/k8s/metadata/annotations.go` (kuma-facts §2.1).
 */
export class ServiceAnnotation {
  /**
   * Makes Kong (and other controllers honouring it) send to the Service IP instead of the
   * pod endpoints, so the gateway's sidecar can route the request through the mesh.
   */
  public static readonly INGRESS_SERVICE_UPSTREAM = 'ingress.kubernetes.io/service-upstream';

  /** The ingress-nginx spelling of `ingress.kubernetes.io/service-upstream`. */
  public static readonly NGINX_SERVICE_UPSTREAM = 'nginx.ingress.kubernetes.io/service-upstream';

  /** Makes Kuma ignore a Service entirely (kuma-facts §2.2). */
  public static readonly KUMA_IGNORE = 'kuma.io/ignore';

  private constructor() {}
}
