/** The protocols `core_meta.ParseProtocol` knows (kumahq/kuma v2.14.3 pkg/core/metadata/protocol.go). */
const KNOWN_PROTOCOLS = new Set(['http', 'http2', 'tcp', 'tls', 'grpc', 'kafka', 'mysql']);

/**
 * Kuma's `ProtocolTagFor` (kumahq/kuma v2.14.3 pkg/plugins/runtime/k8s/controllers/inbound_converter.go):
 * the protocol of a Service port is its `appProtocol` when Kuma knows it, else the Service's
 * `<port>.service.kuma.io/protocol` annotation, else `tcp`; lower-cased. Read by the analysis of
 * plain manifests and by the constructs that check what a policy does on a port.
 */
export function protocolTagFor(service: any, servicePort: any): string {
  let value = '';
  if (typeof servicePort.appProtocol === 'string') {
    value = KNOWN_PROTOCOLS.has(servicePort.appProtocol.toLowerCase()) ? servicePort.appProtocol : '';
  }
  const annotation = service.metadata?.annotations?.[`${servicePort.port}.service.kuma.io/protocol`];
  if (annotation !== undefined && value === '') value = String(annotation);
  return (value === '' ? 'tcp' : value).toLowerCase();
}

/**
 * The protocol of a MeshService port as its outbound is built: the Service port's `appProtocol`
 * (the MeshService controller copies it, `tcp` when there is none: kumahq/kuma master 348b6528bc
 * pkg/plugins/runtime/k8s/controllers/meshservice_controller.go), `tcp` for one Kuma does not parse;
 * lower-cased. Unlike `protocolTagFor`, the `<port>.service.kuma.io/protocol` annotation plays no part.
 */
export function meshServiceProtocol(servicePort: any): string {
  const value = typeof servicePort.appProtocol === 'string' ? servicePort.appProtocol.toLowerCase() : '';
  return KNOWN_PROTOCOLS.has(value) ? value : 'tcp';
}
