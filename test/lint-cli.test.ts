import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { runLint } from './support/run-lint';
import { validateManifests } from './support/validate';
import { MeshAnalysis } from '../src/analysis/mesh-analysis';

const ROOT = path.join(__dirname, '..');
const FIXTURES = path.join('test', 'fixtures');

const run = runLint;

/** Copies of test/fixtures/lint-fix in temporary directories, removed after the tests. */
const copies: string[] = [];
function copyFixtures(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-kuma-lint-'));
  copies.push(dir);
  for (const f of fs.readdirSync(path.join(FIXTURES, 'lint-fix'))) fs.copyFileSync(path.join(FIXTURES, 'lint-fix', f), path.join(dir, f));
  return dir;
}
afterAll(() => copies.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

describe('cdk8s-kuma lint', () => {
  test('reports findings per object with file and document, exits 1 on errors', () => {
    const r = run('lint', path.join(FIXTURES, 'lint'));
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe([
      'ERROR KUMA003 mesh-vip-port',
      '  Ingress kong/shop (test/fixtures/lint/broken-mesh.yaml:79:13)',
      '  sends to Service kong/payments-vip (payments.payments.svc.8080.mesh) on port 8080, but .mesh VIPs listen on port 80 only, whatever the service\'s port.',
      '  fix: Use port 80 in the route.',
      'ERROR KUMA004 pod-injection-namespace-unlabelled',
      '  Deployment shop/web (test/fixtures/lint/broken-mesh.yaml:28:9)',
      '  labels its pods kuma.io/sidecar-injection: enabled, but namespace shop has no kuma.io/sidecar-injection label, so Kuma\'s pod webhook never fires and the pods run without a sidecar.',
      '  fix: Label namespace shop kuma.io/sidecar-injection=enabled (or disabled, to keep injection per workload).',
      'ERROR KUMA005 gateway-annotation-on-workload',
      '  Deployment kong/kong (test/fixtures/lint/broken-mesh.yaml:50:5)',
      '  carries kuma.io/gateway on its own metadata, where Kuma never reads it.',
      '  fix: Move the annotation to the pod template (spec.template.metadata.annotations).',
      'WARNING KUMA007 mesh-annotation',
      '  Namespace kong (test/fixtures/lint/broken-mesh.yaml:14:5)',
      '  sets kuma.io/mesh as a namespace annotation, which Kuma 2.8+ treats as deprecated.',
      '  fix: Set kuma.io/mesh as a namespace label.',
      'WARNING KUMA011 gateway-reachable-services',
      '  Deployment kong/kong (test/fixtures/lint/broken-mesh.yaml:44:1)',
      '  lists no reachable services, so its sidecar builds outbounds for the whole mesh; its routes send to payments_payments_svc_8080.',
      '  fix: List them in kuma.io/transparent-proxying-reachable-services on the pod template (cdk8s-kuma lint --fix writes them).',
      '12 objects, 3 errors, 2 warnings (Kuma 2.14)',
      '',
    ].join('\n'));
  });

  test('--json, --kuma-version, --ignore', () => {
    const r = run('lint', '--json', '--kuma-version', '3.0', '--ignore', 'KUMA005', path.join(FIXTURES, 'lint', 'broken-mesh.yaml'));
    const out = JSON.parse(r.stdout);
    expect(out.version).toBe('3.0');
    expect(out.objects).toBe(7);
    expect(out.findings.map((f: any) => `${f.ruleId} ${f.severity}`)).toEqual(['KUMA003 error', 'KUMA010 error', 'KUMA004 error', 'KUMA007 error', 'KUMA014 error', 'KUMA011 error']);
    expect(out.findings[0]).toEqual({
      ruleId: 'KUMA003',
      rule: 'mesh-vip-port',
      severity: 'error',
      object: 'Ingress kong/shop',
      source: 'test/fixtures/lint/broken-mesh.yaml#6',
      line: 79,
      column: 13,
      key: '/spec/rules/0/http/paths/0/backend/service/port',
      message: 'sends to Service kong/payments-vip (payments.payments.svc.8080.mesh) on port 8080, but .mesh VIPs listen on port 80 only, whatever the service\'s port',
      fix: 'Use port 80 in the route.',
    });
    expect(r.status).toBe(1);
  });

  test('clean files, unknown kinds and List items: exit 0', () => {
    const r = run(path.join(FIXTURES, 'lint', 'clean.yaml'), path.join(FIXTURES, 'lint', 'more'));
    expect(r).toEqual({ status: 0, stdout: '5 objects, 0 errors, 0 warnings (Kuma 2.14)\n', stderr: '' });
  });

  test('malformed YAML: file, document and line; exit 2', () => {
    const r = run('lint', path.join(FIXTURES, 'malformed.yaml'));
    expect(r.status).toBe(2);
    // the rest of the set is still checked
    expect(r.stdout).toBe('1 object, 0 errors, 0 warnings, 1 bad input (see stderr) (Kuma 2.14)\n');
    expect(r.stderr).toBe('cdk8s-kuma: test/fixtures/malformed.yaml#2: malformed YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 10, column 1\n');
  });

  test('usage errors: exit 2', () => {
    expect(run('lint').stderr).toMatch(/^cdk8s-kuma: no file or directory given\nusage: cdk8s-kuma lint/);
    expect(run('lint', '--frobnicate', 'x').stderr).toMatch(/^cdk8s-kuma: unknown option --frobnicate/);
    expect(run('lint', '--kuma-version', '1.0', 'x').stderr).toMatch(/^cdk8s-kuma: KumaVersion.parse\(\): version "1.0" is not a supported Kuma version/);
    expect(run('lint', '--mesh-services-mode', 'Sometimes', 'x').stderr).toMatch(/^cdk8s-kuma: --mesh-services-mode: "Sometimes" is not one of Disabled/);
    expect(run('lint', '--ignore', 'KUMA999', path.join(FIXTURES, 'lint')).stderr).toMatch(/^cdk8s-kuma: --ignore: "KUMA999" is not a rule id \(cdk8s-kuma rules lists them\)\n/);
    expect(run('lint', 'no/such/file.yaml')).toEqual({
      status: 2, stdout: '0 objects, 0 errors, 0 warnings, 1 bad input (see stderr) (Kuma 2.14)\n', stderr: 'cdk8s-kuma: no/such/file.yaml: no such file or directory\n',
    });
    expect(run('--help').status).toBe(0);
  });

  describe('--fix', () => {
    const original = (f: string) => fs.readFileSync(path.join(FIXTURES, 'lint-fix', f), 'utf8');
    /** `text` with `added` inserted after the first line equal to `after`. */
    const insertAfter = (text: string, after: string, added: string) => {
      const i = text.indexOf(after + '\n');
      expect(i).toBeGreaterThanOrEqual(0);
      return text.slice(0, i + after.length + 1) + added + text.slice(i + after.length + 1);
    };

    test('without --fix the fixtures have a KUMA001 error and a KUMA011 warning', () => {
      const r = run('lint', path.join(FIXTURES, 'lint-fix'));
      expect(r.status).toBe(1);
      expect(r.stdout.trim().split('\n').pop()).toBe('8 objects, 2 errors, 1 warning (Kuma 2.14)');
    });

    test('adds only the missing annotations, keeps every other byte, and reports what it fixed', () => {
      const dir = copyFixtures();
      const r = run('lint', '--fix', dir);
      expect(r).toEqual({
        status: 0,
        stderr: '',
        stdout: [
          `FIXED KUMA001 Service shop/web (${dir}/helm-output.yaml#3)`,
          `FIXED KUMA001 Service shop/orders (${dir}/list.yaml#1)`,
          `FIXED KUMA011 Deployment kong/kong (${dir}/helm-output.yaml#5)`,
          '8 objects, 0 errors, 0 warnings (Kuma 2.14)',
          '',
        ].join('\n'),
      });
      // the user's nginx annotation stays; the missing one is added after it; comments, flow maps
      // and the sequence style of the chart output are untouched
      let helm = insertAfter(original('helm-output.yaml'), '    nginx.ingress.kubernetes.io/service-upstream: "true"',
        '    ingress.kubernetes.io/service-upstream: "true"\n');
      helm = insertAfter(helm, '        kuma.io/gateway: enabled', '        kuma.io/transparent-proxying-reachable-services: web_shop_svc_80\n');
      expect(fs.readFileSync(path.join(dir, 'helm-output.yaml'), 'utf8')).toBe(helm);
      // an empty `annotations:` of a List item becomes a mapping
      const list = insertAfter(original('list.yaml'), '      annotations:',
        '        ingress.kubernetes.io/service-upstream: "true"\n        nginx.ingress.kubernetes.io/service-upstream: "true"\n');
      expect(fs.readFileSync(path.join(dir, 'list.yaml'), 'utf8')).toBe(list);
    });

    test('the fixed files pass the validator and a second run changes nothing', () => {
      const dir = copyFixtures();
      run('lint', '--fix', dir);
      const before = fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
      const objects = before.flatMap((text) => parseAllDocuments(text).map((d) => d.toJSON()))
        .flatMap((o: any) => (o.kind === 'List' ? o.items : [o]));
      expect(objects).toHaveLength(8);
      expect(validateManifests(objects)).toEqual([]);
      const again = run('lint', '--fix', dir);
      expect(again.stdout).toBe('8 objects, 0 errors, 0 warnings (Kuma 2.14)\n');
      expect(fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))).toEqual(before);
    });

    test('CRLF files keep their line endings', () => {
      const dir = copyFixtures();
      const file = path.join(dir, 'helm-output.yaml');
      fs.writeFileSync(file, original('helm-output.yaml').replace(/\n/g, '\r\n'));
      run('lint', '--fix', dir);
      const helm = insertAfter(insertAfter(original('helm-output.yaml'), '    nginx.ingress.kubernetes.io/service-upstream: "true"',
        '    ingress.kubernetes.io/service-upstream: "true"\n'), '        kuma.io/gateway: enabled', '        kuma.io/transparent-proxying-reachable-services: web_shop_svc_80\n');
      expect(fs.readFileSync(file, 'utf8')).toBe(helm.replace(/\n/g, '\r\n'));
    });

    test('--json lists the fixes; files that need no fix are not written', () => {
      const dir = copyFixtures();
      fs.copyFileSync(path.join(FIXTURES, 'lint', 'clean.yaml'), path.join(dir, 'clean.yaml'));
      const mtime = fs.statSync(path.join(dir, 'clean.yaml')).mtimeMs;
      const r = run('lint', '--fix', '--json', dir);
      const out = JSON.parse(r.stdout);
      expect(out.fixed.map((f: any) => `${f.ruleId} ${f.object}`)).toEqual(['KUMA001 Service shop/web', 'KUMA001 Service shop/orders', 'KUMA011 Deployment kong/kong']);
      expect(fs.statSync(path.join(dir, 'clean.yaml')).mtimeMs).toBe(mtime);
      expect(fs.readFileSync(path.join(dir, 'clean.yaml'), 'utf8')).toBe(fs.readFileSync(path.join(FIXTURES, 'lint', 'clean.yaml'), 'utf8'));
    });
  });

  describe('as a real process (the package\'s bin, src/cli.ts)', () => {
    const cli = (...args: string[]) => spawnSync(process.execPath, ['-r', 'ts-node/register', path.join('src', 'cli.ts'), ...args], {
      cwd: ROOT, encoding: 'utf8', env: { ...process.env, TS_NODE_PROJECT: 'test/tsconfig.json', TS_NODE_TRANSPILE_ONLY: 'true' },
    });

    test('errors: exit status 1 and the report on stdout', () => {
      const r = cli('lint', path.join(FIXTURES, 'lint'));
      expect(r.status).toBe(1);
      expect(r.stdout).toContain('ERROR KUMA004 pod-injection-namespace-unlabelled');
      expect(r.stdout.trim().split('\n').pop()).toBe('12 objects, 3 errors, 2 warnings (Kuma 2.14)');
    });

    test('clean input: exit status 0; malformed: exit status 2 with the message on stderr', () => {
      expect(cli('lint', path.join(FIXTURES, 'lint', 'clean.yaml')).status).toBe(0);
      const bad = cli('lint', path.join(FIXTURES, 'malformed.yaml'));
      expect(bad.status).toBe(2);
      expect(bad.stderr).toBe('cdk8s-kuma: test/fixtures/malformed.yaml#2: malformed YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 10, column 1\n');
    });

    test('--fix rewrites the files and exits 0 when no error remains', () => {
      const dir = copyFixtures();
      const r = cli('lint', '--fix', dir);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(`FIXED KUMA001 Service shop/web (${dir}/helm-output.yaml#3)`);
      expect(cli('lint', dir).status).toBe(0);
    });
  });
});

