// `cdk8s synth` with the packed npm package as the validation plugin, as a user installs it:
// the tarball of `npx projen package` (dist/js) unpacked into an app's node_modules, its peers
// (cdk8s, constructs, cdk8s-plus-28) linked from this project's. A broken app must fail with the
// report, the fixed one pass (test/support/plugin-app.ts; the jest test runs the same apps on src/).
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthWithPlugin } from '../test/support/plugin-app';

const ROOT = path.join(__dirname, '..');
const tarballs = fs.readdirSync(path.join(ROOT, 'dist', 'js')).filter((f) => f.endsWith('.tgz'));
if (tarballs.length !== 1) throw new Error(`expected one tarball in dist/js, found ${tarballs.join(', ') || 'none'} (run npx projen package)`);

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-kuma-e2e-'));
const pkg = path.join(home, 'node_modules', 'cdk8s-kuma');
fs.mkdirSync(pkg, { recursive: true });
execFileSync('tar', ['xzf', path.join(ROOT, 'dist', 'js', tarballs[0]), '-C', pkg, '--strip-components=1']);
for (const peer of ['cdk8s', 'constructs', 'cdk8s-plus-28']) {
  fs.symlinkSync(path.join(ROOT, 'node_modules', peer), path.join(home, 'node_modules', peer), 'dir');
}

let failed = false;
for (const broken of [true, false]) {
  const r = synthWithPlugin(pkg, { broken });
  const out = r.stdout + r.stderr;
  const ok = broken
    ? r.status !== 0 && out.includes('KUMA004 pod-injection-namespace-unlabelled (error)') && out.includes('Validation failed')
    : r.status === 0 && !out.includes('Validation failed');
  console.log(`plugin e2e (${tarballs[0]}): ${broken ? 'broken' : 'fixed'} app: cdk8s synth exit ${r.status}: ${ok ? 'as expected' : 'NOT as expected'}`);
  if (!ok) {
    failed = true;
    console.log(out);
  }
  fs.rmSync(r.dir, { recursive: true, force: true });
}
fs.rmSync(home, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
