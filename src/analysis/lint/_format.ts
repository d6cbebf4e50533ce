import { LintOptions, packageVersion } from './_args';
import { sarifLog } from './_sarif';
import { FindingSeverity, MeshFinding } from '../finding';
import { RULES_IN_ID_ORDER } from '../rules';

/*
 * What the lint command prints: text for people, JSON for tools, SARIF for code scanning
 * (kube-linter's pkg/command/lint format_output.go plays this part).
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
  readonly findings: MeshFinding[];
  readonly fixed: AppliedFix[];
  /** Bad input, one line each. */
  readonly problems: string[];
  /** `file#N` -> the line document N starts on. */
  readonly lines: ReadonlyMap<string, number>;
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
      findings,
      lineOf: (source) => (source === undefined ? undefined : report.lines.get(source)),
      badInput: problems,
      root: process.cwd(),
    }), undefined, 2) + '\n';
  }
  if (options.format === 'github') {
    // GitHub Actions workflow commands: https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions
    let out = '';
    for (const f of findings) {
      const file = (f.source ?? '').replace(/#\d+$/, '');
      const line = f.source === undefined ? undefined : report.lines.get(f.source);
      const props = [file === '' ? undefined : `file=${property(file)}`, line === undefined ? undefined : `line=${line}`, `title=${property(`${f.ruleId} ${f.rule}`)}`]
        .filter((p) => p !== undefined).join(',');
      out += `::${f.severity === FindingSeverity.ERROR ? 'error' : 'warning'} ${props}::${data(`${f.object}: ${f.message}. Fix: ${f.fix}`)}\n`;
    }
    for (const p of problems) out += `::error title=cdk8s-kuma bad input::${data(p)}\n`;
    return out + summary(options, report);
  }
  if (options.format === 'json') {
    return JSON.stringify({
      version: options.version.toString(),
      objects: report.objects,
      ...(options.fix ? { [options.dryRun ? 'wouldFix' : 'fixed']: fixed } : {}),
      findings,
      ...problems.length > 0 ? { badInput: problems } : {},
    }, undefined, 2) + '\n';
  }
  let text = '';
  for (const f of fixed) text += `${options.dryRun ? 'WOULD FIX' : 'FIXED'} ${f.ruleId} ${f.object} (${f.source})\n`;
  for (const f of findings) {
    text += `${f.severity.toUpperCase()} ${f.ruleId} ${f.rule}\n  ${f.object} (${f.source})\n  ${f.message}.\n  fix: ${f.fix}\n`;
  }
  return text + summary(options, report);
}

/** The last line of a text report: how many objects, errors, warnings and bad inputs. */
function summary(options: LintOptions, report: LintReport): string {
  const errors = report.findings.filter((f) => f.severity === FindingSeverity.ERROR).length;
  const { problems } = report;
  return `${count(report.objects, 'object')}, ${count(errors, 'error')}, ${count(report.findings.length - errors, 'warning')}${problems.length > 0 ? `, ${problems.length} bad input (see stderr)` : ''} (Kuma ${options.version})\n`;
}

/** A workflow command's message, escaped as GitHub's toolkit escapes it (%, CR, LF). */
function data(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A workflow command's property value: also ':' and ','. */
function property(text: string): string {
  return data(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
