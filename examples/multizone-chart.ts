import { Chart, ChartProps } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  CrossZoneExternalName, DelegatedGateway, DelegatedGatewayDeployment, GatewayFlavour, GatewayPermissionTarget, IMesh, KumaProtocol,
  Mesh, MeshAddress,
  KumaVersion, MeshMultiZoneService, MeshNamespace, MeshService, MeshServicesMode, ReachableBackend, ReachableService,
} from '../src';
import { sharedCaIdentity, useZoneControlPlane } from './clusters';
import { MESHED_POD } from './shop-chart';

/**
 * What the global control plane's cluster holds: the Mesh (its services mode decides which
 * addresses work) and a MeshMultiZoneService over every zone's `payments`.
 */
export class GlobalChart extends Chart {
  public readonly mesh: Mesh;
  public readonly payments: MeshMultiZoneService;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { ...props, disableResourceNameHashes: true });
    // mTLS: Kuma routes across zones only through zone ingresses, which need it (kumahq/kuma v2.14.3
    // pkg/xds/topology/outbound.go: cross-zone endpoints are built for meshes with mTLS only); with
    // it, every gateway needs a MeshTrafficPermission to its upstreams (allowTo, allowGatewayOf)
    this.mesh = new Mesh(this, 'Mesh', { metadata: { name: 'default' }, meshServicesMode: MeshServicesMode.EVERYWHERE, mtls: true });
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
    useZoneControlPlane(this, 'zone-a');
    const ns = new MeshNamespace(this, 'Namespace', { metadata: { name: 'payments' } });
    const app = new kplus.Deployment(this, 'Payments', {
      metadata: { name: 'payments' },
      podMetadata: { labels: { 'app.kubernetes.io/name': 'payments' } },
      ...MESHED_POD,
      containers: [{ image: 'ghcr.io/example/payments:3.2.0', portNumber: 8080 }],
    });
    this.payments = new MeshService(this, 'PaymentsService', {
      metadata: { name: 'payments' },
      namespace: ns,
      selector: app,
      ports: [{ port: 8080, name: 'http', appProtocol: KumaProtocol.HTTP }],
    });
    // Kuma 3.x: other zones reach zone A's MeshServices only through a MeshZoneAddress, which
    // Kuma creates for the mesh-scoped zone ingress that zone A's Helm values enable
    // (meshes[].ingress.enabled; kumahq/kuma UPGRADE.md for 3.0); declare one with MeshZoneAddress
    // when the ingress is published some other way. Identity and mTLS: the zones' shared CA.
    sharedCaIdentity(this);
  }

  /**
   * Lets the delegated gateway of another zone into payments: the permission lives in this zone,
   * which runs payments, and names the gateway by what its own app knows of it (Kuma 2.x: its
   * tags; 3.x: its SPIFFE ID, which holds its zone).
   */
  public allowGatewayOf(zone: string, gateway: DelegatedGatewayDeployment): void {
    DelegatedGateway.fromGatewayAttributes(this, 'RemoteGateway', gateway.gateway.toAttributes(zone))
      .allowTo('AllowRemoteGateway', GatewayPermissionTarget.service(this.payments));
  }
}

/** Properties of zone B. */
export interface ZoneBChartProps extends ChartProps {
  /**
   * The mesh, for its services mode.
   *
   * @default - Kuma 3.x: every mesh behaves as Exclusive
   */
  readonly mesh?: IMesh;
  /** Zone A's payments Service. */
  readonly payments: MeshService;
  /**
   * The MeshMultiZoneService over every zone's payments (Kuma 2.x: it lives in the global
   * control plane, which 3.x runs on Universal only).
   *
   * @default - no route through a MeshMultiZoneService
   */
  readonly paymentsEverywhere?: MeshMultiZoneService;
}

/**
 * Zone B runs only a Kong gateway; it routes to zone A's payments through ExternalName Services
 * that point at mesh addresses, each with the port its addressing mode needs.
 */
