/*
 * .pre-commit-hooks.yaml: the manifest as pre-commit reads it (pre-commit/pre-commit v4.6.2,
 * pre_commit/clientlib.py MANIFEST_HOOK_DICT), the command line pre-commit builds from it
 * (lang_base.py hook_cmd: shlex.split(entry), then args; pass_filenames: false adds no file names)
 * run on a sample, and build-tools/prepare.js, which builds lib/ when npm installs the repository
 * from git. The real installation (npm install -g git+file://...) is `npx projen test:pre-commit-e2e`.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { injectionSample } from './support/injection-sample';
import { runLint } from './support/run-lint';
import { tempDirs } from './support/temp-dirs';

const ROOT = path.join(__dirname, '..');
const hooks = parse(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8'));
const fresh = tempDirs('pre-commit');

/** MANIFEST_HOOK_DICT's keys and what each holds (clientlib.py; `language` checked against language_names). */
const KEYS: Record<string, (v: unknown) => boolean> = {
  id: (v) => typeof v === 'string',
  name: (v) => typeof v === 'string',
  entry: (v) => typeof v === 'string',
  language: (v) => v === 'node',
  alias: (v) => typeof v === 'string',
  files: (v) => typeof v === 'string',
  exclude: (v) => typeof v === 'string',
  types: (v) => Array.isArray(v) && v.every((t) => typeof t === 'string'),
  types_or: (v) => Array.isArray(v),
  exclude_types: (v) => Array.isArray(v),
  additional_dependencies: (v) => Array.isArray(v),
  args: (v) => Array.isArray(v),
  always_run: (v) => typeof v === 'boolean',
  fail_fast: (v) => typeof v === 'boolean',
  pass_filenames: (v) => typeof v === 'boolean',
  description: (v) => typeof v === 'string',
  language_version: (v) => typeof v === 'string',
  log_file: (v) => typeof v === 'string',
  minimum_pre_commit_version: (v) => typeof v === 'string' && /^\d+\.\d+\.\d+$/.test(v),
  require_serial: (v) => typeof v === 'boolean',
  stages: (v) => Array.isArray(v),
  verbose: (v) => typeof v === 'boolean',
};

test('one node hook, cdk8s-kuma-lint, in pre-commit\'s manifest schema; its entry is the package\'s command', () => {
  expect(Array.isArray(hooks)).toBe(true);
  expect(hooks.map((h: any) => h.id)).toEqual(['cdk8s-kuma-lint']);
  const [hook] = hooks;
  for (const key of ['id', 'name', 'entry', 'language']) expect(Object.keys(hook)).toContain(key);
  for (const [key, value] of Object.entries(hook)) {
    expect({ key, known: key in KEYS }).toEqual({ key, known: true });
    expect({ key, valid: KEYS[key](value) }).toEqual({ key, valid: true });
  }
  // identify's tag for .yaml and .yml (pre-commit/identify identify/extensions.py)
  expect(hook.types).toEqual(['yaml']);
  // the lint reads objects across files: the folders come from args, never the changed files in batches
  expect(hook.pass_filenames).toBe(false);
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  expect(hook.entry).toBe('cdk8s-kuma lint');
  expect(pkg.bin).toEqual({ 'cdk8s-kuma': 'lib/cli.js' });
  expect(pkg.scripts.prepare).toBe('node build-tools/prepare.js');
});

test('the command pre-commit runs (entry, then the user\'s args, no file names) reports a broken sample and passes a fixed one', () => {
  const [hook] = hooks;
  const dir = fresh();
  const file = path.join(dir, 'clusters', 'edge', 'shop.yaml');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // .pre-commit-config.yaml: args: [--kuma-version, "2.14", --format, text, <folder>]
  const argv = [...hook.entry.split(' '), '--kuma-version', '2.14', '--format', 'text', path.join(dir, 'clusters')];
  expect(argv.slice(0, 2)).toEqual(['cdk8s-kuma', 'lint']);
  fs.writeFileSync(file, injectionSample(true));
  const broken = runLint(...argv.slice(2));
  expect(broken.status).toBe(1);
  expect(broken.stdout).toContain('KUMA004');
  fs.writeFileSync(file, injectionSample(false));
  expect(runLint(...argv.slice(2))).toEqual({ status: 0, stdout: '2 objects, 0 errors, 0 warnings (Kuma 2.14)\n', stderr: '' });
  // with no folder in args the hook fails and says why, rather than passing on nothing
  const none = runLint(...[...argv.slice(2, -1)]);
  expect(none.status).toBe(2);
});

