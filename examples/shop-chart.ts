import { Chart, ChartProps } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { KumaProtocol, KumaVersion, MeshIdentity, MeshNamespace, MeshService, SidecarInjection } from '../src';
import { useZoneControlPlane } from './clusters';

/**
 * What meshed pods need where cdk8s-plus's defaults differ: the service-account token, which the
 * sidecar authenticates to the control plane with (cdk8s-plus does not mount it), and non-root at
 * container level only, since without Kuma CNI Kuma's kuma-init container runs as root (a pod-level
 * runAsNonRoot keeps it from starting). cdk8s-kuma lint reports both (KUMA029, KUMA028).
 */
export const MESHED_POD: Pick<kplus.DeploymentProps, 'automountServiceAccountToken' | 'securityContext'> = {
  automountServiceAccountToken: true,
  securityContext: { ensureNonRoot: false },
};

/**
 * The bundled example: a meshed namespace with two workloads behind MeshServices that a
 * delegated gateway (Kong, ingress-nginx, ...) can route to, and one namespace that injects
 * per workload.
 */
export class ShopChart extends Chart {
  public readonly shop: MeshNamespace;
  public readonly web: MeshService;
  public readonly orders: MeshService;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { ...props, namespace: 'shop', disableResourceNameHashes: true });
    useZoneControlPlane(this, 'edge');

    this.shop = new MeshNamespace(this, 'Namespace', { metadata: { name: 'shop' }, mesh: 'default' });
    // Kuma 3.x: mTLS (and with it every MeshTrafficPermission) exists only where a MeshIdentity
    // matches the proxies; here every proxy of the mesh, from a CA Kuma generates.
    if (KumaVersion.of(this).major >= 3) new MeshIdentity(this, 'Identity', { metadata: { name: 'identity' } });

    const web = new kplus.Deployment(this, 'Web', {
      metadata: { name: 'web' },
      podMetadata: { labels: { app: 'web' } },
      ...MESHED_POD,
      containers: [{ image: 'ghcr.io/example/web:1.4.2', portNumber: 8080 }],
    });
    this.web = new MeshService(this, 'WebService', {
      metadata: { name: 'web' },
      selector: web,
      ports: [{ port: 80, targetPort: 8080, name: 'http', appProtocol: KumaProtocol.HTTP }],
    });

    const orders = new kplus.Deployment(this, 'Orders', {
      metadata: { name: 'orders' },
      podMetadata: { labels: { app: 'orders' } },
      ...MESHED_POD,
      containers: [{ image: 'ghcr.io/example/orders:2.0.1', portNumber: 9090 }],
    });
    this.orders = new MeshService(this, 'OrdersService', {
      metadata: { name: 'orders' },
      selector: orders,
      ports: [
        { port: 9090, name: 'grpc', appProtocol: KumaProtocol.GRPC },
        { port: 9091, name: 'metrics', appProtocol: KumaProtocol.HTTP },
      ],
    });

    // A namespace that injects nothing by default: single workloads opt in with the pod label,
    // and Kuma does not annotate its Services, so MeshService's annotations are what make the
    // gateway route through the mesh (kumahq/kuma service_controller.go@v2.14.3, kumahq/kuma#11994).
    const legacy = new MeshNamespace(this, 'LegacyNamespace', {
      metadata: { name: 'legacy' },
      sidecarInjection: SidecarInjection.DISABLED,
    });
    const billing = new kplus.Deployment(this, 'Billing', {
      metadata: { name: 'billing', namespace: 'legacy' },
      podMetadata: { labels: { 'app': 'billing', 'kuma.io/sidecar-injection': 'enabled' } },
      ...MESHED_POD,
      containers: [{ image: 'ghcr.io/example/billing:0.9.0', portNumber: 8080 }],
    });
    new MeshService(this, 'BillingService', {
      metadata: { name: 'billing' },
      namespace: legacy,
      selector: billing,
      mesh: 'default',
      ports: [{ port: 8080, appProtocol: KumaProtocol.HTTP }],
    });
  }
}
