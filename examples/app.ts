import { App } from 'cdk8s';
import { KumaVersion } from '../src';
import { IngressNginxChart } from './ingress-nginx-chart';
import { KongChart } from './kong-chart';
import { GlobalChart, ZoneAChart, ZoneBChart } from './multizone-chart';
import { ShopChart } from './shop-chart';

/** The bundled example's charts. */
export interface ExampleCharts {
  /** The meshed shop. */
  readonly shop: ShopChart;
  /** Kong from its Helm chart's output, in front of the shop. */
  readonly kong: KongChart;
  /** ingress-nginx built from scratch, in front of the shop. */
  readonly nginx: IngressNginxChart;
  /** Multi-zone: the global control plane's objects (Kuma 2.x: 3.x runs no global control plane on Kubernetes). */
  readonly global?: GlobalChart;
  /** Multi-zone: zone A runs payments. */
  readonly zoneA: ZoneAChart;
  /** Multi-zone: zone B's gateway routes to zone A. */
  readonly zoneB: ZoneBChart;
}

/**
 * Builds the bundled example into `app` for a Kuma version: one chart (one YAML file) per cluster
 * and concern.
 */
export function buildExampleApp(app: App, version: KumaVersion = KumaVersion.DEFAULT): ExampleCharts {
  KumaVersion.use(app, version);
  const shop = new ShopChart(app, 'shop');
  const kong = new KongChart(app, 'kong', { upstream: shop.web });
  const nginx = new IngressNginxChart(app, 'ingress-nginx', { upstream: shop.web });
  // Kuma 3.x runs its global control plane on Universal only (Kuma's UPGRADE.md for 3.0): the
  // Mesh and MeshMultiZoneService of the global chart are not Kubernetes objects there.
  const global = version.major < 3 ? new GlobalChart(app, 'global') : undefined;
  const zoneA = new ZoneAChart(app, 'zone-a');
  const zoneB = new ZoneBChart(app, 'zone-b', { mesh: global?.mesh, payments: zoneA.payments, paymentsEverywhere: global?.payments });
  return { shop, kong, nginx, global, zoneA, zoneB };
}
