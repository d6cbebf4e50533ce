import { Construct } from 'constructs';
import { checkPolicyScope, compact, count, outboundPolicy, refuseHttpOptionsOnTcp } from './_gateway-policy';
import { kumaL1 } from '../../kuma/_kuma-l1';
import type { IDelegatedGatewayRef } from '../gateway-ref';
import { GatewayOutboundPolicyOptions } from './gateway-upstream';
import type * as kuma from '../../imports/kuma.io';

/** Options of `DelegatedGateway.addCircuitBreaker()`: MeshCircuitBreaker's connection limits. */
export interface GatewayCircuitBreakerOptions extends GatewayOutboundPolicyOptions {
  /**
   * Connections to one upstream.
   *
   * @default - Kuma's default (1024)
   */
  readonly maxConnections?: number;

  /**
   * Requests queued while waiting for a connection.
   *
   * @default - Kuma's default (1024)
   */
  readonly maxPendingRequests?: number;

  /**
   * Parallel requests.
   *
   * @default - Kuma's default (1024)
   */
  readonly maxRequests?: number;

  /**
   * Parallel retries.
   *
   * @default - Kuma's default (3)
   */
  readonly maxRetries?: number;
}

/** Properties of a `GatewayCircuitBreaker`. */
export interface GatewayCircuitBreakerProps extends GatewayCircuitBreakerOptions {
  /** The gateway whose outbound traffic the policy configures. */
  readonly gateway: IDelegatedGatewayRef;
}

/**
 * A MeshCircuitBreaker (connection limits) for the traffic leaving a delegated gateway, placed and
 * shaped for the target Kuma version like `GatewayTimeout`.
 */
export class GatewayCircuitBreaker extends Construct {
  /** The MeshCircuitBreaker. */
  public readonly resource: kuma.MeshCircuitBreaker;

  constructor(scope: Construct, id: string, props: GatewayCircuitBreakerProps) {
    super(scope, id);
    checkPolicyScope(this, props.placeIn, props.gateway);
    // "maxRequests ... does not apply to non-HTTP traffic" (kumahq/kuma v2.14.3
    // pkg/plugins/policies/meshcircuitbreaker/api/v1alpha1/meshcircuitbreaker.go)
    refuseHttpOptionsOnTcp(this, props.to, props.maxRequests === undefined ? [] : ['maxRequests'],
      'MeshCircuitBreaker', 'maxConnections, maxPendingRequests (as a connection limit) and maxRetries');
    const conf: kuma.MeshCircuitBreakerSpecToDefault = {
      connectionLimits: compact({
        maxConnections: count(this, 'maxConnections', props.maxConnections, 1),
        maxPendingRequests: count(this, 'maxPendingRequests', props.maxPendingRequests, 1),
        maxRequests: count(this, 'maxRequests', props.maxRequests, 1),
        maxRetries: count(this, 'maxRetries', props.maxRetries, 0),
      }),
    };
    const policy = outboundPolicy(this, 'MeshCircuitBreaker', props.gateway, props, compact(conf) ?? {});
    this.resource = new (kumaL1().MeshCircuitBreaker)(this, 'Resource', policy);
    this.node.defaultChild = this.resource;
  }
}
