import { App } from 'cdk8s';
import { buildExampleApp } from './app';
import { KumaVersion } from '../src';

// `npx projen synth:example` writes dist/example/<chart>.k8s.yaml for Kuma 2.14 (shop, kong,
// ingress-nginx, and the multi-zone example global, zone-a, zone-b), and the same example for
// Kuma 3.0 into dist/example-kuma-3.0/.
const app = new App({ outdir: 'dist/example' });
buildExampleApp(app);
app.synth();

const kuma3 = new App({ outdir: 'dist/example-kuma-3.0' });
buildExampleApp(kuma3, KumaVersion.V3_0);
kuma3.synth();
