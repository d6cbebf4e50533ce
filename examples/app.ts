import { App } from 'cdk8s';
import { IngressNginxChart } from './ingress-nginx-chart';
import { KongChart } from './kong-chart';
import { ShopChart } from './shop-chart';

/** The bundled example's charts: the meshed shop, and two delegated gateways in front of it. */
export function buildExampleApp(app: App): { shop: ShopChart; kong: KongChart; nginx: IngressNginxChart } {
  const shop = new ShopChart(app, 'shop');
  const kong = new KongChart(app, 'kong', { upstream: shop.web });
  const nginx = new IngressNginxChart(app, 'ingress-nginx', { upstream: shop.web });
  return { shop, kong, nginx };
}
