import { createHash } from 'crypto';
import * as path from 'path';
import { LintOptions, packageVersion } from './_args';
import { sarifLog } from './_sarif';
import { FindingSeverity } from '../finding';
import { fingerprintOf } from './_fingerprint';
import { LintFinding } from './_lint-finding';
import { RULES_IN_ID_ORDER } from '../rules';

/*
 * What the lint command prints: text for people, JSON for tools, SARIF for code scanning, GitHub
 * workflow commands and GitLab's Code Quality report for CI (kube-linter's pkg/command/lint
 * format_output.go plays this part).
 */

/** A fix `--fix` applied (or, with `--dry-run`, would apply). */
export interface AppliedFix {
  readonly ruleId: string;
  readonly object: string;
  readonly source?: string;
}

/** What one run found, for the report. */
export interface LintReport {
  readonly objects: number;
  /** Documents that are not Kubernetes objects (values.yaml, Chart.yaml), not counted as objects (`file#N`). */
  readonly skipped: string[];
  /** The findings to act on: not suppressed, not in the baseline. */
  readonly findings: LintFinding[];
  /** The findings accepted by an annotation or an exemption. */
  readonly suppressed: LintFinding[];
  /** How many findings the baseline has. */
  readonly baselined: number;
  /** How many of the baseline's entries no finding matched (fixed since). */
  readonly staleBaseline: number;
  readonly fixed: AppliedFix[];
  /** Bad input, one line each. */
  readonly problems: string[];
  /** With --write-baseline: how many findings were written to it. */
  readonly baselineWritten?: number;
}

/** `1 error`, `2 errors`. */
const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** The report in the format the options ask for. */
export function formatReport(options: LintOptions, report: LintReport): string {
  const { findings, fixed, problems } = report;
  if (options.format === 'sarif') {
    return JSON.stringify(sarifLog({
      toolVersion: packageVersion(),
      kumaVersion: options.version.toString(),
      rules: RULES_IN_ID_ORDER,
      findings: [...findings, ...report.suppressed],
      badInput: problems,
      root: process.cwd(),
    }), undefined, 2) + '\n';
  }
  if (options.format === 'github') {
    // GitHub Actions workflow commands: https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions
    let out = '';
    for (const f of findings) {
      const props = [
        f.file === undefined ? undefined : `file=${property(f.file)}`,
        f.line === undefined ? undefined : `line=${f.line}`,
        f.column === undefined ? undefined : `col=${f.column}`,
        `title=${property(`${f.ruleId} ${f.rule}`)}`,
      ].filter((p) => p !== undefined).join(',');
      out += `::${f.severity === FindingSeverity.ERROR ? 'error' : 'warning'} ${props}::${data(`${f.object}: ${f.message}. Fix: ${f.fix}`)}\n`;
    }
    for (const p of problems) out += `::error title=cdk8s-kuma bad input::${data(p)}\n`;
    return out + summary(options, report);
  }
  if (options.format === 'gitlab') {
    // GitLab's Code Quality report (a subset of the Code Climate spec), which the merge request widget
    // shows: https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format
    return JSON.stringify(findings.map((f) => ({
      description: `${f.ruleId} ${f.object}: ${f.message}. Fix: ${f.fix}`,
      check_name: `${f.ruleId} ${f.rule}`,
      // stable from run to run (GitLab compares the merge request's findings with the target branch's by it)
      fingerprint: createHash('sha256').update(fingerprintOf(f)).digest('hex').slice(0, 32),
      severity: f.severity === FindingSeverity.ERROR ? 'major' : 'minor',
      location: { path: relativePath(f.file ?? ''), lines: { begin: f.line ?? 1 } },
    })), undefined, 2) + '\n';
  }
  if (options.format === 'json') {
    const shown = ({ file: _file, suppressed, ...f }: LintFinding) => ({ ...f, ...suppressed === undefined ? {} : { suppression: suppressed } });
    const errors = findings.filter((f) => f.severity === FindingSeverity.ERROR).length;
    return JSON.stringify({
      version: options.version.toString(),
      ...options.configFile === undefined ? {} : { config: options.configFile },
      objects: report.objects,
      errors,
      warnings: findings.length - errors,
      ...report.skipped.length > 0 ? { notObjects: report.skipped } : {},
      ...(options.fix ? { [options.dryRun ? 'wouldFix' : 'fixed']: fixed } : {}),
      findings: findings.map(shown),
      suppressed: report.suppressed.map(shown),
      ...options.baseline === undefined ? {} : { baseline: { file: options.baseline, known: report.baselined, fixedSince: report.staleBaseline } },
      ...problems.length > 0 ? { badInput: problems } : {},
    }, undefined, 2) + '\n';
  }
  let text = '';
  for (const f of fixed) text += `${options.dryRun ? 'WOULD FIX' : 'FIXED'} ${f.ruleId} ${f.object} (${f.source})\n`;
  for (const f of findings) {
    text += `${f.severity.toUpperCase()} ${f.ruleId} ${f.rule}\n  ${f.object} (${where(f)})\n  ${f.message}.\n  fix: ${f.fix}\n`;
  }
  // accepted findings, one line each: what was accepted and why stays in the log
  for (const f of report.suppressed) text += `SUPPRESSED ${f.ruleId} ${f.object} (${where(f)}): ${f.suppressed?.reason}\n`;
  return text + summary(options, report);
}

