// The pre-commit hook (.pre-commit-hooks.yaml) installed and run the way pre-commit does it, without
// pre-commit itself (a Python tool; these machines reach only the npm registry):
//   - install (pre-commit/pre-commit v4.6.2, pre_commit/languages/node.py `install_environment`):
//     `npm install --allow-git=root --install-links -g git+file://<repository>` inside the hook's
//     environment (npm_config_prefix set to it, NPM_CONFIG_USERCONFIG unset: `get_env_patch`); npm
//     clones the repository, installs its dependencies and runs `prepare` (build-tools/prepare.js,
//     which compiles lib/), packs it and installs the package globally into the environment;
//   - run (pre_commit/lang_base.py `hook_cmd`, commands/run.py): `shlex.split(entry)` then `args`,
//     no file names (pass_filenames: false), in the repository being checked, with the
//     environment's bin first on PATH.
// Installs the repository's committed HEAD. The hook must report a broken sample and pass a fixed one.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { injectionSample } from '../test/support/injection-sample';

const ROOT = path.join(__dirname, '..');
const [hook] = parse(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8'));
const head = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
if (head !== '') console.log('pre-commit e2e: the working tree has uncommitted changes; the committed HEAD is what gets installed');

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-kuma-pre-commit-'));
const envDir = path.join(home, 'node_env-system');
const env: NodeJS.ProcessEnv = { ...process.env, NODE_VIRTUAL_ENV: envDir, NPM_CONFIG_PREFIX: envDir, npm_config_prefix: envDir, PATH: `${path.join(envDir, 'bin')}${path.delimiter}${process.env.PATH}` };
delete env.NPM_CONFIG_USERCONFIG;
delete env.CDK8S_KUMA_SKIP_PREPARE; // the install must build lib/, as it does for a user
delete env.npm_config_userconfig;
fs.mkdirSync(envDir, { recursive: true });

const started = Date.now();
const install = spawnSync('npm', ['install', '--allow-git=root', '--install-links', '-g', `git+file://${ROOT}`], { cwd: ROOT, env, encoding: 'utf8' });
console.log(`pre-commit e2e: hook installed in ${Math.round((Date.now() - started) / 1000)} s (npm exit ${install.status})`);
if (install.status !== 0) {
  console.log(install.stdout + install.stderr);
  process.exit(1);
}

const sample = path.join(home, 'repo');
fs.mkdirSync(path.join(sample, 'clusters', 'edge'), { recursive: true });
// what a user writes in .pre-commit-config.yaml: args: [--kuma-version, "2.14", --format, text, clusters/]
const argv = [...hook.entry.split(/\s+/), '--kuma-version', '2.14', '--format', 'text', 'clusters/'];

let failed = false;
for (const broken of [true, false]) {
  fs.writeFileSync(path.join(sample, 'clusters', 'edge', 'shop.yaml'), injectionSample(broken));
  const r = spawnSync(argv[0], argv.slice(1), { cwd: sample, env, encoding: 'utf8' });
  const out = r.stdout + r.stderr;
  const ok = broken ? r.status === 1 && out.includes('KUMA004') : r.status === 0 && out.includes('0 errors, 0 warnings');
  console.log(`pre-commit e2e: ${broken ? 'broken' : 'fixed'} sample: \`${argv.join(' ')}\` exit ${r.status}: ${ok ? 'as expected' : 'NOT as expected'}`);
  if (!ok) {
    failed = true;
    console.log(out);
  }
}
const version = spawnSync('cdk8s-kuma', ['--version'], { env, encoding: 'utf8' }).stdout.trim();
const expected = `cdk8s-kuma ${JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version}`;
if (version !== expected) {
  console.log(`pre-commit e2e: the installed command says ${JSON.stringify(version)}, expected ${JSON.stringify(expected)}`);
  failed = true;
}
fs.rmSync(home, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
