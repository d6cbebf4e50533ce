import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { checkPolicyScope, compact, count, outboundPolicy } from './_gateway-policy';
import { kumaL1 } from './_kuma-l1';
import { invalid, positiveGoDuration } from './_validation';
import type { DelegatedGateway } from './delegated-gateway';
import { GatewayOutboundPolicyOptions } from './gateway-upstream';
import type * as kuma from './imports/kuma.io';

/** Conditions MeshRetry retries HTTP requests on (`http.retryOn`, from the MeshRetry CRD). */
export class RetryOn {
  public static readonly FIVE_XX = new RetryOn('5XX');
  public static readonly GATEWAY_ERROR = new RetryOn('GatewayError');
  public static readonly RESET = new RetryOn('Reset');
  public static readonly RETRIABLE_4XX = new RetryOn('Retriable4xx');
  public static readonly CONNECT_FAILURE = new RetryOn('ConnectFailure');
  public static readonly ENVOY_RATELIMITED = new RetryOn('EnvoyRatelimited');
  public static readonly REFUSED_STREAM = new RetryOn('RefusedStream');

  /** One HTTP status code, for example 503. */
  public static statusCode(code: number): RetryOn {
    if (!Number.isInteger(code) || code < 100 || code > 599) {
      throw invalid('RetryOn.statusCode()', 'code', code, 'is not an HTTP status code', 'Use 100 to 599.');
    }
    return new RetryOn(String(code));
  }

  private constructor(/** The value written. */ public readonly value: string) {}
}

/** Options of `DelegatedGateway.addRetry()`: MeshRetry's `default`. */
export interface GatewayRetryOptions extends GatewayOutboundPolicyOptions {
  /**
   * HTTP retries after the first attempt.
   *
   * @default - Kuma's default (5)
   */
  readonly numRetries?: number;

  /**
   * Timeout of each HTTP attempt.
   *
   * @default - Kuma's default (15s)
   */
  readonly perTryTimeout?: Duration;

  /**
   * First back-off interval between HTTP attempts.
   *
   * @default - Kuma's default (25ms)
   */
  readonly backOffBaseInterval?: Duration;

  /**
   * Longest back-off interval between HTTP attempts.
   *
   * @default - 10 times the base interval
   */
  readonly backOffMaxInterval?: Duration;

  /**
   * When to retry HTTP requests.
   *
   * @default - Kuma's default
   */
  readonly retryOn?: RetryOn[];

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
  readonly gateway: DelegatedGateway;
}

/**
 * A MeshRetry for the traffic leaving a delegated gateway, placed and shaped for the target Kuma
 * version like `GatewayTimeout`.
 */
export class GatewayRetry extends Construct {
  /** The MeshRetry. */
  public readonly resource: kuma.MeshRetry;

  constructor(scope: Construct, id: string, props: GatewayRetryProps) {
    super(scope, id);
    checkPolicyScope(this, props.placeIn, props.gateway);
    const conf: kuma.MeshRetrySpecToDefault = {
      http: compact({
        numRetries: count(this, 'numRetries', props.numRetries, 0),
        perTryTimeout: positiveGoDuration(this, 'perTryTimeout', props.perTryTimeout),
        backOff: compact({
          baseInterval: positiveGoDuration(this, 'backOffBaseInterval', props.backOffBaseInterval),
          maxInterval: positiveGoDuration(this, 'backOffMaxInterval', props.backOffMaxInterval),
        }),
        retryOn: props.retryOn?.map((r) => r.value),
      }),
      tcp: compact({ maxConnectAttempt: count(this, 'tcpMaxConnectAttempts', props.tcpMaxConnectAttempts, 1) }),
    };
    const policy = outboundPolicy(this, 'MeshRetry', props.gateway, props, compact(conf) ?? {});
    this.resource = new (kumaL1().MeshRetry)(this, 'Resource', policy);
    this.node.defaultChild = this.resource;
  }
}
