import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { checkPolicyScope, compact, outboundPolicy, refuseHttpOptionsOnTcp } from './_gateway-policy';
import { kumaL1 } from '../../kuma/_kuma-l1';
import { positiveGoDuration } from '../../private/_validation';
import type { IDelegatedGatewayRef } from '../gateway-ref';
import { GatewayOutboundPolicyOptions } from './gateway-upstream';
import type * as kuma from '../../imports/kuma.io';

/** Options of `DelegatedGateway.addTimeout()`: MeshTimeout's `default`, as Durations. */
export interface GatewayTimeoutOptions extends GatewayOutboundPolicyOptions {
  /**
   * Time to establish a connection to the upstream.
   *
   * @default - Kuma's default (5s)
   */
  readonly connectionTimeout?: Duration;

  /**
   * Time a connection may stay idle.
   *
   * @default - Kuma's default (1h)
   */
  readonly idleTimeout?: Duration;

  /**
   * Time for the whole HTTP request and response.
   *
   * @default - Kuma's default (15s)
   */
  readonly requestTimeout?: Duration;

  /**
   * Time an HTTP stream may stay idle.
   *
   * @default - Kuma's default (30m)
   */
  readonly streamIdleTimeout?: Duration;

  /**
   * Longest life of an HTTP stream.
   *
   * @default - no limit
   */
  readonly maxStreamDuration?: Duration;
}

/** Properties of a `GatewayTimeout`. */
export interface GatewayTimeoutProps extends GatewayTimeoutOptions {
  /** The gateway whose outbound traffic the policy configures. */
  readonly gateway: IDelegatedGatewayRef;
}

/**
 * A MeshTimeout for the traffic leaving a delegated gateway ("Kong Mesh takes over after traffic
 * leaves the gateway", the seed): top-level `targetRef` the gateway, `to` its upstreams, placed
 * and shaped for the target Kuma version like `GatewayTrafficPermission`.
 */
export class GatewayTimeout extends Construct {
  /** The MeshTimeout. */
  public readonly resource: kuma.MeshTimeout;

  constructor(scope: Construct, id: string, props: GatewayTimeoutProps) {
    super(scope, id);
    checkPolicyScope(this, props.placeIn, props.gateway);
    const d = (field: keyof GatewayTimeoutOptions) => positiveGoDuration(this, field, props[field] as Duration | undefined);
    // Kuma's meshtimeout configurer: connectionTimeout on every cluster, idleTimeout on the TCP
    // proxy or the cluster, http.* on the HTTP connection manager only (kumahq/kuma v2.14.3
    // pkg/plugins/policies/meshtimeout/plugin/xds/configurer.go)
    refuseHttpOptionsOnTcp(this, props.to, (['requestTimeout', 'streamIdleTimeout', 'maxStreamDuration'] as const).filter((k) => props[k] !== undefined),
      'MeshTimeout', 'connectionTimeout and idleTimeout');
    const conf: kuma.MeshTimeoutSpecToDefault = {
      connectionTimeout: d('connectionTimeout'),
      idleTimeout: d('idleTimeout'),
      http: compact({ requestTimeout: d('requestTimeout'), streamIdleTimeout: d('streamIdleTimeout'), maxStreamDuration: d('maxStreamDuration') }),
    };
    const policy = outboundPolicy(this, 'MeshTimeout', props.gateway, props, compact(conf) ?? {});
    this.resource = new (kumaL1().MeshTimeout)(this, 'Resource', policy);
    this.node.defaultChild = this.resource;
  }
}
