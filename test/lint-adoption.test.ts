import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { tempDirs } from './support/temp-dirs';
import { lint } from '../src/analysis/lint/_lint';
import { MeshAnalysis } from '../src/analysis/mesh-analysis';
import { MeshAnalyzer } from '../src/analysis/mesh-analyzer';
import { MeshValidation } from '../src/analysis/mesh-validation';
import { KumaVersion } from '../src/kuma/kuma-version';
import { packageVersion } from '../src/private/_package-version';

/*
 * Adopting the lint on a repository of a platform team: suppression with a reason on the object,
 * exemptions and severities in a config file (.cdk8s-kuma.yaml), a baseline, kustomization and
 * chart folders, and findings placed at the line and column of their key.
 */

const fresh = tempDirs('adoption');

/** Runs the lint with `cwd` as the working directory (where .cdk8s-kuma.yaml is looked for). */
function run(cwd: string, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const was = process.cwd();
  process.chdir(cwd);
  let status: number;
  try {
    status = lint(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
  } finally {
    process.chdir(was);
  }
  return { status, stdout, stderr, last: stdout.trim().split('\n').pop() };
}

/** A Namespace with kuma.io/mesh as an annotation: KUMA007, an error on Kuma 3.0, at its annotation key. */
function namespace(name: string, extra: Record<string, unknown> = {}): string {
  const annotations = Object.entries({ 'kuma.io/mesh': 'm', ...extra }).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}\n`).join('');
  return `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n  annotations:\n${annotations}`;
}

function write(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

/**
 * Runs `body` with PATH holding only a fresh directory of the executables given (name -> shell
 * script): kubectl, kustomize and helm as the test wants them, and none of the machine's.
 */
function withTools(tools: Record<string, string>, body: () => void): void {
  const bin = fresh();
  for (const [name, script] of Object.entries(tools)) fs.writeFileSync(path.join(bin, name), `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  const saved = process.env.PATH;
  process.env.PATH = bin;
  try {
    body();
  } finally {
    process.env.PATH = saved;
  }
}

/** A shell command that prints `text` as it is. */
const printing = (text: string) => `printf '%s' '${text.replace(/'/g, '\'\\\'\'')}'`;

