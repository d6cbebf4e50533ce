/*
 * The rule registry (src/analysis/rules) and what is generated from it, checked as kube-linter
 * checks its built-in checks (TestBuiltInChecksWellFormed) and istio its analyzers (TestAnalyzersInAll,
 * TestAnalyzersHaveDescription): every rule file is registered once, every definition is complete,
 * each rule's bad example triggers it and its good example does not, and the pages, the README table
 * and the fixable lists are what the registry says.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runLint } from './support/run-lint';
import { EXAMPLES_DIR, exampleOf, fixableIds, README_TABLE_BEGIN, README_TABLE_END, readmeRuleTable, ruleDocFiles, fileOf } from '../src/analysis/_rule-docs';
import { MeshAnalysis } from '../src/analysis/mesh-analysis';
import { ALL_RULES, RULES_BY_ID } from '../src/analysis/rules';
import { RULE_DOCS_URI } from '../src/analysis/rules/rule';

const ROOT = path.join(__dirname, '..');
const RULES_DIR = path.join(ROOT, 'src', 'analysis', 'rules');

describe('the registry', () => {
  test('every rule file is registered once, under the id and name its file says', () => {
    const files = fs.readdirSync(RULES_DIR).filter((f) => /^kuma\d{3}-/.test(f)).map((f) => f.replace(/\.ts$/, '')).sort();
    expect(ALL_RULES.map(fileOf).sort()).toEqual(files);
    expect(new Set(ALL_RULES.map((r) => r.id)).size).toBe(ALL_RULES.length);
    expect(new Set(ALL_RULES.map((r) => r.name)).size).toBe(ALL_RULES.length);
    for (const r of ALL_RULES) {
      expect(r.id).toMatch(/^KUMA\d{3}$/);
      expect(r.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      // the file exports the definition under its id
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      expect(require(path.join(RULES_DIR, fileOf(r)))[r.id]).toBe(r);
    }
    expect(MeshAnalysis.rules.map((r) => r.id)).toEqual([...RULES_BY_ID.keys()].sort());
    // a bad and a good set per rule, and nothing else
    expect(fs.readdirSync(EXAMPLES_DIR).sort()).toEqual(ALL_RULES.flatMap((r) => [`${r.id}.bad.yaml`, `${r.id}.good.yaml`]).sort());
  });

  test.each(ALL_RULES.map((r) => [r.id, r] as const))('%s: a complete definition', (_id, r) => {
    for (const text of [r.summary, r.rationale, r.restsOn, r.fix]) {
      expect(text.trim().length).toBeGreaterThan(20);
      expect(text).not.toMatch(/kuma-facts|toolchain\.md|ecosystem\.md|shared\/docs|§/);
    }
    // fixes end with a period, as the fix of each finding does
    expect(r.fix).toMatch(/\.$/);
    expect(r.rationale).toMatch(/[.)]$/);
    if (r.severityNote !== undefined) expect(r.severityNote).toMatch(/\.$/);
    expect(r.sources.length).toBeGreaterThan(0);
    for (const s of r.sources) expect(s).toMatch(/^(https:\/\/|kumahq\/|Kong\/|kubernetes\/|kubernetes-sigs\/)/);
    expect(r.exampleFlags).toContain('--kuma-version');
    // the fix of a fixable rule says who applies it
    if (r.fixable) expect(r.fix).toMatch(/--fix/);
  });

  test.each(ALL_RULES.map((r) => [r.id, r] as const))('%s: its bad example triggers it, its good example does not', (_id, r) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `rule-${r.id}-`));
    try {
      const idsOf = (name: 'bad' | 'good') => {
        const file = path.join(dir, `${name}.yaml`);
        fs.writeFileSync(file, exampleOf(r)[name]);
        const run = runLint('lint', '--format', 'json', ...r.exampleFlags, file);
        expect(run.stderr).toBe('');
        return (JSON.parse(run.stdout).findings as Array<{ ruleId: string }>).map((f) => f.ruleId);
      };
      expect(idsOf('bad')).toContain(r.id);
      expect(idsOf('good')).not.toContain(r.id);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('what is generated from the registry', () => {
  test('docs/rules: one page per rule and the index, as `npx projen docs:rules` writes them', () => {
    const files = ruleDocFiles();
    const onDisk = fs.readdirSync(path.join(ROOT, 'docs', 'rules')).map((f) => `docs/rules/${f}`).sort();
    expect(onDisk).toEqual([...files.keys()].sort());
    for (const [file, text] of files) expect(`${file}:\n${fs.readFileSync(path.join(ROOT, file), 'utf8')}`).toBe(`${file}:\n${text}`);
  });

  test('SARIF: each rule with its default level and its own page as helpUri', () => {
    const example = path.join(EXAMPLES_DIR, 'KUMA001.bad.yaml');
    const log = JSON.parse(runLint('lint', '--format', 'sarif', '--kuma-version', '2.14', example).stdout);
    const rules = log.runs[0].tool.driver.rules;
    expect(rules.map((r: any) => r.id)).toEqual([...RULES_BY_ID.keys()].sort());
    for (const r of rules) {
      const def = RULES_BY_ID.get(r.id)!;
      expect(r.helpUri).toBe(`${RULE_DOCS_URI}/${r.id}.md`);
      expect(fs.existsSync(path.join(ROOT, 'docs', 'rules', `${r.id}.md`))).toBe(true);
      expect(r.defaultConfiguration).toEqual({ level: def.severity });
      expect(r.help.text).toBe(`${def.rationale} Fix: ${def.fix}`);
    }
  });

  test('the README rule table', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const begin = readme.indexOf(README_TABLE_BEGIN) + README_TABLE_BEGIN.length + 1;
    expect(readme.slice(begin, readme.indexOf(README_TABLE_END))).toBe(readmeRuleTable() + '\n');
  });

  test('the fixable rules, wherever they are listed', () => {
    const fixable = fixableIds();
    expect(fixable).toEqual(MeshAnalysis.rules.filter((r) => r.fixable).map((r) => r.id));
    // MeshAnalyzerProps.fix
    const analyzer = fs.readFileSync(path.join(ROOT, 'src', 'analysis', 'mesh-analyzer.ts'), 'utf8');
    const doc = analyzer.slice(analyzer.indexOf('Apply the fixes of the fixable rules'), analyzer.indexOf('readonly fix?: boolean'));
    expect(doc.match(/KUMA\d{3}/g)).toEqual(fixable);
    // the README's --fix paragraph names every fix it applies
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const paragraph = readme.slice(readme.indexOf('`--fix` rewrites the files'), readme.indexOf(README_TABLE_BEGIN));
    const named = new Set((paragraph.match(/KUMA\d{3}|\b0\d\d\b/g) ?? []).map((n) => (n.startsWith('KUMA') ? n : `KUMA${n}`)));
    expect([...named].filter((n) => fixable.includes(n)).sort()).toEqual(fixable);
  });

  test('nothing in the repository cites notes outside it', () => {
    const roots = ['src', 'test', 'build-tools', 'bench', 'examples', 'docs', '.ci'];
    const files = [...roots.flatMap((d) => walk(path.join(ROOT, d))), path.join(ROOT, 'README.md'), path.join(ROOT, '.projenrc.ts')]
      .filter((f) => !f.includes(`${path.sep}imports${path.sep}`) && !f.endsWith('rule-registry.test.ts'));
    const citing = files.filter((f) => /kuma-facts|toolchain\.md|ecosystem\.md|users-and-plugins|shared\/docs/.test(fs.readFileSync(f, 'utf8')));
    expect(citing.map((f) => path.relative(ROOT, f))).toEqual([]);
  });
});

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || p.endsWith(path.join('test', 'conformance')) ? [] : walk(p);
    return /\.(ts|js|md|json|yaml|yml)$/.test(e.name) || e.name === 'run' ? [p] : [];
  });
}
