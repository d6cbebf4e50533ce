/**
 * One measurement, in its own process: builds estate(N) one way and synthesizes it to a fresh
 * directory. Prints a JSON line: wall time of build + app.synth(), peak RSS, and a hash of the
 * YAML written (the three ways must write the same bytes).
 *
 *   node -r ts-node/register/transpile-only bench/run-one.ts <library|raw|plus|floor> <N>
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Yaml } from 'cdk8s';
import { libraryEstate, plusEstate, rawEstate } from './estate';

const [variant, nText] = process.argv.slice(2);
const n = Number(nText);
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${variant}-`));
process.env.CDK8S_KUMA_QUIET = '1';

// The library loads some modules on first use (the rules, Kuma's catalogue). Here they are
// TypeScript that ts-node would compile inside the timed section, a cost the compiled package
// does not have (its import is measured on lib/ separately): load them before the clock starts.
if (variant === 'library') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('../src/analysis/_load-rules').rules();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('../src/imports/kuma-catalogue');
}

let ms: number;
if (variant === 'floor') {
  // the serialization floor: YAML of the same objects, already built and resolved
  const app = new App({ outdir });
  rawEstate(app, n);
  const docs = app.charts.flatMap((c) => c.toJson());
  const start = performance.now();
  Yaml.stringify(...docs);
  ms = performance.now() - start;
} else {
  const build = { library: libraryEstate, raw: rawEstate, plus: plusEstate }[variant];
  if (!build) throw new Error(`unknown variant ${variant}`);
  const start = performance.now();
  const app = new App({ outdir });
  build(app, n);
  app.synth();
  ms = performance.now() - start;
}
const hash = createHash('sha256');
for (const f of fs.readdirSync(outdir).sort()) hash.update(fs.readFileSync(path.join(outdir, f)));
fs.rmSync(outdir, { recursive: true, force: true });
console.log(JSON.stringify({ variant, n, ms: Math.round(ms), rssMb: Math.round(process.resourceUsage().maxRSS / 1024), sha: hash.digest('hex').slice(0, 16) }));
