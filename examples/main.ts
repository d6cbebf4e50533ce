import { synthExampleTree } from './app';
import { KumaVersion } from '../src';

// `npx projen synth:example` writes one folder per cluster, one YAML file per chart: for Kuma 2.14
// dist/example/{edge,global,zone-a,zone-b}/<chart>.k8s.yaml, and the same example for Kuma 3.0 in
// dist/example-kuma-3.0/ (no global folder: 3.x runs its global control plane on Universal only).
// Each folder is what one cluster applies, and passes `cdk8s-kuma lint` on its own.
synthExampleTree('dist/example', KumaVersion.DEFAULT);
synthExampleTree('dist/example-kuma-3.0', KumaVersion.V3_0);