describe('1. an object accepts a finding with ignore.cdk8s-kuma/<RULE>: <reason>', () => {
  test('suppressed for that object and rule only; reported as suppressed, with the reason', () => {
    const dir = fresh();
    write(dir, { 'ns.yaml': [namespace('shop', { 'ignore.cdk8s-kuma/KUMA007': 'the platform chart sets the label (PLAT-12)' }), namespace('pay', { 'ignore.cdk8s-kuma/KUMA009': 'n/a' })].join('---\n') });
    const text = run(dir, '--kuma-version', '3.0', 'ns.yaml');
    expect(text.stdout).toBe([
      'ERROR KUMA007 mesh-annotation',
      '  Namespace pay (ns.yaml:14:5)',
      '  sets kuma.io/mesh as a namespace annotation, which Kuma 3.0 ignores.',
      '  fix: Set kuma.io/mesh as a namespace label.',
      'SUPPRESSED KUMA007 Namespace shop (ns.yaml:6:5): the platform chart sets the label (PLAT-12)',
      '2 objects, 1 error, 0 warnings, 1 suppressed (Kuma 3.0)',
      '',
    ].join('\n'));
    expect(text.status).toBe(1);

    const json = JSON.parse(run(dir, '--kuma-version', '3.0', '--json', 'ns.yaml').stdout);
    expect(json.findings.map((f: any) => f.object)).toEqual(['Namespace pay']);
    expect(json.suppressed).toEqual([{
      ruleId: 'KUMA007',
      rule: 'mesh-annotation',
      severity: 'error',
      object: 'Namespace shop',
      source: 'ns.yaml#1',
      line: 6,
      column: 5,
      key: '/metadata/annotations/kuma.io~1mesh',
      message: 'sets kuma.io/mesh as a namespace annotation, which Kuma 3.0 ignores',
      fix: 'Set kuma.io/mesh as a namespace label.',
      suppression: { kind: 'annotation', reason: 'the platform chart sets the label (PLAT-12)' },
    }]);

    const sarif = JSON.parse(run(dir, '--kuma-version', '3.0', '--format', 'sarif', 'ns.yaml').stdout);
    const results = sarif.runs[0].results;
    expect(results.map((r: any) => [r.locations[0].logicalLocations[0].name, r.suppressions])).toEqual([
      ['Namespace pay', undefined],
      ['Namespace shop', [{ kind: 'inSource', status: 'accepted', justification: 'the platform chart sets the label (PLAT-12)' }]],
    ]);

    const github = run(dir, '--kuma-version', '3.0', '--format', 'github', 'ns.yaml');
    expect(github.stdout.split('\n').filter((l) => l.startsWith('::'))).toHaveLength(1);
  });

  test('an empty reason does not suppress, and the finding says so', () => {
    const dir = fresh();
    write(dir, { 'ns.yaml': namespace('shop', { 'ignore.cdk8s-kuma/KUMA007': ' ' }) });
    const r = run(dir, '--kuma-version', '3.0', 'ns.yaml');
    expect(r.stdout).toContain('  sets kuma.io/mesh as a namespace annotation, which Kuma 3.0 ignores (its annotation ignore.cdk8s-kuma/KUMA007 gives no reason, '
      + 'so it does not suppress this finding: write why the finding is accepted as the annotation\'s value, quoted).\n');
    expect(r.last).toBe('1 object, 1 error, 0 warnings (Kuma 3.0)');
    expect(r.status).toBe(1);
  });

  test('KUMA013 and the value checks leave a suppression annotation alone; its value, as any annotation\'s, must be a string', () => {
    const dir = fresh();
    const ns = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {kuma.io/sidecar-injection: enabled}\n  annotations:\n';
    write(dir, { 'ok.yaml': `${ns}    ignore.cdk8s-kuma/KUMA009: "policies select it by labels"\n`, 'bool.yaml': `${ns}    ignore.cdk8s-kuma/KUMA009: yes\n` });
    expect(run(dir, '--kuma-version', '2.14', 'ok.yaml')).toMatchObject({ status: 0, stdout: '1 object, 0 errors, 0 warnings (Kuma 2.14)\n' });
    // the API server refuses the object: a YAML 1.1 boolean, not a reason
    const r = run(dir, '--kuma-version', '2.14', 'bool.yaml');
    expect(r.stdout.split('\n').slice(0, 3)).toEqual([
      'ERROR KUMA020 value-type',
      '  Namespace shop (bool.yaml:7:5)',
      '  sets metadata.annotations["ignore.cdk8s-kuma/KUMA009"] to the YAML boolean true, but Kubernetes takes only strings there, so the API server rejects the object.',
    ]);
    expect(r.status).toBe(1);
  });

  test('a suppression annotation naming no rule (a typo, lower case) is a note: it suppresses nothing', () => {
    const dir = fresh();
    write(dir, { 'ns.yaml': namespace('shop', { 'ignore.cdk8s-kuma/kuma007': 'x', 'ignore.cdk8s-kuma/KUMA0007': 'y' }) });
    const r = run(dir, '--kuma-version', '3.0', 'ns.yaml');
    expect(r.stderr).toBe([
      'cdk8s-kuma: note: ns.yaml#1: Namespace shop: annotation ignore.cdk8s-kuma/kuma007 names no rule (KUMA007: rule ids are upper case), so it suppresses nothing',
      'cdk8s-kuma: note: ns.yaml#1: Namespace shop: annotation ignore.cdk8s-kuma/KUMA0007 names no rule, so it suppresses nothing',
      '',
    ].join('\n'));
    expect(r).toMatchObject({ status: 1, last: '1 object, 1 error, 0 warnings (Kuma 3.0)' });
  });

  test('MeshAnalyzer: an annotated object and an exemption neither fail synth nor are counted', () => {
    const app = Testing.app();
    KumaVersion.use(app, KumaVersion.V3_0);
    const chart = new Chart(app, 'c');
    const ns = (name: string, annotations: Record<string, string>) =>
      new ApiObject(chart, name, { apiVersion: 'v1', kind: 'Namespace', metadata: { name, annotations: { 'kuma.io/mesh': 'm', ...annotations } } });
    ns('shop', { 'ignore.cdk8s-kuma/KUMA007': 'the platform chart labels it (PLAT-12)' });
    ns('pay', {});
    const analyzer = new MeshAnalyzer(app, 'MeshAnalyzer', { exemptions: [{ rule: 'KUMA007', kind: 'Namespace', name: 'pay', reason: 'migrated in PLAT-13' }] });
    app.synth();
    expect(analyzer.findings).toEqual([]);
    expect(() => new MeshAnalyzer(Testing.app(), 'A', { exemptions: [{ rule: 'KUMA007', reason: ' ' }] }))
      .toThrow('A: exemptions[0].reason " " is empty. Say why the finding is accepted: a reviewer reads it.');
  });

  test('MeshAnalysis.analyze() returns the findings no annotation accepts', () => {
    const objects = [namespace('shop', { 'ignore.cdk8s-kuma/KUMA007': 'tracked in PLAT-12' }), namespace('pay')].map((y) => parse(y));
    expect(MeshAnalysis.analyze(objects, { version: KumaVersion.V3_0 }).map((f) => f.object)).toEqual(['Namespace pay']);
  });
});

