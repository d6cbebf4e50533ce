/*
 * action.yml, the composite GitHub Action that runs `cdk8s-kuma lint`: its inputs, and the command
 * line its script builds from them, run by bash with a stand-in `npx` that prints its arguments.
 * Then the same command line, with the library's own command, on a sample.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { runLint } from './support/run-lint';
import { tempDirs } from './support/temp-dirs';

const ROOT = path.join(__dirname, '..');
const action = parse(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8'));
const step = action.runs.steps[0];
const fresh = tempDirs('action');

/** Runs the action's script with these inputs (as GitHub would set its env), `npx` printing its arguments one per line. */
function runAction(inputs: Record<string, string>, actionRef = ''): { status: number | null; argv: string[]; stderr: string } {
  const bin = fresh();
  fs.writeFileSync(path.join(bin, 'npx'), '#!/usr/bin/env bash\nprintf "%s\\n" "$@"\n', { mode: 0o755 });
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries<string>(step.env)) {
    if (value === '${{ github.action_ref }}') {
      env[name] = actionRef;
      continue;
    }
    const input = /^\$\{\{ inputs\.([a-z-]+) \}\}$/.exec(value)![1];
    env[name] = inputs[input] ?? action.inputs[input].default ?? '';
  }
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', step.run], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: `${bin}:${process.env.PATH}`, ...env } });
  return { status: r.status, argv: r.stdout.split('\n').filter((l) => l !== ''), stderr: r.stderr };
}

test('a composite action whose inputs reach its script through the environment only (no input is spliced into the script)', () => {
  expect(action.runs.using).toBe('composite');
  expect(Object.keys(action.inputs)).toEqual(['paths', 'version', 'kuma-version', 'format', 'output', 'config', 'fail-on', 'args']);
  expect(Object.entries<any>(action.inputs).filter(([, i]) => i.required).map(([k]) => k)).toEqual(['paths']);
  for (const i of Object.values<any>(action.inputs)) expect(typeof i.description).toBe('string');
  expect(step.shell).toBe('bash');
  expect(step.run).not.toContain('${{');
  // every input has its variable
  // and the ref the action is used at, for its version
  expect(Object.values(step.env).sort()).toEqual([...Object.keys(action.inputs).map((k) => `\${{ inputs.${k} }}`), '${{ github.action_ref }}'].sort());
});

test('the command line: a pinned version from the registry, the format, and the paths after --', () => {
  expect(runAction({ paths: 'rendered/ clusters/prod', version: '1.4.2' }).argv)
    .toEqual(['--yes', 'cdk8s-kuma@1.4.2', 'lint', '--format', 'github', '--', 'rendered/', 'clusters/prod']);
  expect(runAction({
    'paths': 'clusters/prod\nclusters/staging\n',
    'version': '1.4.2',
    'kuma-version': '3.0',
    'format': 'sarif',
    'output': 'kuma.sarif',
    'config': 'ci/.cdk8s-kuma.yaml',
    'fail-on': 'warning',
    'args': '--namespace-label shop=kuma.io/sidecar-injection=enabled --no-cni',
  }).argv).toEqual([
    '--yes', 'cdk8s-kuma@1.4.2', 'lint', '--format', 'sarif', '--kuma-version', '3.0', '--output', 'kuma.sarif', '--config', 'ci/.cdk8s-kuma.yaml',
    '--fail-on', 'warning', '--namespace-label', 'shop=kuma.io/sidecar-injection=enabled', '--no-cni', '--', 'clusters/prod', 'clusters/staging',
  ]);
  // no version: the release tag the action is used at; a version given wins
  expect(runAction({ paths: '.' }, 'v1.4.2').argv).toEqual(['--yes', 'cdk8s-kuma@1.4.2', 'lint', '--format', 'github', '--', '.']);
  expect(runAction({ paths: '.', version: '1.5.0' }, 'v1.4.2').argv.slice(0, 2)).toEqual(['--yes', 'cdk8s-kuma@1.5.0']);
  expect(runAction({ paths: '.' }, 'v1.4').status).toBe(2);
  // the repository's own copy (a packed tarball installed before the first release)
  expect(runAction({ paths: '.', version: 'installed' }).argv).toEqual(['--no-install', 'cdk8s-kuma', 'lint', '--format', 'github', '--', '.']);
});

test('an input that would be shell code stays a value; no version or no path is an error', () => {
  const r = runAction({ paths: '$(touch /tmp/pwned) ; rm -rf x', version: '1.4.2' });
  expect(r.argv.slice(-7)).toEqual(['--', '$(touch', '/tmp/pwned)', ';', 'rm', '-rf', 'x']);
  expect(fs.existsSync('/tmp/pwned')).toBe(false);
  const none = runAction({ paths: 'x', version: '' }, 'main');
  expect(none.status).toBe(2);
  expect(none.stderr).toBe('::error title=cdk8s-kuma lint::the version input is required when the action is not used at a release tag '
    + '(it is used at \'main\'): an exact cdk8s-kuma version, or installed\n');
  expect(runAction({ paths: ' \n ', version: '1.4.2' }).stderr).toBe('::error title=cdk8s-kuma lint::the paths input names no file or directory\n');
});

test('the command line it builds runs the lint on a sample: -- ends the options, so a path may start with -', () => {
  const dir = fresh();
  const file = path.join(dir, '-shop.yaml');
  fs.writeFileSync(file, 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {kuma.io/sidecar-injection: enabled}\n');
  const argv = runAction({ paths: file, version: 'installed', format: 'text' }).argv.slice(2);
  const r = runLint(...argv);
  expect(r).toEqual({ status: 0, stdout: '1 object, 0 errors, 0 warnings (Kuma 2.14)\n', stderr: '' });
});
