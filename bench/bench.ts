/**
 * The synth benchmark (`npx projen bench`): estate(N) built three ways (bench/estate.ts), each run
 * in its own process, runs interleaved; prints the median wall time of build + app.synth(), the
 * peak memory, and the ratios from the same run, as a Markdown table. Not part of the tests.
 *
 *   BENCH_SIZES=1000,5000,20000 BENCH_RUNS=5 npx projen bench
 *
 * Then the import of the compiled package against cdk8s-plus-28 (BENCH_IMPORT_RUNS fresh processes
 * each, default 21; 0 skips it), and the lint command over a rendered tree of BENCH_LINT objects
 * (default 1000,10000,50000; 25
 * Services and 25 Deployments per file) against the floor of parsing the same files with the same
 * parser (BENCH_LINT=0 skips it).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const sizes = (process.env.BENCH_SIZES ?? '1000,5000,20000').split(',').map(Number).filter((n) => n > 0);
const runs = Number(process.env.BENCH_RUNS ?? 5);
const variants = ['library', 'raw', 'plus', 'floor'];
const root = path.join(__dirname, '..');

interface Sample { variant: string; n: number; ms: number; rssMb: number; sha: string }
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const rows: string[] = [];
for (const n of sizes) {
  const samples: Sample[] = [];
  for (let r = 0; r < runs; r++) {
    for (const v of variants) {
      const out = execFileSync(process.execPath, ['--max-old-space-size=8192', '-r', 'ts-node/register/transpile-only', 'bench/run-one.ts', v, String(n)], {
        cwd: root, encoding: 'utf8', env: { ...process.env, TS_NODE_PROJECT: 'test/tsconfig.json' },
      });
      samples.push(JSON.parse(out.trim().split('\n').pop()!));
    }
  }
  const of = (v: string) => samples.filter((s) => s.variant === v);
  const t = (v: string) => median(of(v).map((s) => s.ms));
  const mem = (v: string) => Math.max(...of(v).map((s) => s.rssMb));
  const shas = new Set(['library', 'raw', 'plus'].flatMap((v) => of(v).map((s) => s.sha)));
  if (shas.size !== 1) throw new Error(`N=${n}: the three estates wrote different YAML (${[...shas].join(', ')})`);
  rows.push(`| ${n} | ${t('library')} | ${t('raw')} | ${t('plus')} | ${t('floor')} | ${(t('library') / t('raw')).toFixed(2)} | ${(t('library') / t('plus')).toFixed(2)} | ${mem('library')} | ${mem('raw')} | ${mem('plus')} | ${(mem('library') / mem('raw')).toFixed(2)} |`);
  console.error(`N=${n} done (${runs} runs each, same YAML: ${[...shas][0]})`);
}
const times = Object.fromEntries(rows.map((r) => [Number(r.split('|')[1]), Number(r.split('|')[2])]));
if (rows.length > 0) {
  console.log(`estate(N), median of ${runs} runs (ms: build + app.synth(); MB: peak RSS of the process)\n`);
  console.log('| N | library ms | raw ms | cdk8s-plus-28 ms | yaml.stringify floor ms | library/raw | library/plus | library MB | raw MB | plus MB | library/raw MB |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
}
if (times[5000] && times[20000]) console.log(`\nt(20000)/t(5000) for the library: ${(times[20000] / times[5000]).toFixed(2)}`);

// Importing the package (lib/, compiled by the bench task first) against importing
// cdk8s-plus-28, each in a fresh process, interleaved: what every `cdk8s synth` pays up front.
// The package's index loads each module on first access (build-tools/lazy-index.ts), so the
// import alone says little: "first use" also builds a one-object app, a meshed namespace, a
// Service and a gateway with this library, a Namespace, a Service and a Deployment with
// cdk8s-plus-28 by hand, which loads what such an app really needs.
const importRuns = Number(process.env.BENCH_IMPORT_RUNS ?? 21);
if (importRuns > 0) {
  const lib = path.join(root, 'lib', 'index.js');
  if (!fs.existsSync(lib)) throw new Error(`${lib} is missing: run npx projen compile (npx projen bench does)`);
  const timed = (body: string) => `const s = process.hrtime.bigint(); ${body}; console.log(Number(process.hrtime.bigint() - s) / 1e6);`;
  const firstUse = {
    'cdk8s-kuma': `const k = require(${JSON.stringify(lib)}); const { App, Chart } = require('cdk8s'); const c = new Chart(new App(), 'c');
      const ns = new k.MeshNamespace(c, 'Ns', { metadata: { name: 'shop' } });
      new k.MeshService(c, 'Svc', { namespace: ns, selectorLabels: { app: 'web' }, ports: [{ port: 80 }] });
      new k.DelegatedGatewayDeployment(c, 'Gw', { namespace: ns, containers: [{ image: 'kong', portNumber: 8000 }] })`,
    'cdk8s-plus-28': `const p = require('cdk8s-plus-28'); const { App, Chart } = require('cdk8s'); const c = new Chart(new App(), 'c');
      new p.Namespace(c, 'Ns', { metadata: { name: 'shop' } });
      new p.Service(c, 'Svc', { ports: [{ port: 80 }] }).selectLabel('app', 'web');
      new p.Deployment(c, 'Gw', { containers: [{ image: 'kong', portNumber: 8000 }] })`,
  };
  const cases: Record<string, string> = {
    'import cdk8s-kuma': `require(${JSON.stringify(lib)})`,
    'import cdk8s-plus-28': "require('cdk8s-plus-28')",
    'first use cdk8s-kuma': firstUse['cdk8s-kuma'],
    'first use cdk8s-plus-28': firstUse['cdk8s-plus-28'],
  };
  const ms: Record<string, number[]> = {};
  for (let r = 0; r < importRuns; r++) {
    for (const [name, body] of Object.entries(cases)) {
      const out = execFileSync(process.execPath, ['-e', timed(body)], { cwd: root, encoding: 'utf8' });
      (ms[name] ??= []).push(Number(out.trim().split('\n').pop()));
    }
  }
  const m = (name: string) => median(ms[name]);
  console.log(`\nimport and first use, median of ${importRuns} fresh processes (ms)\n`);
  console.log('| | cdk8s-kuma ms | cdk8s-plus-28 ms | cdk8s-kuma/cdk8s-plus-28 |');
  console.log('|---|---|---|---|');
  for (const what of ['import', 'first use']) {
    const a = m(`${what} cdk8s-kuma`), b = m(`${what} cdk8s-plus-28`);
    console.log(`| ${what} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${(a / b).toFixed(2)} |`);
  }
  console.error(`import done (${importRuns} runs each)`);
}

// The lint command over rendered trees, against parsing the same YAML with the same parser.
const lintSizes = (process.env.BENCH_LINT ?? '1000,10000,50000').split(',').map(Number).filter((n) => n > 0);
if (lintSizes.length > 0) {
  const lintRows: string[] = [];
  for (const n of lintSizes) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-lint-'));
    writeRenderedTree(dir, n);
    const samples: { variant: string; ms: number; rssMb: number; objects: number }[] = [];
    for (let r = 0; r < runs; r++) {
      for (const v of ['lint', 'floor']) {
        const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'bench/lint-one.ts', v, dir], {
          cwd: root, encoding: 'utf8', env: { ...process.env, TS_NODE_PROJECT: 'test/tsconfig.json' },
        });
        samples.push(JSON.parse(out.trim().split('\n').pop()!));
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
    const of = (v: string) => samples.filter((s) => s.variant === v);
    const t = (v: string) => median(of(v).map((s) => s.ms));
    const mem = (v: string) => Math.max(...of(v).map((s) => s.rssMb));
    if (new Set(samples.map((s) => s.objects)).size !== 1) throw new Error(`lint of ${n}: the lint and the floor read different object counts`);
    lintRows.push(`| ${n} | ${t('lint')} | ${t('floor')} | ${(t('lint') / t('floor')).toFixed(2)} | ${mem('lint')} | ${mem('floor')} |`);
    console.error(`lint N=${n} done (${runs} runs each)`);
  }
  console.log(`\ncdk8s-kuma lint over a rendered tree, median of ${runs} runs (ms; MB: peak RSS of the process)\n`);
  console.log('| objects | lint ms | parse floor ms | lint/floor | lint MB | floor MB |');
  console.log('|---|---|---|---|---|---|');
  for (const r of lintRows) console.log(r);
}

// graph and dataplanes against the lint, over the lint's tree and over a tree with traffic to draw
// (gateways, routes, policies): the bound is graph <= 1.5 x lint.
const graphSizes = (process.env.BENCH_GRAPH ?? '10000').split(',').map(Number).filter((n) => n > 0);
if (graphSizes.length > 0) {
  const graphRows: string[] = [];
  for (const n of graphSizes) {
    for (const [tree, write] of [['lint\'s', writeRenderedTree], ['traffic', writeTrafficTree]] as const) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-graph-'));
      write(dir, n);
      const samples: { variant: string; ms: number }[] = [];
      for (let r = 0; r < runs; r++) {
        for (const v of ['lint', 'graph', 'dataplanes']) {
          const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'bench/lint-one.ts', v, dir], {
            cwd: root, encoding: 'utf8', env: { ...process.env, TS_NODE_PROJECT: 'test/tsconfig.json' },
          });
          samples.push(JSON.parse(out.trim().split('\n').pop()!));
        }
      }
      fs.rmSync(dir, { recursive: true, force: true });
      const t = (v: string) => median(samples.filter((s) => s.variant === v).map((s) => s.ms));
      graphRows.push(`| ${tree} | ${n} | ${t('lint')} | ${t('graph')} | ${(t('graph') / t('lint')).toFixed(2)} | ${t('dataplanes')} | ${(t('dataplanes') / t('lint')).toFixed(2)} |`);
      console.error(`graph N=${n} ${tree} tree done (${runs} runs each)`);
    }
  }
  console.log(`\ncdk8s-kuma graph and dataplanes against lint over the same tree, median of ${runs} runs (ms)\n`);
  console.log('| tree | objects | lint ms | graph ms | graph/lint | dataplanes ms | dataplanes/lint |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of graphRows) console.log(r);
}

/**
 * A tree of about `n` objects with traffic: per file, a namespace labelled for injection, a Kong
 * gateway of its own ingress class (CONTROLLER_INGRESS_CLASS, as a team's own Kong install) and
 * its Service, an Ingress of that class to the file's 22 Services, a MeshTimeout from the gateway
 * to each, and the Services' Deployments.
 */