describe('2, 3, 6. the config file: settings, exemptions, severities', () => {
  const config = [
    'kumaVersion: "3.0"',
    'failOn: warning',
    'exemptions:',
    '  - rule: KUMA007',
    '    kind: Namespace',
    '    name: "team-*"',
    '    reason: the teams\' namespaces are labelled by the platform chart',
    '',
  ].join('\n');

  test('.cdk8s-kuma.yaml is found from the working directory upwards; exemptions suppress by kind and name, with the reason', () => {
    const dir = fresh();
    write(dir, { '.cdk8s-kuma.yaml': config, 'apps/ns.yaml': [namespace('team-a'), namespace('shop')].join('---\n') });
    const r = run(path.join(dir, 'apps'), 'ns.yaml');
    expect(r.stdout).toContain('  Namespace shop (ns.yaml:13:5)\n');
    expect(r.last).toBe(`2 objects, 1 error, 0 warnings, 1 suppressed (Kuma 3.0; config ${path.join('..', '.cdk8s-kuma.yaml')})`);
    expect(r.status).toBe(1);
    const json = JSON.parse(run(path.join(dir, 'apps'), '--json', 'ns.yaml').stdout);
    expect(json.suppressed.map((f: any) => [f.object, f.suppression])).toEqual([
      ['Namespace team-a', { kind: 'exemption', reason: 'the teams\' namespaces are labelled by the platform chart' }],
    ]);
    const sarif = JSON.parse(run(path.join(dir, 'apps'), '--format', 'sarif', 'ns.yaml').stdout);
    expect(sarif.runs[0].results[1].suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: 'the teams\' namespaces are labelled by the platform chart' }]);
  });

  test('flags override the file; --config names one; --no-config reads none', () => {
    const dir = fresh();
    write(dir, { '.cdk8s-kuma.yaml': config, 'other.yaml': 'kumaVersion: "2.14"\n', 'ns.yaml': namespace('shop') });
    // on 2.14 the annotation is deprecated, not ignored: a warning, which failOn: warning fails
    expect(run(dir, '--kuma-version', '2.14', 'ns.yaml')).toMatchObject({ status: 1, last: '1 object, 0 errors, 1 warning (Kuma 2.14; config .cdk8s-kuma.yaml)' });
    expect(run(dir, '--fail-on', 'error', '--kuma-version', '2.14', 'ns.yaml')).toMatchObject({ status: 0 });
    expect(run(dir, '--config', 'other.yaml', 'ns.yaml')).toMatchObject({ status: 0, last: '1 object, 0 errors, 1 warning (Kuma 2.14; config other.yaml)' });
    expect(run(dir, '--no-config', 'ns.yaml').last).toBe('1 object, 0 errors, 1 warning (Kuma 2.14)');
  });

  test('--no-cni overrides the file\'s cni: true', () => {
    const dir = fresh();
    const pod = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {kuma.io/sidecar-injection: enabled}}\n---\n'
      + 'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\nspec:\n  securityContext: {runAsNonRoot: true}\n  containers: [{name: web, image: web}]\n';
    write(dir, { '.cdk8s-kuma.yaml': 'cni: yes\n', 'pod.yaml': pod });
    expect(run(dir, 'pod.yaml').stdout).not.toContain('KUMA028');
    expect(run(dir, '--no-cni', 'pod.yaml').stdout).toContain('KUMA028');
  });

  test('severities change a rule\'s severity', () => {
    const dir = fresh();
    write(dir, { '.cdk8s-kuma.yaml': 'kumaVersion: "3.0"\nseverities:\n  KUMA007: warning\n', 'ns.yaml': namespace('shop') });
    const r = run(dir, 'ns.yaml');
    expect(r.stdout.split('\n')[0]).toBe('WARNING KUMA007 mesh-annotation');
    expect(r).toMatchObject({ status: 0, last: '1 object, 0 errors, 1 warning (Kuma 3.0; config .cdk8s-kuma.yaml)' });
  });

  test.each([
    ['colour: blue\n', 'colour "blue" is not a setting. Use kumaVersion, distribution, controlPlaneNamespace, meshServicesMode, namespaceLabels, cni, ignore, failOn, severities, exemptions, mergeFolders.'],
    ['kumaVersion: 2.10\n', 'kumaVersion 2.1 is not a supported Kuma version.'],
    ['failOn: info\n', 'failOn "info" is not a severity. Use "error" or "warning".'],
    ['ignore: [KUMA999]\n', 'ignore[0] "KUMA999" is not a rule id.'],
    ['severities: {KUMA007: fatal}\n', 'severities.KUMA007 "fatal" is not a severity.'],
    ['exemptions:\n  - rule: KUMA007\n    name: shop\n', 'exemptions[0].reason is missing or empty. Say why the finding is accepted: a reviewer reads it.'],
    ['exemptions:\n  - rule: KUMA007\n    reason: x\n    team: a\n', 'exemptions[0].team "a" is not a key of an exemption.'],
    ['namespaceLabels: {shop: {kuma.io/sidecar-injection: true}}\n', 'namespaceLabels.shop.kuma.io/sidecar-injection true is not a string. Quote it.'],
    ['a: [\n', 'is not valid YAML'],
  ])('a bad config file (%j) is an error naming the file and the key, exit 2', (text, message) => {
    const dir = fresh();
    write(dir, { '.cdk8s-kuma.yaml': text, 'ns.yaml': namespace('shop') });
    const r = run(dir, 'ns.yaml');
    expect(r.stderr.startsWith(`cdk8s-kuma: ${path.join(dir, '.cdk8s-kuma.yaml')}: `)).toBe(true);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toContain('usage:');
    expect(r.stdout).toBe('');
    expect(r.status).toBe(2);
  });

  test('--config naming a missing file is an error, exit 2', () => {
    const dir = fresh();
    const r = run(dir, '--config', 'nope.yaml', 'x.yaml');
    expect(r.stderr).toBe('cdk8s-kuma: nope.yaml: (file) cannot be read (ENOENT). Name an existing config file.\n');
    expect(r.status).toBe(2);
  });

  test('the validation plugin reads the same file; its properties override it', async () => {
    const dir = fresh();
    write(dir, { 'kuma.yaml': config, 'dist/ns.yaml': namespace('team-a') + '---\n' + namespace('shop') });
    const violations: any[] = [];
    let status = '';
    let metadata: Record<string, string> = {};
    const report = {
      addViolation: (v: any) => violations.push(v),
      submit: (s: string, m?: Record<string, string>) => {
        status = s;
        metadata = m ?? {};
      },
    };
    await new MeshValidation({ configFile: path.join(dir, 'kuma.yaml') }).validate({ manifests: [path.join(dir, 'dist', 'ns.yaml')], report });
    expect(violations.map((v) => v.ruleName)).toEqual(['KUMA007 mesh-annotation (error)']);
    expect(metadata).toMatchObject({ kumaVersion: '3.0', suppressed: '1' });
    expect(status).toBe('failure');
    expect(() => new MeshValidation({ configFile: path.join(dir, 'kuma.yaml'), failOn: 'info' }))
      .toThrow('cdk8s.yaml validations[].properties: failOn "info" is not a severity.');
    write(dir, { 'bad.yaml': 'kumaversion: "3.0"\n' });
    expect(() => new MeshValidation({ configFile: path.join(dir, 'bad.yaml') })).toThrow(`${path.join(dir, 'bad.yaml')}: kumaversion "3.0" is not a setting.`);
  });
});

