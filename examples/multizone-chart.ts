import { Chart, ChartProps } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  CrossZoneExternalName, DelegatedGatewayDeployment, GatewayFlavour, IMesh, KumaProtocol, Mesh, MeshAddress,
  MeshMultiZoneService, MeshNamespace, MeshService, MeshServicesMode,
} from '../src';

/**
 * What the global control plane's cluster holds: the Mesh (its services mode decides which
 * addresses work) and a MeshMultiZoneService over every zone's `payments`.
 */
export class GlobalChart extends Chart {
  public readonly mesh: Mesh;
  public readonly payments: MeshMultiZoneService;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { ...props, disableResourceNameHashes: true });
    this.mesh = new Mesh(this, 'Mesh', { metadata: { name: 'default' }, meshServicesMode: MeshServicesMode.EVERYWHERE });
    this.payments = new MeshMultiZoneService(this, 'Payments', {
      metadata: { name: 'payments' },
      selector: { 'kuma.io/display-name': 'payments', 'k8s.kuma.io/namespace': 'payments' },
      ports: [{ port: 8080, name: 'http', appProtocol: KumaProtocol.HTTP }],
    });
  }
}

/** Zone A runs the payments service. */
export class ZoneAChart extends Chart {
  public readonly payments: MeshService;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { ...props, namespace: 'payments', disableResourceNameHashes: true });
    const ns = new MeshNamespace(this, 'Namespace', { metadata: { name: 'payments' } });
    const app = new kplus.Deployment(this, 'Payments', {
      metadata: { name: 'payments' },
      containers: [{ image: 'ghcr.io/example/payments:3.2.0', portNumber: 8080 }],
    });
    this.payments = new MeshService(this, 'PaymentsService', {
      metadata: { name: 'payments' },
      namespace: ns,
      selector: app,
      ports: [{ port: 8080, name: 'http', appProtocol: KumaProtocol.HTTP }],
    });
  }
}

/** Properties of zone B. */
export interface ZoneBChartProps extends ChartProps {
  /** The mesh, for its services mode. */
  readonly mesh: IMesh;
  /** Zone A's payments Service. */
  readonly payments: MeshService;
  /** The MeshMultiZoneService over every zone's payments. */
  readonly paymentsEverywhere: MeshMultiZoneService;
}

/**
 * Zone B runs only a Kong gateway; it routes to zone A's payments through ExternalName Services
 * that point at mesh addresses, each with the port its addressing mode needs.
 */
export class ZoneBChart extends Chart {
  public readonly viaVip: CrossZoneExternalName;
  public readonly viaMeshService: CrossZoneExternalName;
  public readonly viaMultiZone: CrossZoneExternalName;

  constructor(scope: Construct, id: string, props: ZoneBChartProps) {
    super(scope, id, { ...props, namespace: 'kong', disableResourceNameHashes: true });
    const ns = new MeshNamespace(this, 'Namespace', { metadata: { name: 'kong' } });
    const gateway = new DelegatedGatewayDeployment(this, 'Gateway', {
      metadata: { name: 'kong-gateway' },
      namespace: ns,
      flavour: GatewayFlavour.kong(),
      containers: [{ image: 'kong:3.9', portNumber: 8000, envVariables: { KONG_DATABASE: { value: 'off' } } }],
    });
    gateway.exposeViaProxyService({ metadata: { name: 'kong-gateway-proxy' }, ports: [{ port: 80, targetPort: 8000, name: 'http' }] });

    // `.mesh` VIP: port 80 on the route, whatever payments' port.
    this.viaVip = new CrossZoneExternalName(this, 'PaymentsVip', {
      metadata: { name: 'payments-vip' },
      namespace: ns,
      mesh: props.mesh,
      target: MeshAddress.kumaServiceVip(props.payments),
    });
    // zone A's MeshService by hostname: the real port.
    this.viaMeshService = new CrossZoneExternalName(this, 'PaymentsZoneA', {
      metadata: { name: 'payments-zone-a' },
      namespace: ns,
      mesh: props.mesh,
      target: MeshAddress.meshService(props.payments, 'zone-a'),
    });
    // every zone's payments: the MeshMultiZoneService hostname, the real port.
    this.viaMultiZone = new CrossZoneExternalName(this, 'PaymentsAnyZone', {
      metadata: { name: 'payments-any-zone' },
      namespace: ns,
      mesh: props.mesh,
      target: MeshAddress.meshMultiZoneService(props.paymentsEverywhere),
    });

    const ingress = new kplus.Ingress(this, 'Ingress', { metadata: { name: 'payments' }, className: 'kong' });
    ingress.addRule('/payments', this.viaVip.toIngressBackend());
    ingress.addRule('/payments-a', this.viaMeshService.toIngressBackend());
    ingress.addRule('/payments-any', this.viaMultiZone.toIngressBackend());
  }
}
