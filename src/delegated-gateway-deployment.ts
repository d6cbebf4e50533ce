import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { applyNamespaceProp, withNamespace } from './_metadata';
import { DelegatedGateway, DelegatedGatewayOptions } from './delegated-gateway';
import { GatewayFlavour } from './gateway-flavour';
import { GatewayProxyService, GatewayProxyServiceOptions } from './gateway-proxy-service';

/**
 * Properties of a `DelegatedGatewayDeployment`: those of a cdk8s-plus `Deployment` and of a
 * delegated gateway.
 */
export interface DelegatedGatewayDeploymentProps extends kplus.DeploymentProps, DelegatedGatewayOptions {}

/**
 * A cdk8s-plus `Deployment` whose pods are a Kuma delegated gateway: the pod template carries
 * `kuma.io/gateway: enabled` and the labels `kuma.io/sidecar-injection: enabled` and
 * `kuma.io/mesh`, plus the sidecar settings given as props (see `DelegatedGateway`).
 *
 * Unlike a plain cdk8s-plus Deployment, it mounts the service-account token by default
 * (`automountServiceAccountToken: true`): the sidecar authenticates to the control plane with it.
 *
 * @example
 * const ns = new MeshNamespace(chart, 'Kong', { metadata: { name: 'kong' } });
 * new DelegatedGatewayDeployment(chart, 'Proxy', {
 *   namespace: ns,
 *   flavour: GatewayFlavour.kong(),
 *   containers: [{ image: 'kong:3.9', portNumber: 8000 }],
 * });
 */
export class DelegatedGatewayDeployment extends kplus.Deployment {
  /** The delegated gateway made of this Deployment's pods. */
  public readonly gateway: DelegatedGateway;
  private readonly flavour?: GatewayFlavour;

  constructor(scope: Construct, id: string, props: DelegatedGatewayDeploymentProps = {}) {
    const flavour = props.flavour ?? GatewayFlavour.generic();
    super(scope, id, {
      ...props,
      metadata: withNamespace(props.metadata, props.namespace),
      automountServiceAccountToken: props.automountServiceAccountToken ?? true,
      // what the product needs to start where cdk8s-plus's defaults differ (GatewayFlavour)
      containers: props.containers?.map((c) => flavour._containerProps(c)),
    });
    this.flavour = flavour;
    for (const container of this.containers) flavour._mountWritableDirs(this, container);
    applyNamespaceProp(this, this.apiObject, props.metadata, props.namespace);
    this.gateway = new DelegatedGateway(this, 'DelegatedGateway', { ...props, workload: this });
  }

  /** Adds a container, with what the gateway's flavour needs to start (see `GatewayFlavour`). */
  public addContainer(container: kplus.ContainerProps): kplus.Container {
    // cdk8s-plus's constructor adds props.containers (already prepared) before this class's fields exist
    if (this.flavour === undefined) return super.addContainer(container);
    const added = super.addContainer(this.flavour._containerProps(container));
    this.flavour._mountWritableDirs(this, added);
    return added;
  }

  /**
   * Creates the Service that receives outside traffic for these pods, in their namespace.
   */
  public exposeViaProxyService(options: GatewayProxyServiceOptions = {}): GatewayProxyService {
    const service = new GatewayProxyService(this, 'ProxyService', {
      ...options,
      metadata: { ...options.metadata, namespace: options.metadata?.namespace ?? this.metadata.namespace },
      selector: this,
    });
    // Kuma 3.x: outside traffic reaches the gateway directly, so its proxy Service is no mesh destination.
    this.gateway._ownService(service, service.name);
    return service;
  }

  /** The mesh the gateway pods join. */
  public get mesh(): string {
    return this.gateway.mesh;
  }
}
