import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { addValidationOncePerSynth } from '../kuma/_synth-session';
import { checkPort, invalid, invalidMessage } from '../private/_validation';

/** Where a Service sends external traffic (`spec.externalTrafficPolicy`). */
export enum ExternalTrafficPolicy {
  /** Any node forwards to any gateway pod; the client IP is lost to SNAT. */
  CLUSTER = 'Cluster',
  /** Only nodes with a gateway pod take traffic; the gateway sees the client IP. */
  LOCAL = 'Local',
}

/**
 * Options of a `GatewayProxyService`, for `DelegatedGatewayDeployment.exposeViaProxyService()`.
 */
export interface GatewayProxyServiceOptions extends kplus.ResourceProps {
  /**
   * The ports that receive outside traffic.
   *
   * @default - none; at least one is required by synth time
   */
  readonly ports?: kplus.ServicePort[];

  /**
   * How the proxy is exposed.
   *
   * @default kplus.ServiceType.LOAD_BALANCER
   */
  readonly type?: kplus.ServiceType;

  /**
   * The load balancer implementation (`spec.loadBalancerClass`); only for `LOAD_BALANCER`.
   *
   * @default - the cluster's default load balancer
   */
  readonly loadBalancerClass?: string;

  /**
   * Client CIDRs the load balancer accepts; only for `LOAD_BALANCER`.
   *
   * @default - no restriction
   */
  readonly loadBalancerSourceRanges?: string[];

  /**
   * Where external traffic goes; only for `NODE_PORT` and `LOAD_BALANCER`.
   *
   * @default - Kubernetes' default, Cluster
   */
  readonly externalTrafficPolicy?: ExternalTrafficPolicy;
}

/**
 * Properties of a `GatewayProxyService`.
 */
export interface GatewayProxyServiceProps extends GatewayProxyServiceOptions {
  /**
   * The gateway pods: a `DelegatedGatewayDeployment` or any cdk8s-plus workload.
   *
   * @default - no selector from a workload (see `selectorLabels`)
   */
  readonly selector?: kplus.IPodSelector;

  /**
   * Pod labels the Service selects, added to those of `selector` (for gateways rendered by a
   * Helm chart, its pod labels).
   *
   * @default - none
   */
  readonly selectorLabels?: { [key: string]: string };
}

// Sources: https://kuma.io/docs/2.14.x/using-mesh/managing-ingress-traffic/delegated/ ("incoming traffic bypasses the sidecar")
/**
 * The Service that receives outside traffic for a delegated gateway. Delegated gateways get that
 * traffic directly, not through the sidecar, so this Service carries no
 * service-upstream annotations: it is the gateway's front door, not an upstream in the mesh.
 */
export class GatewayProxyService extends kplus.Service {
  private readonly loadBalancerClass?: string;
  private readonly externalTrafficPolicy?: ExternalTrafficPolicy;

  constructor(scope: Construct, id: string, props: GatewayProxyServiceProps = {}) {
    super(scope, id, {
      metadata: props.metadata,
      selector: props.selector,
      type: props.type ?? kplus.ServiceType.LOAD_BALANCER,
      loadBalancerSourceRanges: props.loadBalancerSourceRanges,
    });
    if (this.type === kplus.ServiceType.EXTERNAL_NAME) {
      throw invalid(this, 'type', this.type, 'cannot receive traffic for a gateway', 'Use LOAD_BALANCER, NODE_PORT or CLUSTER_IP.');
    }
    const lb = this.type === kplus.ServiceType.LOAD_BALANCER;
    if (props.loadBalancerClass !== undefined && !lb) {
      throw invalid(this, 'loadBalancerClass', props.loadBalancerClass, `is only allowed on a LoadBalancer Service (type is ${this.type})`,
        'Remove loadBalancerClass or use ServiceType.LOAD_BALANCER.');
    }
    if (props.loadBalancerSourceRanges !== undefined && !lb) {
      throw invalid(this, 'loadBalancerSourceRanges', props.loadBalancerSourceRanges, `are only allowed on a LoadBalancer Service (type is ${this.type})`,
        'Remove loadBalancerSourceRanges or use ServiceType.LOAD_BALANCER.');
    }
    if (props.externalTrafficPolicy !== undefined && this.type === kplus.ServiceType.CLUSTER_IP) {
      throw invalid(this, 'externalTrafficPolicy', props.externalTrafficPolicy, 'is only allowed on NodePort and LoadBalancer Services',
        'Remove externalTrafficPolicy or change the type.');
    }
    this.loadBalancerClass = props.loadBalancerClass;
    this.externalTrafficPolicy = props.externalTrafficPolicy;
    for (const [key, value] of Object.entries(props.selectorLabels ?? {})) this.selectLabel(key, value);
    for (const port of props.ports ?? []) this.bind(port.port, port);
    addValidationOncePerSynth(this, () => this.ports.length > 0 ? [] : [invalidMessage('ports', [], 'is empty; the gateway needs at least one port to receive traffic', 'Pass ports.')]);
  }

  /** Binds a port, checking its numbers. */
  public bind(port: number, options: kplus.ServiceBindOptions = {}): void {
    const field = `ports[${this.ports.length}]`;
    checkPort(this, `${field}.port`, port);
    if (options.targetPort !== undefined) checkPort(this, `${field}.targetPort`, options.targetPort);
    if (options.nodePort !== undefined) checkPort(this, `${field}.nodePort`, options.nodePort);
    super.bind(port, options);
  }

  /**
   * The Service spec with the fields cdk8s-plus does not model.
   *
   * @internal
   */
  public _toKube(): ReturnType<kplus.Service['_toKube']> {
    return {
      ...super._toKube(),
      loadBalancerClass: this.loadBalancerClass,
      externalTrafficPolicy: this.externalTrafficPolicy,
    };
  }
}