describe('8. a baseline', () => {
  test('--write-baseline records the findings (exit 0); --baseline reports only new ones, and counts the fixed', () => {
    const dir = fresh();
    write(dir, { 'ns.yaml': namespace('shop') + '---\n' + namespace('pay') });
    const w = run(dir, '--kuma-version', '3.0', '--write-baseline', 'baseline.json', 'ns.yaml');
    expect(w.stdout.split('\n').slice(-3)).toEqual(['wrote baseline.json: 2 findings', '2 objects, 2 errors, 0 warnings (Kuma 3.0)', '']);
    expect(w.status).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'baseline.json'), 'utf8'))).toEqual({
      tool: 'cdk8s-kuma',
      format: 1,
      version: packageVersion(),
      findings: [
        { ruleId: 'KUMA007', object: 'Namespace pay', message: 'sets kuma.io/mesh as a namespace annotation, which Kuma 3.0 ignores', key: '/metadata/annotations/kuma.io~1mesh' },
        { ruleId: 'KUMA007', object: 'Namespace shop', message: 'sets kuma.io/mesh as a namespace annotation, which Kuma 3.0 ignores', key: '/metadata/annotations/kuma.io~1mesh' },
      ],
    });
    expect(run(dir, '--kuma-version', '3.0', '--baseline', 'baseline.json', 'ns.yaml')).toMatchObject({
      status: 0, stdout: '2 objects, 0 errors, 0 warnings, 2 in the baseline (Kuma 3.0)\n',
    });
    // one fixed, one new
    write(dir, { 'ns.yaml': namespace('shop') + '---\n' + namespace('orders') });
    const r = run(dir, '--kuma-version', '3.0', '--baseline', 'baseline.json', 'ns.yaml');
    expect(r.stdout.split('\n').filter((l) => l.startsWith('  Namespace'))).toEqual(['  Namespace orders (ns.yaml:13:5)']);
    expect(r.stdout.split('\n').slice(-3)).toEqual([
      '1 baseline entry matched no finding (fixed since): --write-baseline baseline.json drops them',
      '2 objects, 1 error, 0 warnings, 1 in the baseline (Kuma 3.0)',
      '',
    ]);
    expect(r.status).toBe(1);
  });

  test('a baseline of another version: a reworded message still matches by rule, object and key; rule and object alone do not', () => {
    const dir = fresh();
    const entry = { ruleId: 'KUMA007', object: 'Namespace shop', message: 'older wording' };
    write(dir, {
      'ns.yaml': namespace('shop'),
      'keyed.json': JSON.stringify({ tool: 'cdk8s-kuma', format: 1, findings: [{ ...entry, key: '/metadata/annotations/kuma.io~1mesh' }] }),
      'other-key.json': JSON.stringify({ tool: 'cdk8s-kuma', format: 1, findings: [{ ...entry, key: '/metadata/labels' }] }),
    });
    expect(run(dir, '--kuma-version', '3.0', '--baseline', 'keyed.json', 'ns.yaml')).toMatchObject({ status: 0 });
    expect(run(dir, '--kuma-version', '3.0', '--baseline', 'other-key.json', 'ns.yaml')).toMatchObject({ status: 1 });
  });

  test('a new finding of the same rule on the same object is new, though a baseline entry of that object was fixed', () => {
    const dir = fresh();
    // KUMA030: a backend port the Service does not have
    const ingress = (backends: [string, number][]) => 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: shop, namespace: shop}\nspec:\n'
      + '  rules:\n  - http:\n      paths:\n'
      + backends.map(([b, port]) => `      - {path: /${b}, pathType: Prefix, backend: {service: {name: ${b}, port: {number: ${port}}}}}\n`).join('');
    const svc = (name: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: shop}\nspec: {selector: {app: ${name}}, ports: [{port: 80}]}\n`;
    const ns = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {kuma.io/sidecar-injection: enabled}}\n';
    write(dir, { 'set.yaml': [ns, ingress([['orders', 8080], ['catalog', 8080]]), svc('orders'), svc('catalog')].join('---\n') });
    const before = JSON.parse(run(dir, '--json', 'set.yaml').stdout).findings.map((f: any) => `${f.ruleId} ${f.key}`);
    expect(before).toEqual(['KUMA030 /spec/rules/0/http/paths/0/backend/service/port', 'KUMA030 /spec/rules/0/http/paths/1/backend/service/port']);
    expect(run(dir, '--write-baseline', 'b.json', 'set.yaml').status).toBe(0);
    // orders fixed; payments added with the same mistake
    write(dir, { 'set.yaml': [ns, ingress([['orders', 80], ['catalog', 8080], ['payments', 8080]]), svc('orders'), svc('catalog'), svc('payments')].join('---\n') });
    const r = run(dir, '--baseline', 'b.json', 'set.yaml');
    expect(r.stdout).toContain('sends to Service shop/payments on port 8080');
    expect(r.stdout.split('\n').slice(-3)).toEqual([
      '1 baseline entry matched no finding (fixed since): --write-baseline b.json drops them',
      '5 objects, 1 error, 0 warnings, 1 in the baseline (Kuma 2.14)',
      '',
    ]);
    expect(r.status).toBe(1);
  });

  test('a baseline of this version: a new message at a known key is new (a backend pointed at another broken Service)', () => {
    const dir = fresh();
    const entry = { ruleId: 'KUMA007', object: 'Namespace shop', message: 'older wording', key: '/metadata/annotations/kuma.io~1mesh' };
    write(dir, { 'ns.yaml': namespace('shop'), 'b.json': JSON.stringify({ tool: 'cdk8s-kuma', format: 1, version: packageVersion(), findings: [entry] }) });
    expect(run(dir, '--kuma-version', '3.0', '--baseline', 'b.json', 'ns.yaml')).toMatchObject({ status: 1 });
  });

  test('--baseline and --write-baseline together are a usage error', () => {
    const r = run(fresh(), '--baseline', 'b.json', '--write-baseline', 'b.json', 'x.yaml');
    expect(r.stderr.split('\n')[0]).toBe('cdk8s-kuma: --baseline and --write-baseline: give one (--write-baseline alone records the findings of this run, the fixed ones dropped)');
    expect(r.status).toBe(2);
  });

  test('a baseline that is missing or not one: exit 2', () => {
    const dir = fresh();
    write(dir, { 'ns.yaml': namespace('shop'), 'b.json': '{"findings": []}' });
    expect(run(dir, '--baseline', 'none.json', 'ns.yaml')).toMatchObject({
      status: 2, stderr: 'cdk8s-kuma: --baseline none.json: cannot be read (ENOENT); write one with --write-baseline none.json\n',
    });
    expect(run(dir, '--baseline', 'b.json', 'ns.yaml')).toMatchObject({
      status: 2, stderr: 'cdk8s-kuma: --baseline b.json: is not a cdk8s-kuma baseline (format 1); write one with --write-baseline b.json\n',
    });
  });
});

/* The hostile-input catalogue's H42 - H47 (README), with the exact output of each. */
describe('4. kustomization and chart folders; YAML that is not a Kubernetes object', () => {
  test('H43 a kustomization folder is rendered with kubectl kustomize; its findings are reported at its kustomization.yaml', () => {
    const dir = fresh();
    write(dir, {
      'base/kustomization.yaml': 'resources: [ns.yaml]\n',
      'base/ns.yaml': namespace('shop'),
      'base/patch.yaml': 'metadata:\n  name: shop\n',
    });
    withTools({ kubectl: `[ "$1" = kustomize ] && [ "$2" = base ] || exit 9\n${printing(namespace('shop'))}` }, () => {
      const r = run(dir, '--kuma-version', '3.0', '--json', 'base');
      const out = JSON.parse(r.stdout);
      expect(out.objects).toBe(1);
      expect(out.findings.map((f: any) => [f.object, f.source, f.line])).toEqual([['Namespace shop', 'base (kubectl kustomize)#1', undefined]]);
      expect(r.status).toBe(1);
      const sarif = JSON.parse(run(dir, '--kuma-version', '3.0', '--format', 'sarif', 'base').stdout);
      expect(sarif.runs[0].results[0].locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'base/kustomization.yaml', uriBaseId: '%SRCROOT%' } });
    });
  });

  test('H42 without kubectl or kustomize on PATH a kustomization folder is refused with the command to run (exit 2)', () => {
    const dir = fresh();
    write(dir, { 'overlay/kustomization.yaml': 'resources: [../base]\n' });
    withTools({}, () => {
      const r = run(dir, 'overlay');
      expect(r.stderr).toBe('cdk8s-kuma: overlay: is a kustomization (kustomization.yaml), whose files are not the objects it gives; '
        + 'render it: kubectl kustomize overlay | cdk8s-kuma lint - (neither kubectl nor kustomize is on PATH)\n');
      expect(r.last).toBe('0 objects, 0 errors, 0 warnings, 1 bad input (see stderr) (Kuma 2.14)');
      expect(r.status).toBe(2);
    });
  });

  test('H44 a renderer that fails is bad input, with its last line of stderr', () => {
    const dir = fresh();
    write(dir, { 'k/kustomization.yaml': 'resources: [missing.yaml]\n' });
    withTools({ kustomize: 'echo "Error: accumulating resources: missing.yaml: no such file" >&2; exit 1' }, () => {
      expect(run(dir, 'k')).toMatchObject({ status: 2, stderr: 'cdk8s-kuma: k: kustomize build k failed: Error: accumulating resources: missing.yaml: no such file\n' });
    });
  });

  test('H45 a Helm chart folder is refused with the helm template hint, or rendered when helm is on PATH', () => {
    const dir = fresh();
    write(dir, { 'chart/Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 0.1.0\n', 'chart/values.yaml': 'replicas: 2\n', 'chart/templates/ns.yaml': 'metadata: {name: {{ .Values.name }}}\n' });
    withTools({}, () => {
      expect(run(dir, 'chart')).toMatchObject({
        status: 2, stderr: 'cdk8s-kuma: chart: is a Helm chart (Chart.yaml), whose files are not the objects it gives; render it: helm template <release> chart | cdk8s-kuma lint - (helm is not on PATH)\n',
      });
    });
    withTools({ helm: printing(namespace('shop')) }, () => {
      expect(run(dir, '--kuma-version', '3.0', 'chart')).toMatchObject({ status: 1, last: '1 object, 1 error, 0 warnings (Kuma 3.0)' });
    });
  });

  test('H46 a kustomization or chart inside a directory is not read as objects: bad input, naming it', () => {
    const dir = fresh();
    write(dir, { 'tree/ns.yaml': namespace('shop'), 'tree/overlay/kustomization.yaml': 'resources: []\n', 'tree/overlay/patch.yaml': 'kind: Namespace\n' });
    const r = run(dir, '--kuma-version', '3.0', 'tree');
    expect(r.stderr).toBe(`cdk8s-kuma: ${path.join('tree', 'overlay')}: is a kustomization (kustomization.yaml) inside tree; not read: lint it as a path of its own\n`);
    expect(r.last).toBe('1 object, 1 error, 0 warnings, 1 bad input (see stderr) (Kuma 3.0)');
    expect(r.status).toBe(2);
  });

  test('the README lists H42 - H47', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    for (const id of ['H42', 'H43', 'H44', 'H45', 'H46', 'H47']) expect(readme).toContain(`\n| ${id} | `);
  });

  test('H47 YAML that is not a Kubernetes object (values.yaml) is not counted as an object', () => {
    const dir = fresh();
    write(dir, { 'values.yaml': 'replicaCount: 2\nimage: {repository: kong}\n', 'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n' });
    const r = run(dir, '.');
    expect(r.stdout).toBe('1 object, 0 errors, 0 warnings (Kuma 2.14; 1 document skipped: not Kubernetes objects)\n');
    expect(r.stderr).toBe('cdk8s-kuma: note: values.yaml#1: is not a Kubernetes object (no kind, no metadata: a chart\'s values.yaml?), skipped\n');
    expect(r.status).toBe(0);
    expect(JSON.parse(run(dir, '--json', '.').stdout)).toMatchObject({ objects: 1, notObjects: ['values.yaml#1'] });
  });

  test('a manifest with kind or metadata but no apiVersion (or no kind) is bad input, not skipped', () => {
    const dir = fresh();
    write(dir, { 'ns.yaml': 'Kind: Namespace\napiversion: v1\nmetadata: {name: shop}\n---\nkind: Namespace\nmetadata: {name: pay}\n' });
    const r = run(dir, 'ns.yaml');
    expect(r.stderr).toBe([
      'cdk8s-kuma: ns.yaml#1 (line 1): is not a Kubernetes object: it has no apiVersion and no kind (kubectl refuses it)',
      'cdk8s-kuma: ns.yaml#2 (line 4): is not a Kubernetes object: it has no apiVersion (kubectl refuses it)',
      '',
    ].join('\n'));
    expect(r.status).toBe(2);
  });
});

describe('5. each finding at the line and column of its key', () => {
  test('a value check at its annotation key; a List item at its own key; a route at its backend', () => {
    const dir = fresh();
    write(dir, {
      'set.yaml': [
        'apiVersion: v1',
        'kind: List',
        'items:',
        '  - apiVersion: v1',
        '    kind: Service',
        '    metadata:',
        '      name: web',
        '      namespace: shop',
        '      annotations:',
        '        ingress.kubernetes.io/service-upstream: true',
        '    spec: {ports: [{port: 80}]}',
        '',
      ].join('\n'),
    });
    const out = JSON.parse(run(dir, '--json', 'set.yaml').stdout);
    expect(out.findings.map((f: any) => [f.ruleId, f.line, f.column])).toEqual([['KUMA020', 10, 9]]);
    expect(run(dir, 'set.yaml').stdout).toContain('  Service shop/web (set.yaml:10:9)\n');
  });
});

describe('6. CI formats', () => {
  test('--format gitlab: a GitLab Code Quality report, each finding at its file and line, suppressed ones left out', () => {
    const dir = fresh();
    write(dir, { 'k8s/ns.yaml': namespace('shop') + '---\n' + namespace('pay', { 'ignore.cdk8s-kuma/KUMA007': 'tracked in PLAT-12' }) });
    const r = run(dir, '--kuma-version', '3.0', '--format', 'gitlab', 'k8s');
    expect(JSON.parse(r.stdout)).toEqual([{
      description: 'KUMA007 Namespace shop: sets kuma.io/mesh as a namespace annotation, which Kuma 3.0 ignores. Fix: Set kuma.io/mesh as a namespace label.',
      check_name: 'KUMA007 mesh-annotation',
      fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/),
      severity: 'major',
      location: { path: 'k8s/ns.yaml', lines: { begin: 6 } },
    }]);
    expect(r.status).toBe(1);
    // the same finding, the same fingerprint
    expect(JSON.parse(run(dir, '--kuma-version', '3.0', '--format', 'gitlab', 'k8s').stdout)[0].fingerprint).toBe(JSON.parse(r.stdout)[0].fingerprint);
  });
});

describe('review: what a platform team hit first', () => {
  /** A Deployment whose pod sets runAsNonRoot: KUMA028, fixable. */
  const nonRoot = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {kuma.io/sidecar-injection: enabled}}\n---\n'
    + 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {matchLabels: {app: web}}\n'
    + '  template:\n    metadata: {labels: {app: web}}\n    spec:\n      securityContext: {runAsNonRoot: true}\n      containers: [{name: web, image: web}]\n';

  test('--fix keeps a rendered kustomization\'s objects in the set (and says it cannot fix them); a kustomization.yaml given is its folder', () => {
    const dir = fresh();
    write(dir, { 'k/kustomization.yaml': 'resources: []\n', 'pod.yaml': nonRoot });
    withTools({ kubectl: printing(namespace('pay')) }, () => {
      const r = run(dir, '--kuma-version', '3.0', '--fix', 'k/kustomization.yaml', 'pod.yaml');
      expect(r.stderr).toBe('cdk8s-kuma: note: k (kubectl kustomize): is rendered output; --fix cannot write its fixes back: fix its sources\n');
      expect(r.stdout).toContain('FIXED KUMA028 Deployment shop/web');
      expect(r.stdout).toContain('  Namespace pay (k (kubectl kustomize)#1)\n');
      expect(r).toMatchObject({ status: 1, last: '3 objects, 1 error, 0 warnings (Kuma 3.0)' });
    });
  });

  test('--fix --dry-run places the remaining findings at the lines of the files as they are', () => {
    const dir = fresh();
    write(dir, { 'pod.yaml': nonRoot + '---\n' + namespace('late') });
    const lines = fs.readFileSync(path.join(dir, 'pod.yaml'), 'utf8').split('\n');
    const at = lines.findIndex((l, i) => i > 15 && l.includes('kuma.io/mesh')) + 1;
    const r = run(dir, '--kuma-version', '3.0', '--fix', '--dry-run', 'pod.yaml');
    expect(r.stdout).toContain(`  Namespace late (pod.yaml:${at}:5)\n`);
  });

  test('exemptions: * in kind too; one that matches nothing is a note', () => {
    const dir = fresh();
    write(dir, {
      '.cdk8s-kuma.yaml': 'exemptions:\n  - {rule: KUMA007, kind: "Name*", reason: accepted}\n  - {rule: KUMA007, kind: Namespace, name: gone, reason: stale}\n',
      'ns.yaml': namespace('shop'),
    });
    const r = run(dir, '--kuma-version', '3.0', 'ns.yaml');
    expect(r.stderr).toBe('cdk8s-kuma: note: .cdk8s-kuma.yaml: exemptions[1] (KUMA007 Namespace gone) matches no object of the set\n'.replace('.cdk8s-kuma.yaml:', `${path.join(dir, '.cdk8s-kuma.yaml')}:`));
    expect(r).toMatchObject({ status: 0, last: '1 object, 0 errors, 0 warnings, 1 suppressed (Kuma 3.0; config .cdk8s-kuma.yaml)' });
  });

  test('--output: the report goes to the file, the summary to stderr (the CI log still says what the run found)', () => {
    const dir = fresh();
    write(dir, { 'ns.yaml': namespace('shop') });
    const r = run(dir, '--kuma-version', '3.0', '--format', 'sarif', '--output', 'kuma.sarif', 'ns.yaml');
    expect(r).toMatchObject({ status: 1, stdout: '', stderr: 'cdk8s-kuma: 1 object, 1 error, 0 warnings (Kuma 3.0); report in kuma.sarif\n' });
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'kuma.sarif'), 'utf8')).runs[0].results).toHaveLength(1);
  });

  test('the plugin: the config file\'s kumaVersion is a default; the version the app wrote wins over it', async () => {
    const dir = fresh();
    write(dir, {
      'kuma.yaml': 'kumaVersion: "3.0"\n',
      'dist/ns.yaml': namespace('shop'),
      'dist/cdk8s-kuma-metadata.json': JSON.stringify({ kumaVersions: ['2.14'] }),
    });
    const violations: any[] = [];
    let metadata: Record<string, string> = {};
    await new MeshValidation({ configFile: path.join(dir, 'kuma.yaml') }).validate({
      manifests: [path.join(dir, 'dist', 'ns.yaml')],
      report: { addViolation: (v: any) => violations.push(v), submit: (_s: string, m?: Record<string, string>) => (metadata = m ?? {}) },
    });
    expect(violations.map((v) => v.ruleName)).toEqual(['KUMA007 mesh-annotation (warning)']);
    expect(metadata.kumaVersion).toBe('2.14');
  });
});

test('KUMA011: a route to the Service\'s targetPort (8080) is named after the Service port Kuma uses (80), not the container port', () => {
  const dir = fresh();
  const bad = fs.readFileSync(path.join(__dirname, '..', 'src', 'analysis', 'rules', 'examples', 'KUMA011.bad.yaml'), 'utf8');
  expect(bad).toMatch(/port:\n\s+number: 80\n/);
  write(dir, { 'set.yaml': bad.replace(/(port:\n\s+)number: 80\n/, '$1number: 8080\n') });
  const r = run(dir, '--kuma-version', '2.14', '--fix', '--dry-run', 'set.yaml');
  expect(r.stdout).toContain('+        kuma.io/transparent-proxying-reachable-services: web_shop_svc_80\n');
  expect(r.stdout).not.toContain('svc_8080');
});

test('KUMA013: a misspelt key is told its spelling, not to target another version', () => {
  const dir = fresh();
  write(dir, {
    'pod.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {kuma.io/sidecar-injection: enabled}}\n---\n'
      + 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\n  annotations: {traffic.kuma.io/exclude-inbound-port: "9090"}\nspec: {containers: [{name: web, image: web}]}\n',
  });
  const r = run(dir, '--kuma-version', '2.14', 'pod.yaml');
  expect(r.stdout).toContain('  fix: Spell it as Kuma\'s annotation reference does (did you mean traffic.kuma.io/exclude-inbound-ports?), or remove it.\n');
});

describe('second review', () => {
  test('a Chart.yaml given is its chart folder: refused with the helm template hint', () => {
    const dir = fresh();
    write(dir, { 'chart/Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 0.1.0\n' });
    withTools({}, () => {
      expect(run(dir, 'chart/Chart.yaml')).toMatchObject({
        status: 2, stderr: 'cdk8s-kuma: chart: is a Helm chart (Chart.yaml), whose files are not the objects it gives; render it: helm template <release> chart | cdk8s-kuma lint - (helm is not on PATH)\n',
      });
    });
  });

  test('--fix --dry-run with a machine format needs --output (the diff and the report would share stdout)', () => {
    const r = run(fresh(), '--fix', '--dry-run', '--format', 'json', 'x.yaml');
    expect(r.stderr.split('\n')[0]).toBe('cdk8s-kuma: --dry-run prints its diff on standard output, where the json report would go too: add --output <file> for the report');
    expect(r.status).toBe(2);
  });

  test('KUMA011: a route to a port the Service does not have gets no name (KUMA030 reports the port)', () => {
    const dir = fresh();
    const bad = fs.readFileSync(path.join(__dirname, '..', 'src', 'analysis', 'rules', 'examples', 'KUMA011.bad.yaml'), 'utf8');
    write(dir, { 'set.yaml': bad.replace(/(port:\n\s+)number: 80\n/, '$1number: 8081\n') });
    const r = run(dir, '--kuma-version', '2.14', '--fix', '--dry-run', 'set.yaml');
    expect(r.stdout).toContain('ERROR KUMA030 route-port-missing');
    expect(r.stdout).not.toContain('svc_8081');
  });

  test('findings come in the same order with --fix as without (rendered and plain files read in order)', () => {
    const dir = fresh();
    write(dir, { 'a.yaml': namespace('a'), 'b.yaml': namespace('b') });
    const plain = run(dir, '--kuma-version', '3.0', '--json', 'a.yaml', 'b.yaml');
    const fixed = run(dir, '--kuma-version', '3.0', '--fix', '--json', 'a.yaml', 'b.yaml');
    expect(JSON.parse(fixed.stdout).findings.map((f: any) => f.object)).toEqual(JSON.parse(plain.stdout).findings.map((f: any) => f.object));
  });

  test('the plugin writes what it accepted, and why, and what accepts nothing, to stderr; its report names the config file', async () => {
    const dir = fresh();
    write(dir, {
      'kuma.yaml': 'kumaVersion: "3.0"\nexemptions:\n  - {rule: KUMA007, name: gone, reason: stale}\n',
      'dist/ns.yaml': namespace('shop', { 'ignore.cdk8s-kuma/KUMA007': 'labelled by the platform (PLAT-12)', 'ignore.cdk8s-kuma/kuma009': 'x' }),
    });
    const written: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((s: any) => {
      written.push(String(s));
      return true;
    });
    let metadata: Record<string, string> = {};
    try {
      await new MeshValidation({ configFile: path.join(dir, 'kuma.yaml') }).validate({
        manifests: [path.join(dir, 'dist', 'ns.yaml')],
        report: { addViolation: () => undefined, submit: (_s: string, m?: Record<string, string>) => (metadata = m ?? {}) },
      });
    } finally {
      spy.mockRestore();
    }
    const file = path.join(dir, 'dist', 'ns.yaml');
    expect(written).toEqual([
      `cdk8s-kuma: suppressed KUMA007 Namespace shop (${file}#1): labelled by the platform (PLAT-12) (annotation)\n`,
      `cdk8s-kuma: note: ${file}#1: Namespace shop: annotation ignore.cdk8s-kuma/kuma009 names no rule (KUMA009: rule ids are upper case), so it suppresses nothing\n`,
      `cdk8s-kuma: note: ${path.join(dir, 'kuma.yaml')}: exemptions[0] (KUMA007 gone) matches no object of the set\n`,
    ]);
    expect(metadata).toMatchObject({ config: path.join(dir, 'kuma.yaml'), suppressed: '1' });
  });
});

test('a finding in rendered output does not offer --fix, which cannot write it', () => {
  const dir = fresh();
  write(dir, { 'k/kustomization.yaml': 'resources: []\n' });
  const set = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {kuma.io/sidecar-injection: disabled}}\n---\n'
    + 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {matchLabels: {app: web}}\n'
    + '  template:\n    metadata: {labels: {app: web, kuma.io/sidecar-injection: enabled}}\n    spec: {containers: [{name: web, image: web}]}\n---\n'
    + 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n';
  withTools({ kubectl: printing(set) }, () => {
    const r = run(dir, 'k');
    expect(r.stdout).toContain('ERROR KUMA001 service-upstream-missing');
    expect(r.stdout).toContain('(in the sources it is rendered from: --fix cannot write rendered output)');
    expect(r.stdout).not.toContain('lint --fix');
  });
});