describe('cdk8s-kuma rules, and commands that are not one (the package\'s bin)', () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, ['-r', 'ts-node/register', path.join('src', 'cli.ts'), ...args], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, TS_NODE_PROJECT: 'test/tsconfig.json', TS_NODE_TRANSPILE_ONLY: 'true' },
  });

  test('rules lists every rule with its severity and whether --fix applies', () => {
    const r = cli('rules');
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.filter((l) => /^KUMA\d{3} /.test(l)).map((l) => l.split(' ')[0])).toEqual(MeshAnalysis.rules.map((x) => x.id));
    expect(lines).toContain('KUMA001 service-upstream-missing (error, --fix)');
    expect(lines).toContain('KUMA009 gateway-identity (warning)');
    expect(lines.pop()).toBe(`${MeshAnalysis.rules.length} rules; cdk8s-kuma rules <RULE> prints one's page.`);
  });

  test('rules <RULE> prints the rule\'s page, by id or name; an unknown rule is an error', () => {
    // the page of docs/rules, without the comment that names its generator
    const page = fs.readFileSync(path.join(ROOT, 'docs', 'rules', 'KUMA009.md'), 'utf8').replace(/^<!--[^\n]*-->\n+/, '');
    expect(page.startsWith('# KUMA009 `gateway-identity`\n')).toBe(true);
    expect(cli('rules', 'KUMA009')).toMatchObject({ status: 0, stdout: page, stderr: '' });
    expect(cli('rules', 'gateway-identity').stdout).toBe(page);
    const bad = cli('rules', 'KUMA999');
    expect(bad.status).toBe(2);
    expect(bad.stderr.split('\n')[0]).toBe('cdk8s-kuma: "KUMA999" is not a rule id or name (cdk8s-kuma rules lists them)');
  });

  test('an unknown command is an error, not a path', () => {
    expect(cli('lnit', 'x.yaml')).toMatchObject({ status: 2, stdout: '', stderr: 'cdk8s-kuma: unknown command "lnit": the commands are lint, dataplanes, graph and rules (cdk8s-kuma lint --help)\n' });
  });
});

