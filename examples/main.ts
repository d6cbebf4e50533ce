import { App } from 'cdk8s';
import { buildExampleApp } from './app';

// `npx projen synth:example` writes dist/example/<chart>.k8s.yaml: shop, kong, ingress-nginx,
// and the multi-zone example global, zone-a, zone-b.
const app = new App({ outdir: 'dist/example' });
buildExampleApp(app);
app.synth();
