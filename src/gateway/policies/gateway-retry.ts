import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { checkPolicyScope, compact, count, outboundPolicy, refuseHttpOptionsOnTcp, upstreamProtocol } from './_gateway-policy';
import { kumaL1 } from '../../kuma/_kuma-l1';
import { invalid, positiveGoDuration } from '../../private/_validation';
import type { IDelegatedGatewayRef } from '../gateway-ref';
import { GatewayOutboundPolicyOptions, GatewayUpstream } from './gateway-upstream';
import type * as kuma from '../../imports/kuma.io';
import { KumaProtocol } from '../../kuma/kuma-protocol';

/**
 * Conditions MeshRetry retries HTTP requests on (`http.retryOn`). The values are those Kuma's
 * validator accepts (kumahq/kuma v2.14.3
 * `pkg/plugins/policies/meshretry/api/v1alpha1/validator.go` validateHTTPRetryOn): "5xx" in lower
 * case, which its CRD comment spells "5XX" and its webhook refuses ("unknown item '5XX'").
 */
export class RetryOn {
  public static readonly FIVE_XX = new RetryOn('5xx');
  public static readonly GATEWAY_ERROR = new RetryOn('GatewayError');
  public static readonly RESET = new RetryOn('Reset');
  public static readonly RETRIABLE_4XX = new RetryOn('Retriable4xx');
  public static readonly CONNECT_FAILURE = new RetryOn('ConnectFailure');
  public static readonly ENVOY_RATELIMITED = new RetryOn('EnvoyRatelimited');
  public static readonly REFUSED_STREAM = new RetryOn('RefusedStream');

  /** One HTTP status code Go's `http.StatusText` knows (Kuma's validator refuses any other), for example 503. */
  public static statusCode(code: number): RetryOn {
    if (!GO_STATUS_CODES.has(code)) {
      throw invalid('RetryOn.statusCode()', 'code', code, 'is not an HTTP status code Kuma\'s validator knows (Go\'s http.StatusText)',
        'Use a registered status code such as 429, 503 or 504.');
    }
    return new RetryOn(String(code));
  }

  private constructor(/** The value written. */ public readonly value: string) {}
}

/** The status codes of Go's net/http `StatusText`, which Kuma's MeshRetry validator checks retryOn against. */
const GO_STATUS_CODES = new Set([
  100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 307, 308,
  400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 423, 424,
  425, 426, 428, 429, 431, 451, 500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
]);

/**
 * Conditions MeshRetry retries gRPC requests on (`grpc.retryOn`, an enum of the MeshRetry CRD):
 * gRPC status codes.
 */
export class GrpcRetryOn {
  public static readonly CANCELED = new GrpcRetryOn('Canceled');
  public static readonly DEADLINE_EXCEEDED = new GrpcRetryOn('DeadlineExceeded');
  public static readonly INTERNAL = new GrpcRetryOn('Internal');
  public static readonly RESOURCE_EXHAUSTED = new GrpcRetryOn('ResourceExhausted');
  public static readonly UNAVAILABLE = new GrpcRetryOn('Unavailable');

  private constructor(/** The value written. */ public readonly value: string) {}
}

/** Options of `DelegatedGateway.addRetry()`: MeshRetry's `default`. */
export interface GatewayRetryOptions extends GatewayOutboundPolicyOptions {
  /**
   * Retries after the first attempt, of an HTTP or gRPC request (written to the section of each
   * upstream's protocol).
   *
   * @default - Kuma's default (5)
   */
  readonly numRetries?: number;

  /**
   * Timeout of each HTTP or gRPC attempt.
   *
   * @default - Kuma's default (15s)
   */
  readonly perTryTimeout?: Duration;

  /**
   * First back-off interval between HTTP or gRPC attempts.
   *
   * @default - Kuma's default (25ms)
   */
  readonly backOffBaseInterval?: Duration;

  /**
   * Longest back-off interval between HTTP or gRPC attempts.
   *
   * @default - 10 times the base interval
   */
  readonly backOffMaxInterval?: Duration;

  /**
   * When to retry HTTP requests; refused for a gRPC upstream (use `grpcRetryOn`).
   *
   * @default - Kuma's default
   */
  readonly retryOn?: RetryOn[];

  /**
   * When to retry gRPC requests; refused for an HTTP upstream (use `retryOn`).
   *
   * @default - Kuma's default (cancelled, connect-failure, gateway-error, refused-stream, reset,
   *            resource-exhausted, unavailable)
   */
  readonly grpcRetryOn?: GrpcRetryOn[];

  /**
   * Attempts to connect over TCP.
   *
   * @default - Kuma's default (5)
   */
  readonly tcpMaxConnectAttempts?: number;
}

