import * as fs from 'fs';
import * as path from 'path';
import { toBeValidSarifLog } from '@microsoft/jest-sarif';
import { MeshAnalysis } from '../src';
import { runLint } from './support/run-lint';

// `cdk8s-kuma lint --format sarif`: a SARIF 2.1.0 log (validated against the schema shipped by
// @microsoft/jest-sarif, sarif-2.1.0-rtm.5.json, the last release candidate of 2.1.0), one rule per
// id, each finding at its file and the line of its document; `--version`.

expect.extend({ toBeValidSarifLog });

const ROOT = path.join(__dirname, '..');
const FIXTURE = path.join('test', 'fixtures', 'lint', 'broken-mesh.yaml');

/** The 1-based line each document of a YAML file starts on (after its `---`). */
function documentLines(file: string): number[] {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const starts = [1];
  lines.forEach((l, i) => { if (/^---\s*$/.test(l)) starts.push(i + 2); });
  return starts;
}

describe('lint --format sarif', () => {
  const cwd = process.cwd();
  beforeAll(() => process.chdir(ROOT));
  afterAll(() => process.chdir(cwd));

  test('a valid SARIF 2.1.0 log: rules, results at file and line, the same exit status', () => {
    const text = runLint('lint', FIXTURE);
    const r = runLint('lint', '--format', 'sarif', FIXTURE);
    expect(r.status).toBe(text.status);
    const log = JSON.parse(r.stdout);
    expect(log).toBeValidSarifLog();
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0];
    expect(run.tool.driver.name).toBe('cdk8s-kuma');
    expect(run.tool.driver.rules.map((x: any) => x.id)).toEqual(MeshAnalysis.rules.map((x) => x.id));
    for (const rule of run.tool.driver.rules) expect(rule.fullDescription.text).toBe(MeshAnalysis.rules.find((x) => x.id === rule.id)!.description);

    const findings = JSON.parse(runLint('lint', '--json', FIXTURE).stdout).findings;
    expect(run.results).toHaveLength(findings.length);
    const starts = documentLines(FIXTURE);
    run.results.forEach((res: any, i: number) => {
      const f = findings[i];
      expect(run.tool.driver.rules[res.ruleIndex].id).toBe(f.ruleId);
      expect(res.level).toBe(f.severity);
      expect(res.message.text).toBe(`${f.object}: ${f.message}. Fix: ${f.fix}`);
      const loc = res.locations[0].physicalLocation;
      expect(loc.artifactLocation).toEqual({ uri: 'test/fixtures/lint/broken-mesh.yaml', uriBaseId: '%SRCROOT%' });
      // the key the finding is about, as the JSON report places it
      expect(loc.region).toEqual({ startLine: f.line, startColumn: f.column });
      expect(f.line).toBeGreaterThanOrEqual(starts[Number(String(f.source).split('#').pop()) - 1]);
    });
    expect(run.invocations[0].executionSuccessful).toBe(true);
  });

  test('bad input is a tool execution notification, and exit status 2', () => {
    const r = runLint('lint', '--format', 'sarif', path.join('test', 'fixtures', 'malformed.yaml'));
    expect(r.status).toBe(2);
    const log = JSON.parse(r.stdout);
    expect(log).toBeValidSarifLog();
    expect(log.runs[0].invocations[0].executionSuccessful).toBe(false);
    expect(log.runs[0].invocations[0].toolExecutionNotifications[0].message.text).toMatch(/^test\/fixtures\/malformed.yaml#\d+/);
  });

  test('the schema check bites: a log with a level SARIF does not have is refused', () => {
    const log = JSON.parse(runLint('lint', '--format', 'sarif', FIXTURE).stdout);
    log.runs[0].results[0].level = 'fatal';
    expect(log).not.toBeValidSarifLog();
  });

  test('--format is checked; --json is --format json; --version prints the package version', () => {
    expect(runLint('lint', '--format', 'xml', FIXTURE).stderr.split('\n')[0]).toBe('cdk8s-kuma: --format: "xml" is not one of text, json, sarif, github, gitlab');
    expect(runLint('lint', '--format', 'json', FIXTURE).stdout).toBe(runLint('lint', '--json', FIXTURE).stdout);
    const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
    expect(runLint('--version')).toEqual({ status: 0, stdout: `cdk8s-kuma ${version}\n`, stderr: '' });
    expect(runLint('lint', '--version').stdout).toBe(`cdk8s-kuma ${version}\n`);
  });
});
