import { Construct, IConstruct } from 'constructs';
import type { GatewayFlavour } from './gateway-flavour';
import type { GatewayIdentity } from './gateway-identity';
import type { IDelegatedGatewayRef } from './gateway-ref';
import type { KumaVersion } from '../kuma/kuma-version';
import { GatewayCircuitBreaker, GatewayCircuitBreakerOptions } from './policies/gateway-circuit-breaker';
import { GatewayDefaultDeny } from './policies/gateway-default-deny';
import { GatewayRetry, GatewayRetryOptions } from './policies/gateway-retry';
import { GatewayTimeout, GatewayTimeoutOptions } from './policies/gateway-timeout';
import { GatewayPermissionTarget, GatewayTrafficPermission, GatewayTrafficPermissionOptions } from './policies/gateway-traffic-permission';

/**
 * A delegated gateway, made by this app (`DelegatedGateway`, `DelegatedGatewayDeployment`) or
 * installed some other way (`DelegatedGateway.fromGatewayAttributes()`), and the policies about
 * its traffic it makes.
 */
export interface IDelegatedGateway extends IDelegatedGatewayRef {
  /** Lets the gateway into a workload or a namespace (a MeshTrafficPermission). */
  allowTo(id: string, target: GatewayPermissionTarget, options?: GatewayTrafficPermissionOptions): GatewayTrafficPermission;
  /** Denies the gateway everywhere it is not let in with `allowTo()` (Kuma 2.x). */
  denyByDefault(id: string, name?: string): GatewayDefaultDeny;
  /** Adds a MeshTimeout for the traffic from the gateway to its upstreams. */
  addTimeout(id: string, options: GatewayTimeoutOptions): GatewayTimeout;
  /** Adds a MeshRetry for the traffic from the gateway to its upstreams. */
  addRetry(id: string, options: GatewayRetryOptions): GatewayRetry;
  /** Adds a MeshCircuitBreaker for the traffic from the gateway to its upstreams. */
  addCircuitBreaker(id: string, options: GatewayCircuitBreakerOptions): GatewayCircuitBreaker;
}

/**
 * What every delegated gateway does with the policies about its traffic, whether the app made it
 * or imported it.
 */
export abstract class DelegatedGatewayBase extends Construct implements IDelegatedGateway {
  public abstract readonly mesh: string;
  public abstract readonly version: KumaVersion;
  public abstract readonly controlPlaneNamespace: string;
  public abstract readonly identity: GatewayIdentity;
  public abstract readonly workloadName: string;
  public abstract readonly flavour: GatewayFlavour;
  public abstract readonly zone?: string;
  public abstract readonly trustDomain?: string;

  /**
   * Lets the gateway into a workload or a namespace: a MeshTrafficPermission in the shape of the
   * target Kuma version.
   */
  public allowTo(id: string, target: GatewayPermissionTarget, options: GatewayTrafficPermissionOptions = {}): GatewayTrafficPermission {
    return new GatewayTrafficPermission(options.placeIn ?? this, id, { ...options, gateway: this, target });
  }

  /**
   * Denies the gateway everywhere it is not let in with `allowTo()` (Kuma 2.x).
   */
  public denyByDefault(id: string, name?: string): GatewayDefaultDeny {
    return new GatewayDefaultDeny(this, id, { gateway: this, name });
  }

  /** Adds a MeshTimeout for the traffic from the gateway to its upstreams. */
  public addTimeout(id: string, options: GatewayTimeoutOptions): GatewayTimeout {
    return new GatewayTimeout(options.placeIn ?? this, id, { ...options, gateway: this });
  }

  /** Adds a MeshRetry for the traffic from the gateway to its upstreams. */
  public addRetry(id: string, options: GatewayRetryOptions): GatewayRetry {
    return new GatewayRetry(options.placeIn ?? this, id, { ...options, gateway: this });
  }

  /** Adds a MeshCircuitBreaker for the traffic from the gateway to its upstreams. */
  public addCircuitBreaker(id: string, options: GatewayCircuitBreakerOptions): GatewayCircuitBreaker {
    return new GatewayCircuitBreaker(options.placeIn ?? this, id, { ...options, gateway: this });
  }

  /**
   * Tells this gateway's controller to send the traffic of `target` to its ClusterIP (see
   * `GatewayFlavour.useServiceUpstream`).
   */
  public useServiceUpstream(target: IConstruct): void {
    this.flavour.useServiceUpstream(target);
  }
}