describe('lint in CI: --format github, --output, --fail-on', () => {
  const LINT = path.join(FIXTURES, 'lint');

  test('--format github: one workflow command per finding at its file and line, then the summary', () => {
    const r = runLint('lint', '--format', 'github', LINT);
    const lines = r.stdout.trim().split('\n');
    expect(lines.pop()).toBe('12 objects, 3 errors, 2 warnings (Kuma 2.14)');
    expect(lines).toHaveLength(5);
    for (const l of lines) expect(l).toMatch(/^::(error|warning) file=[^,]+,line=\d+,col=\d+,title=KUMA\d{3} [a-z-]+::[^\n]+\. Fix: /);
    expect(lines.filter((l) => l.startsWith('::error ')).length).toBe(3);
    expect(r.status).toBe(1);
  });

  test('workflow command values are escaped as GitHub reads them', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'github-'));
    try {
      const file = path.join(dir, 'a,b:c.yaml');
      fs.writeFileSync(file, 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  annotations: {kuma.io/mesh: "50%"}\n');
      const r = runLint('lint', '--format', 'github', '--kuma-version', '3.0', file);
      expect(r.stdout.split('\n')[0]).toBe(`::error file=${file.replace(/:/g, '%3A').replace(/,/g, '%2C')},line=5,col=17,title=KUMA007 mesh-annotation::Namespace shop: sets kuma.io/mesh as a namespace annotation, which Kuma 3.0 ignores. Fix: Set kuma.io/mesh as a namespace label.`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--output writes the report to a file; --fail-on warning fails on warnings; exit codes', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'output-'));
    try {
      const out = path.join(dir, 'report.sarif');
      const r = runLint('lint', '--format', 'sarif', '--output', out, LINT);
      expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 1, stdout: '' });
      expect(JSON.parse(fs.readFileSync(out, 'utf8')).version).toBe('2.1.0');
      const warningsOnly = path.join(dir, 'w.yaml');
      fs.writeFileSync(warningsOnly, 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  annotations: {kuma.io/mesh: m}\n');
      expect(runLint('lint', warningsOnly).status).toBe(0);
      expect(runLint('lint', '--fail-on', 'warning', warningsOnly).status).toBe(1);
      expect(runLint('lint', '--fail-on', 'info', warningsOnly)).toMatchObject({ status: 2 });
      expect(runLint('lint', '--fail-on', 'info', warningsOnly).stderr.split('\n')[0]).toBe('cdk8s-kuma: --fail-on: "info" is not one of error, warning');
      expect(runLint('lint', '--output', path.join(dir, 'missing', 'r.txt'), warningsOnly)).toEqual({
        status: 2, stdout: '', stderr: `cdk8s-kuma: --output ${path.join(dir, 'missing', 'r.txt')}: cannot be written (ENOENT)\n`,
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