/** A path relative to the working directory (the repository's root in CI), with forward slashes. */
function relativePath(file: string): string {
  const rel = path.relative(process.cwd(), path.resolve(file));
  return (rel.startsWith('..') ? path.resolve(file) : rel).split(path.sep).join('/');
}

/** `file:line:column` where the finding is placed, else its source (`file#document`, a construct path). */
function where(f: LintFinding): string | undefined {
  if (f.line === undefined || f.file === undefined) return f.source;
  return `${f.file}:${f.line}:${f.column}`;
}

/** The run in one line: objects, errors, warnings, suppressed findings, bad inputs, the version and the config file. */
export function summaryLine(options: LintOptions, report: LintReport): string {
  const { findings } = report;
  const errors = findings.filter((f) => f.severity === FindingSeverity.ERROR).length;
  const parts = [count(report.objects, 'object'), count(errors, 'error'), count(findings.length - errors, 'warning')];
  if (report.suppressed.length > 0) parts.push(`${report.suppressed.length} suppressed`);
  if (options.baseline !== undefined) parts.push(`${report.baselined} in the baseline`);
  if (report.problems.length > 0) parts.push(`${report.problems.length} bad input (see stderr)`);
  const notObjects = report.skipped.length > 0 ? `; ${count(report.skipped.length, 'document')} skipped: not Kubernetes objects` : '';
  const config = options.configFile === undefined ? '' : `; config ${path.relative(process.cwd(), options.configFile) || options.configFile}`;
  return `${parts.join(', ')} (Kuma ${options.version}${config}${notObjects})`;
}

/** The last lines of a text report: how many objects, errors, warnings, suppressed findings and bad inputs. */
function summary(options: LintOptions, report: LintReport): string {
  let out = '';
  if (report.baselineWritten !== undefined) out += `wrote ${options.writeBaseline}: ${count(report.baselineWritten, 'finding')}\n`;
  if (report.staleBaseline > 0) {
    out += `${report.staleBaseline} baseline ${report.staleBaseline === 1 ? 'entry' : 'entries'} matched no finding (fixed since): --write-baseline ${options.baseline} drops them\n`;
  }
  return out + summaryLine(options, report) + '\n';
}

/** A workflow command's message, escaped as GitHub's toolkit escapes it (%, CR, LF). */
function data(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A workflow command's property value: also ':' and ','. */
function property(text: string): string {
  return data(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
