import { App } from 'cdk8s';
import { buildExampleApp } from './app';

// `npx projen synth:example` writes dist/example/{shop,kong,ingress-nginx}.k8s.yaml.
const app = new App({ outdir: 'dist/example' });
buildExampleApp(app);
app.synth();
