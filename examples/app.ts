import * as path from 'path';
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
 * The clusters of the example, one folder of YAML each (what a GitOps repository commits and one
 * Argo CD / Flux application syncs): `edge` runs the shop and its two gateways, `global` the
 * multi-zone global control plane's objects (Kuma 2.x), `zone-a` and `zone-b` the two zones.
 */
export type ExampleCluster = 'edge' | 'global' | 'zone-a' | 'zone-b';

/**
 * Builds the bundled example for a Kuma version: one chart (one YAML file) per concern, in the App
 * of its cluster (`appOf`), or all in one App (tests).
 */
export function buildExampleApp(appOf: App | ((cluster: ExampleCluster) => App), version: KumaVersion = KumaVersion.DEFAULT): ExampleCharts {
  const apps = new Set<App>();
  const app = (cluster: ExampleCluster) => {
    const a = appOf instanceof App ? appOf : appOf(cluster);
    if (!apps.has(a)) {
      apps.add(a);
      KumaVersion.use(a, version);
    }
    return a;
  };
  const shop = new ShopChart(app('edge'), 'shop');
  const kong = new KongChart(app('edge'), 'kong', { upstream: shop.web });
  const nginx = new IngressNginxChart(app('edge'), 'ingress-nginx', { upstream: shop.web });
  // Kuma 3.x runs its global control plane on Universal only (Kuma's UPGRADE.md for 3.0): the
  // Mesh and MeshMultiZoneService of the global chart are not Kubernetes objects there.
  const global = version.major < 3 ? new GlobalChart(app('global'), 'global') : undefined;
  const zoneA = new ZoneAChart(app('zone-a'), 'zone-a');
  const zoneB = new ZoneBChart(app('zone-b'), 'zone-b', { mesh: global?.mesh, payments: zoneA.payments, paymentsEverywhere: global?.payments });
  // zone A lets zone B's gateway into payments (a permission in zone A's folder)
  zoneA.allowGatewayOf('zone-b', zoneB.gateway);
  return { shop, kong, nginx, global, zoneA, zoneB };
}

/**
 * Writes the example as a GitOps repository lays it out: `<outdir>/<cluster>/<chart>.k8s.yaml`.
 * Returns the cluster folders written.
 */
export function synthExampleTree(outdir: string, version: KumaVersion = KumaVersion.DEFAULT): string[] {
  const apps = new Map<ExampleCluster, App>();
  buildExampleApp((cluster) => {
    let app = apps.get(cluster);
    if (app === undefined) {
      app = new App({ outdir: path.join(outdir, cluster) });
      apps.set(cluster, app);
    }
    return app;
  }, version);
  for (const app of apps.values()) app.synth();
  return [...apps.values()].map((a) => a.outdir);
}
