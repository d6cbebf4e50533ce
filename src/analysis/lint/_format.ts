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
  const errors = findings.filter((f) => f.severity === FindingSeverity.ERROR).length;
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
  text += `${count(report.objects, 'object')}, ${count(errors, 'error')}, ${count(findings.length - errors, 'warning')}${problems.length > 0 ? `, ${problems.length} bad input (see stderr)` : ''} (Kuma ${options.version})\n`;
  return text;
}