/** Properties of a `GatewayRetry`. */
export interface GatewayRetryProps extends GatewayRetryOptions {
  /** The gateway whose outbound traffic the policy configures. */
  readonly gateway: IDelegatedGatewayRef;
}

/**
 * A MeshRetry for the traffic leaving a delegated gateway, placed and shaped for the target Kuma
 * version like `GatewayTimeout`. Kuma applies one section per outbound protocol (kumahq/kuma
 * v2.14.3 `pkg/plugins/policies/meshretry/plugin/xds/configurer.go` GetRouteRetryConfig: `http`
 * for http, `grpc` for grpc, nothing for http2; `tcp.maxConnectAttempt` for tcp only), so each
 * upstream gets the section of its port's protocol (`MeshService` `appProtocol`); an upstream whose
 * protocol is not known (an imported Service) gets every section the options fill.
 */
export class GatewayRetry extends Construct {
  /** The MeshRetry. */
  public readonly resource: kuma.MeshRetry;

  constructor(scope: Construct, id: string, props: GatewayRetryProps) {
    super(scope, id);
    checkPolicyScope(this, props.placeIn, props.gateway);
    const attempts = {
      numRetries: count(this, 'numRetries', props.numRetries, 0),
      perTryTimeout: positiveGoDuration(this, 'perTryTimeout', props.perTryTimeout),
      backOff: compact({
        baseInterval: positiveGoDuration(this, 'backOffBaseInterval', props.backOffBaseInterval),
        maxInterval: positiveGoDuration(this, 'backOffMaxInterval', props.backOffMaxInterval),
      }),
    };
    const http = compact({ ...attempts, retryOn: props.retryOn?.map((r) => r.value) });
    const grpc = compact({ ...attempts, retryOn: props.grpcRetryOn?.map((r) => r.value) });
    const tcp = compact({ maxConnectAttempt: count(this, 'tcpMaxConnectAttempts', props.tcpMaxConnectAttempts, 1) });
    const confFor = (u: GatewayUpstream, i: number): object => {
      const protocol = upstreamProtocol(u);
      const field = `to[${i}]`;
      const refuse = (option: string, problem: string, fix: string) => {
        throw invalid(this, option, `${u.service.name} port ${u.service.servicePort(u.port)} (${protocol})`, problem, fix);
      };
      if (protocol === KumaProtocol.HTTP2) {
        refuse(field, 'is an http2 upstream, for which Kuma\'s MeshRetry configures no retries (it reads its http section for http and its grpc section for grpc outbounds only)',
          'Remove the upstream from the retry policy, or give its port the protocol its clients speak (KumaProtocol.HTTP or KumaProtocol.GRPC).');
      }
      if (protocol === KumaProtocol.GRPC) {
        if (props.retryOn !== undefined) refuse('retryOn', 'lists HTTP conditions for a gRPC upstream, which Kuma retries by its grpc section only', 'Use grpcRetryOn (GrpcRetryOn.UNAVAILABLE, ...) for gRPC upstreams.');
        if (tcp !== undefined) refuse('tcpMaxConnectAttempts', 'applies to tcp outbounds only, and this upstream is gRPC', 'Remove it, or put the tcp upstreams in a policy of their own.');
        return compact({ grpc }) ?? {};
      }
      if (protocol === KumaProtocol.HTTP) {
        if (props.grpcRetryOn !== undefined) refuse('grpcRetryOn', 'lists gRPC conditions for an HTTP upstream, which Kuma retries by its http section only', 'Use retryOn for HTTP upstreams.');
        if (tcp !== undefined) refuse('tcpMaxConnectAttempts', 'applies to tcp outbounds only, and this upstream is HTTP', 'Remove it, or put the tcp upstreams in a policy of their own.');
        return compact({ http }) ?? {};
      }
      // not known (an imported Service): every section the options fill, Kuma picks the protocol's;
      // tcp (HTTP options refused above): the tcp section
      return compact({ http, grpc: props.grpcRetryOn === undefined ? undefined : grpc, tcp }) ?? {};
    };
    // every upstream checked before the policy takes its name
    const httpOptions = (['numRetries', 'perTryTimeout', 'backOffBaseInterval', 'backOffMaxInterval', 'retryOn', 'grpcRetryOn'] as const)
      .filter((k) => props[k] !== undefined);
    refuseHttpOptionsOnTcp(this, props.to, httpOptions, 'MeshRetry', 'tcp.maxConnectAttempt (tcpMaxConnectAttempts)');
    const confs = props.to.map(confFor);
    const policy = outboundPolicy(this, 'MeshRetry', props.gateway, props, (_u: GatewayUpstream, i: number) => confs[i]);
    this.resource = new (kumaL1().MeshRetry)(this, 'Resource', policy);
    this.node.defaultChild = this.resource;
  }
}