function writeTrafficTree(dir: string, n: number): void {
  const perFile = 50;
  for (let f = 0; f * perFile < n; f++) {
    const ns = `ns${f}`;
    const services = Array.from({ length: 22 }, (_, i) => `s${f * perFile + i}`);
    const docs = [
      `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n  labels: {kuma.io/sidecar-injection: enabled}\n`,
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: gw, namespace: ${ns}}\nspec:\n  selector: {matchLabels: {app: gw}}\n  template:\n    metadata:\n      labels: {app: gw}\n`
        + '      annotations: {kuma.io/gateway: enabled}\n    spec:\n      containers:\n'
        + `      - {name: proxy, image: "kong:3.9", ports: [{containerPort: 8000}], env: [{name: CONTROLLER_INGRESS_CLASS, value: kong-${f}}]}\n`,
      `apiVersion: v1\nkind: Service\nmetadata: {name: gw-proxy, namespace: ${ns}}\nspec:\n  selector: {app: gw}\n  ports: [{port: 80, targetPort: 8000}]\n`,
      `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: routes, namespace: ${ns}}\nspec:\n  ingressClassName: kong-${f}\n  rules:\n  - http:\n      paths:\n`
        + services.map((s) => `      - {path: /${s}, pathType: Prefix, backend: {service: {name: ${s}, port: {number: 80}}}}\n`).join(''),
      `apiVersion: kuma.io/v1alpha1\nkind: MeshTimeout\nmetadata: {name: gw-timeouts, namespace: ${ns}, labels: {kuma.io/mesh: default}}\nspec:\n`
        + '  targetRef: {kind: MeshSubset, tags: {app: gw}}\n  to:\n'
        + services.map((s) => `  - targetRef: {kind: MeshService, name: ${s}_${ns}_svc_80}\n    default: {connectionTimeout: 2s}\n`).join(''),
      ...services.flatMap((s) => [
        `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${s}\n  namespace: ${ns}\n  annotations: {ingress.kubernetes.io/service-upstream: "true"}\nspec:\n  selector: {app: ${s}}\n  ports: [{port: 80, targetPort: 8080, appProtocol: http}]\n`,
        `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${s}, namespace: ${ns}}\nspec:\n  selector: {matchLabels: {app: ${s}}}\n  template:\n    metadata: {labels: {app: ${s}}}\n`
          + '    spec: {containers: [{name: c, image: img, ports: [{containerPort: 8080}]}]}\n',
      ]),
    ];
    fs.writeFileSync(path.join(dir, `f${String(f).padStart(5, '0')}.yaml`), docs.join('---\n'));
  }
}

/** A rendered tree of `n` objects: files of 25 Services and 25 Deployments. */
function writeRenderedTree(dir: string, n: number): void {
  const perFile = 50;
  for (let f = 0; f * perFile < n; f++) {
    const docs: string[] = [];
    for (let i = f * perFile; i < Math.min(n, (f + 1) * perFile); i += 2) {
      docs.push(`apiVersion: v1\nkind: Service\nmetadata:\n  name: s${i}\n  namespace: ns${f}\n  annotations:\n    ingress.kubernetes.io/service-upstream: "true"\n    nginx.ingress.kubernetes.io/service-upstream: "true"\nspec:\n  selector: {app: a${i}}\n  ports: [{port: 80, targetPort: 8080}]\n`);
      docs.push(`apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d${i}\n  namespace: ns${f}\nspec:\n  selector:\n    matchLabels: {app: a${i}}\n  template:\n    metadata:\n      labels: {app: a${i}}\n    spec:\n      containers: [{name: c, image: img, ports: [{containerPort: 8080}]}]\n`);
    }
    fs.writeFileSync(path.join(dir, `f${String(f).padStart(5, '0')}.yaml`), docs.join('---\n'));
  }
}