describe('build-tools/prepare.js (npm\'s prepare script)', () => {
  /** A copy of the script in a project of its own, with stand-in projen and npm that log their arguments. */
  function project(opts: { lib: boolean; projen: boolean; skip?: boolean }) {
    const dir = fresh();
    fs.mkdirSync(path.join(dir, 'build-tools'));
    fs.copyFileSync(path.join(ROOT, 'build-tools', 'prepare.js'), path.join(dir, 'build-tools', 'prepare.js'));
    if (opts.lib) {
      fs.mkdirSync(path.join(dir, 'lib'));
      fs.writeFileSync(path.join(dir, 'lib', 'cli.js'), '');
    }
    const log = path.join(dir, 'log');
    const stub = (file: string, name: string) => {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, `#!/usr/bin/env bash\necho "${name} $* global=\${npm_config_global:-unset}" >> "${log}"\n`, { mode: 0o755 });
    };
    if (opts.projen) stub(path.join(dir, 'node_modules', '.bin', 'projen'), 'projen');
    stub(path.join(dir, 'bin', 'npm'), 'npm');
    const r = spawnSync(process.execPath, [path.join(dir, 'build-tools', 'prepare.js')], {
      encoding: 'utf8', env: { PATH: `${path.join(dir, 'bin')}:${process.env.PATH}`, npm_config_global: 'true', ...opts.skip ? { CDK8S_KUMA_SKIP_PREPARE: '1' } : {} },
    });
    return { status: r.status, stderr: r.stderr, log: fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : [] };
  }

  test('a compiled working copy: nothing runs', () => {
    expect(project({ lib: true, projen: true })).toEqual({ status: 0, stderr: '', log: [] });
  });

  test('.ci/run\'s npm ci (CDK8S_KUMA_SKIP_PREPARE=1, it compiles next): nothing runs', () => {
    expect(project({ lib: false, projen: true, skip: true })).toEqual({ status: 0, stderr: '', log: [] });
  });

  test('lib/ missing: projen compile', () => {
    expect(project({ lib: false, projen: true })).toEqual({
      status: 0,
      stderr: 'cdk8s-kuma: lib/ is missing; compiling it (projen compile) for the cdk8s-kuma command\n',
      log: ['projen compile global=unset'],
    });
  });

  test('lib/ and the build tools missing (npm install -g of a git URL): a local install without scripts first', () => {
    expect(project({ lib: false, projen: false }).log).toEqual([
      'npm install --global=false --include=dev --no-save --no-audit --no-fund --ignore-scripts global=unset',
    ]);
  });
});

describe('build-tools/pack-manifest.js (npm\'s prepack and postpack): the packed package.json has no repository-only script', () => {
  test('npm pack of a package with these scripts: the tarball\'s manifest without them, the repository\'s back byte for byte', () => {
    const dir = fresh();
    fs.mkdirSync(path.join(dir, 'build-tools'));
    fs.copyFileSync(path.join(ROOT, 'build-tools', 'pack-manifest.js'), path.join(dir, 'build-tools', 'pack-manifest.js'));
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const scripts = { build: 'projen build', prepare: pkg.scripts.prepare, prepack: pkg.scripts.prepack, postpack: pkg.scripts.postpack };
    expect(scripts).toEqual({
      build: 'projen build',
      prepare: 'node build-tools/prepare.js',
      prepack: 'node build-tools/pack-manifest.js strip',
      postpack: 'node build-tools/pack-manifest.js restore',
    });
    // projen writes package.json with two-space indentation and a final newline; keep an odd one to see it restored as it was
    // (prepare stands in for prepare.js, which npm pack runs once prepack is done, and would compile here)
    const text = JSON.stringify({ name: 'packed', version: '1.2.3', files: ['build-tools'], scripts: { ...scripts, prepare: 'node -e 0' } }, undefined, 4);
    fs.writeFileSync(path.join(dir, 'package.json'), text);
    const env = { ...process.env };
    for (const k of Object.keys(env)) if (k.toLowerCase().startsWith('npm_')) delete env[k];
    const dry = spawnSync('npm', ['pack', '--dry-run', '--json'], { cwd: dir, encoding: 'utf8', env });
    expect(dry.status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).toBe(text);
    const r = spawnSync('npm', ['pack', '--json'], { cwd: dir, encoding: 'utf8', env });
    expect(r.status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).toBe(text);
    expect(fs.existsSync(path.join(dir, '.package.json.unpacked'))).toBe(false);
    const tgz = path.join(dir, JSON.parse(r.stdout)[0].filename);
    const packed = JSON.parse(spawnSync('tar', ['-xOzf', tgz, 'package/package.json'], { encoding: 'utf8' }).stdout);
    expect(packed.scripts).toEqual({ build: 'projen build' });
  });
});
