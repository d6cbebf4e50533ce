// Synthesizes estate(N) three ways and diffs the YAML (the benchmark checks the same bytes).
import { App } from 'cdk8s';
import { libraryEstate, plusEstate, rawEstate } from './estate';
const n = Number(process.argv[2] ?? 100);
const yaml = (build: (a: App, n: number) => void) => { const app = new App({ outdir: '/tmp/bench-cmp' }); build(app, n); return app.synthYaml(); };
const lib = yaml(libraryEstate); const raw = yaml(rawEstate); const plus = yaml(plusEstate);
const fs = require('fs'); fs.writeFileSync('/tmp/lib.yaml', lib); fs.writeFileSync('/tmp/raw.yaml', raw); fs.writeFileSync('/tmp/plus.yaml', plus);
console.log('lib==raw', lib === raw, 'lib==plus', lib === plus, lib.length, raw.length, plus.length);
