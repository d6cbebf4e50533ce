/**
 * The lint command on hostile input (test/support/hostile-inputs.ts): each entry ends with the
 * pinned report and exit status, never a stack trace, and the rest of the set is still checked.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { HOSTILE } from './support/hostile-inputs';
import { runLint } from './support/run-lint';
import { tempDirs } from './support/temp-dirs';
import { lint } from '../src/analysis/lint/_lint';

const ROOT = path.join(__dirname, '..');
const fresh = tempDirs('hostile');

describe('lint on hostile input', () => {
  test('the catalogue has at least 30 entries with unique ids', () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(30);
    expect(new Set(HOSTILE.map((h) => h.id)).size).toBe(HOSTILE.length);
  });

  test.each(HOSTILE.map((h) => [h.id, h.what, h]))('%s %s', (_id, _what, h) => {
    const dir = fresh();
    const args = h.make(dir);
    const cwd = process.cwd();
    process.chdir(dir);
    let r;
    try {
      r = runLint('lint', ...args);
    } finally {
      process.chdir(cwd);
    }
    expect(r.stderr.split(dir).join('<dir>')).toBe(h.stderr);
    expect(r.stdout.trim().split('\n').pop()).toBe(h.summary);
    if (h.finding !== undefined) expect(r.stdout).toContain(h.finding);
    expect(r.status).toBe(h.status);
  });

  test('as a real process over every hostile input at once: one line per bad input, exit 2, no stack trace', () => {
    const dir = fresh();
    for (const h of HOSTILE) {
      const sub = path.join(dir, h.id);
      fs.mkdirSync(sub);
      h.make(sub);
    }
    const r = spawnSync(process.execPath, ['-r', 'ts-node/register', path.join(ROOT, 'src', 'cli.ts'), 'lint', dir], {
      cwd: ROOT, encoding: 'utf8', env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'test', 'tsconfig.json'), TS_NODE_TRANSPILE_ONLY: 'true' },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr.split('\n').filter((l) => l !== '').every((l) => l.startsWith('cdk8s-kuma: '))).toBe(true);
    expect(r.stdout).toMatch(/objects, \d+ errors, \d+ warnings, \d+ bad input \(see stderr\) \(Kuma 2\.14\)\n$/);
  });

  test('the README lists every entry', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    for (const h of HOSTILE) expect(readme).toContain(`| ${h.id} | ${h.what} |`);
  });
});

/*
 * Inputs as pipelines give them: standard input (`-`), /dev/stdin and process substitutions,
 * a reader that goes away, and Helm-looking text in a comment. The catalogue's H34 - H39.
 */
