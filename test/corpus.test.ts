import * as fs from 'fs';
import * as path from 'path';
import { runLint } from './support/run-lint';

// The lint on public third-party manifests (test/corpus, sources and licences in SOURCE.md): each
// run reports exactly the findings expected.json lists, so a new false positive fails here. The
// README's precision figure is computed from the same file.

const DIR = path.join(__dirname, 'corpus');
interface Expected { readonly ruleId: string; readonly object: string; readonly verdict: 'act' | 'noise'; readonly why: string }
const { runs } = JSON.parse(fs.readFileSync(path.join(DIR, 'expected.json'), 'utf8')) as { runs: Array<{ file: string; args: string[]; findings: Expected[] }> };

describe('lint on the corpus of public manifests', () => {
  test.each(runs.map((r) => [`${r.file} ${r.args.join(' ')}`.trim(), r] as const))('%s', (_name, run) => {
    const r = runLint('lint', '--format', 'json', ...run.args, path.join(DIR, run.file));
    expect(r.stderr).toBe('');
    const findings = JSON.parse(r.stdout).findings.map((f: any) => ({ ruleId: f.ruleId, object: f.object }));
    expect(findings).toEqual(run.findings.map((f) => ({ ruleId: f.ruleId, object: f.object })));
  });

  test('every file of the corpus is run, and has its source recorded', () => {
    const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();
    expect([...new Set(runs.map((r) => r.file))].sort()).toEqual(files);
    const source = fs.readFileSync(path.join(DIR, 'SOURCE.md'), 'utf8');
    for (const f of files) expect(source).toContain(`| \`${f}\` |`);
  });

  test('precision as the README states it', () => {
    const all = runs.flatMap((r) => r.findings);
    const acted = all.filter((f) => f.verdict === 'act').length;
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    expect(readme).toContain(`${runs.length} runs over ${new Set(runs.map((r) => r.file)).size} files: ${all.length} findings, ${acted} of them actionable (precision ${Math.round((100 * acted) / all.length)}%)`);
  });
});
