/**
 * One lint measurement, in its own process: `cdk8s-kuma lint` over a directory of rendered YAML,
 * or the floor (parsing the same files with the same parser, one at a time). Prints a JSON line:
 * wall time and peak RSS.
 *
 *   node -r ts-node/register/transpile-only bench/lint-one.ts <lint|floor|graph|dataplanes> <dir>
 *
 * graph and dataplanes are the commands of the same name over the same directory (their objects
 * count is the lint's, not measured).
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { dataplanes } from '../src/analysis/lint/_dataplanes-command';
import { graph } from '../src/analysis/lint/_graph-command';
import { lint } from '../src/analysis/lint/_lint';

const [variant, dir] = process.argv.slice(2);
let objects = 0;
const start = performance.now();
if (variant === 'lint') {
  let out = '';
  lint(['lint', dir], { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => undefined } });
  objects = Number(/(\d+) objects/.exec(out)?.[1]);
} else if (variant === 'graph' || variant === 'dataplanes') {
  let out = '';
  const status = (variant === 'graph' ? graph : dataplanes)(['--no-config', dir], { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => undefined } });
  if (status !== 0) throw new Error(`${variant} exited ${String(status)}`);
  objects = out.length > 0 ? -1 : 0;
} else if (variant === 'floor') {
  for (const f of fs.readdirSync(dir).sort()) {
    for (const doc of parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8'), { version: '1.1' })) if (doc.toJS() !== null) objects++;
  }
} else {
  throw new Error(`unknown variant ${variant}`);
}
const ms = performance.now() - start;
console.log(JSON.stringify({ variant, objects, ms: Math.round(ms), rssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
