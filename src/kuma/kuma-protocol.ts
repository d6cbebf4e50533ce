// Sources: kumahq/kuma@v2.14.3 pkg/core/metadata/protocol.go (ParseProtocol);
// pkg/plugins/runtime/k8s/controllers/inbound_converter.go (ProtocolTagFor)
/**
 * The protocols Kuma reads from a Service port's `appProtocol` (`pkg/core/metadata/protocol.go`
 * `ParseProtocol`, kuma@v2.14.3). Kuma ignores any other
 * appProtocol value and falls back to `tcp`, so only these are written.
 */
export enum KumaProtocol {
  /** HTTP/1.1; enables L7 policies (routes, retries, timeouts per request). */
  HTTP = 'http',
  /** HTTP/2 (h2c between sidecars). */
  HTTP2 = 'http2',
  /** gRPC. */
  GRPC = 'grpc',
  /** Opaque TCP, Kuma's default. */
  TCP = 'tcp',
  /** TLS passthrough. */
  TLS = 'tls',
  /** Kafka (TCP with Kafka metrics). */
  KAFKA = 'kafka',
  /** MySQL (TCP with MySQL metrics). */
  MYSQL = 'mysql',
}
