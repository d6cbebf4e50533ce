import { App } from 'cdk8s';
import { ShopChart } from './shop-chart';

// `npx projen synth:example` writes dist/example/shop.k8s.yaml.
const app = new App({ outdir: 'dist/example' });
new ShopChart(app, 'shop');
app.synth();
