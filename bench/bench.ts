/**
 * The synth benchmark (`npx projen bench`): estate(N) built three ways (bench/estate.ts), each run
 * in its own process, runs interleaved; prints the median wall time of build + app.synth(), the
 * peak memory, and the ratios from the same run, as a Markdown table. Not part of the tests.
 *
 *   BENCH_SIZES=1000,5000,20000 BENCH_RUNS=5 npx projen bench
 */
import { execFileSync } from 'child_process';
import * as path from 'path';

const sizes = (process.env.BENCH_SIZES ?? '1000,5000,20000').split(',').map(Number);
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
console.log(`estate(N), median of ${runs} runs (ms: build + app.synth(); MB: peak RSS of the process)\n`);
console.log('| N | library ms | raw ms | cdk8s-plus-28 ms | yaml.stringify floor ms | library/raw | library/plus | library MB | raw MB | plus MB | library/raw MB |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
if (times[5000] && times[20000]) console.log(`\nt(20000)/t(5000) for the library: ${(times[20000] / times[5000]).toFixed(2)}`);
