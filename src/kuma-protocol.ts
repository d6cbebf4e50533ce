import { IConstruct } from 'constructs';
import { invalid } from './_validation';

/**
 * The protocols Kuma reads from a Service port's `appProtocol` (kuma-facts §2.2:
 * `pkg/core/metadata/protocol.go` `ParseProtocol`, kuma@v2.14.3). Kuma ignores any other
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

/** Refuses a value that is not a `KumaProtocol` (reachable from JavaScript or casts). */
export function checkKumaProtocol(scope: IConstruct, field: string, value: string): void {
  if (!Object.values<string>(KumaProtocol).includes(value)) {
    throw invalid(scope, field, value, `is not a protocol Kuma parses (${Object.values(KumaProtocol).join(', ')}); Kuma would ignore it and treat the port as tcp`,
      'Use a KumaProtocol value.');
  }
}