describe('lint on inputs from pipelines', () => {
  const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  ports: [{port: 80}]\n';
  const cli = (args: string[], input?: string, shell?: string) => spawnSync(shell === undefined ? process.execPath : 'bash',
    shell === undefined ? ['-r', 'ts-node/register', path.join(ROOT, 'src', 'cli.ts'), ...args] : ['-c', shell], {
      cwd: ROOT, encoding: 'utf8', input, env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'test', 'tsconfig.json'), TS_NODE_TRANSPILE_ONLY: 'true' },
    });
  const node = `"${process.execPath}" -r ts-node/register src/cli.ts`;

  test('H34 - reads standard input: findings name it -:line:column', () => {
    let stdout = '';
    const status = lint(['lint', '--kuma-version', '3.0', '-'], {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: () => undefined },
      stdin: () => Buffer.from('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  annotations: {kuma.io/mesh: m}\n'),
    });
    expect(stdout).toContain('  Namespace shop (-:5:17)\n');
    expect(stdout.trim().split('\n').pop()).toBe('1 object, 1 error, 0 warnings (Kuma 3.0)');
    expect(status).toBe(1);
    const r = cli(['lint', '-'], SERVICE);
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ status: 0, stdout: '1 object, 0 errors, 0 warnings (Kuma 2.14)\n', stderr: '' });
  });

  test('H35 /dev/stdin is read, not stat\'ed into a crash', () => {
    const r = cli(['lint', '/dev/stdin'], SERVICE);
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ status: 0, stdout: '1 object, 0 errors, 0 warnings (Kuma 2.14)\n', stderr: '' });
  });

  test('H36 a process substitution <(...) is read as a file', () => {
    const file = path.join(fresh(), 'svc.yaml');
    fs.writeFileSync(file, SERVICE);
    const r = cli([], undefined, `${node} lint <(cat "${file}")`);
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ status: 0, stdout: '1 object, 0 errors, 0 warnings (Kuma 2.14)\n', stderr: '' });
  });

  test('H37 output into a closed pipe (| head -1) ends quietly with the lint\'s status', () => {
    const file = path.join(fresh(), 'many.yaml');
    fs.writeFileSync(file, Array.from({ length: 400 }, (_, i) => `---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns${i}\n  annotations: {kuma.io/mesh: m}\n`).join(''));
    const r = cli([], undefined, `${node} lint --kuma-version 3.0 "${file}" | head -1; echo "status \${PIPESTATUS[0]}"`);
    expect(r.stdout).toBe('ERROR KUMA007 mesh-annotation\nstatus 1\n');
    expect(r.stderr).toBe('');
  });

  test('H38 {{ inside a YAML comment is not an unrendered Helm template', () => {
    const dir = fresh();
    fs.writeFileSync(path.join(dir, 'ns.yaml'), '# rendered from {{ .Values.namespace }}\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop # was {{ .Release.Namespace }}\n');
    expect(runLint('lint', dir)).toEqual({ status: 0, stdout: '1 object, 0 errors, 0 warnings (Kuma 2.14)\n', stderr: '' });
  });

  test('Kuma\'s own templates (a MeshIdentity\'s spiffeID, {{ .Mesh }}, {{ .Namespace }}) are not Helm\'s: the file is read; a Helm action beside them is still refused', () => {
    const dir = fresh();
    const identity = 'apiVersion: kuma.io/v1alpha1\nkind: MeshIdentity\nmetadata:\n  name: identity\n  namespace: kuma-system\n  labels: {kuma.io/mesh: default}\nspec:\n'
      + '  selector: {dataplane: {matchLabels: {}}}\n  spiffeID:\n    trustDomain: "{{ .Mesh }}.{{ .Zone }}.mesh.local"\n    path: "/ns/{{ .Namespace }}/sa/{{ .ServiceAccount }}"\n'
      + '  provider: {type: Bundled, bundled: {meshTrustCreation: Enabled, insecureAllowSelfSigned: true, certificateParameters: {expiry: 24h}, autogenerate: {enabled: true}}}\n';
    fs.writeFileSync(path.join(dir, 'identity.yaml'), identity);
    const read = runLint('lint', '--no-config', '--kuma-version', '3.0', dir);
    expect(read.stderr).toBe('');
    expect(read.stdout.trim().split('\n').pop()).toMatch(/^1 object, /);
    fs.writeFileSync(path.join(dir, 'identity.yaml'), identity.replace('name: identity', 'name: {{ .Release.Name }}'));
    expect(runLint('lint', '--no-config', dir).stderr).toContain('is a Helm template that is not rendered yet');
  });

  test('H39 --fix on standard input is refused (there is nothing to write); --fix --dry-run prints the diff', () => {
    const refused = runLint('lint', '--fix', '-');
    expect(refused.status).toBe(2);
    expect(refused.stderr.split('\n')[0]).toBe('cdk8s-kuma: --fix cannot write standard input (-): lint a file, or use --fix --dry-run for the diff');
    const r = cli(['lint', '--fix', '--dry-run', '--namespace-label', 'shop=kuma.io/sidecar-injection=disabled', '-'], SERVICE
      .replace('spec:\n', 'spec:\n  selector: {app: web}\n') + '---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    metadata:\n      labels: {app: web, kuma.io/sidecar-injection: enabled}\n    spec:\n      automountServiceAccountToken: true\n      containers: [{name: web, image: web}]\n');
    expect(r.stdout).toContain('--- a/-\n+++ b/-\n');
    expect(r.stdout).toContain('WOULD FIX KUMA001 Service shop/web (-#1)\n');
    // as with any --dry-run, the report is of the set the fixes would leave
    expect(r.status).toBe(0);
  });

  test('the README lists H34 - H39', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    for (const id of ['H34', 'H35', 'H36', 'H37', 'H38', 'H39']) expect(readme).toContain(`\n| ${id} | `);
  });
});
