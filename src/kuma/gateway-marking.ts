/**
 * How a delegated gateway's pods are marked for Kuma.
 *
 * @see https://kuma.io/docs/latest/using-mesh/managing-ingress-traffic/delegated/
 */
export enum GatewayMarking {
  // Sources: kumahq/kuma@v2.14.3 pkg/plugins/runtime/k8s/controllers/pod_converter.go (dataplaneFor);
  // pkg/transparentproxy/kubernetes/kubernetes.go (NewPodRedirectFromAnnotations)
  /**
   * Kuma 2.x: the pod annotation `kuma.io/gateway: enabled`; the sidecar redirects no inbound
   * traffic and the Dataplane has no inbounds.
   */
  GATEWAY_ANNOTATION = 'kuma.io/gateway',
  // Sources: kumahq/kuma#18662;
  // kumahq/kuma pkg/plugins/runtime/k8s/metadata/annotations.go@v2.14.3 (KumaTrafficExcludeInboundPorts, KumaIgnoreAnnotation)
  /**
   * Kuma 3.x (and 2.14 by choice): an ordinary sidecar whose listener ports stay out of inbound
   * redirection (`traffic.kuma.io/exclude-inbound-ports`); its own Services are `kuma.io/ignore`d
   * unless they should be mesh destinations (kumahq/kuma#18662).
   */
  EXCLUDED_INBOUND_PORTS = 'traffic.kuma.io/exclude-inbound-ports',
}