export class ZoneBChart extends Chart {
  /** The Kong gateway of zone B. */
  public readonly gateway: DelegatedGatewayDeployment;
  public readonly viaVip?: CrossZoneExternalName;
  public readonly viaMeshService: CrossZoneExternalName;
  public readonly viaMultiZone?: CrossZoneExternalName;

  constructor(scope: Construct, id: string, props: ZoneBChartProps) {
    super(scope, id, { ...props, namespace: 'kong', disableResourceNameHashes: true });
    useZoneControlPlane(this, 'zone-b');
    const ns = new MeshNamespace(this, 'Namespace', { metadata: { name: 'kong' } });
    const gateway = new DelegatedGatewayDeployment(this, 'Gateway', {
      metadata: { name: 'kong-gateway' },
      namespace: ns,
      flavour: GatewayFlavour.kong(),
      podMetadata: { labels: { 'app.kubernetes.io/name': 'kong-gateway' } },
      // its own identity (Kuma 3.x permissions match the service account in its SPIFFE ID)
      serviceAccount: new kplus.ServiceAccount(this, 'GatewayAccount', { metadata: { name: 'kong-gateway' } }),
      containers: [{ image: 'kong:3.9', portNumber: 8000, envVariables: { KONG_DATABASE: { value: 'off' } } }],
    });
    this.gateway = gateway;
    sharedCaIdentity(this);
    gateway.exposeViaProxyService({ metadata: { name: 'kong-gateway-proxy' }, ports: [{ port: 80, targetPort: 8000, name: 'http' }] });

    // `.mesh` VIP (Kuma 2.x; 3.x removed them): port 80 on the route, whatever payments' port.
    if (KumaVersion.of(this).major < 3) {
      this.viaVip = new CrossZoneExternalName(this, 'PaymentsVip', {
        metadata: { name: 'payments-vip' },
        namespace: ns,
        mesh: props.mesh,
        target: MeshAddress.kumaServiceVip(props.payments),
      });
    }
    // zone A's MeshService by hostname: the real port.
    this.viaMeshService = new CrossZoneExternalName(this, 'PaymentsZoneA', {
      metadata: { name: 'payments-zone-a' },
      namespace: ns,
      mesh: props.mesh,
      target: MeshAddress.meshService(props.payments, 'zone-a'),
    });
    // every zone's payments: the MeshMultiZoneService hostname, the real port.
    if (props.paymentsEverywhere !== undefined) {
      this.viaMultiZone = new CrossZoneExternalName(this, 'PaymentsAnyZone', {
        metadata: { name: 'payments-any-zone' },
        namespace: ns,
        mesh: props.mesh,
        target: MeshAddress.meshMultiZoneService(props.paymentsEverywhere),
      });
    }

    // Only what its routes send to, each as Kuma lists it (a list without one of them would cut
    // the gateway off from it): the VIP's kuma.io/service, the other zones' MeshServices by labels.
    if (this.viaVip) gateway.gateway.addReachableService(ReachableService.fromMeshService(props.payments));
    gateway.gateway.addReachableBackend(ReachableBackend.meshAddress(MeshAddress.meshService(props.payments, 'zone-a')));
    if (props.paymentsEverywhere !== undefined) {
      gateway.gateway.addReachableBackend(ReachableBackend.meshAddress(MeshAddress.meshMultiZoneService(props.paymentsEverywhere)));
    }

    const ingress = new kplus.Ingress(this, 'Ingress', { metadata: { name: 'payments' }, className: 'kong' });
    if (this.viaVip) ingress.addRule('/payments', this.viaVip.toIngressBackend());
    ingress.addRule('/payments-a', this.viaMeshService.toIngressBackend());
    if (this.viaMultiZone) ingress.addRule('/payments-any', this.viaMultiZone.toIngressBackend());
  }
}
