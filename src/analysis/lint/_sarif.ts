import * as path from 'path';
import { fingerprintOf } from './_fingerprint';
import { LintFinding } from './_lint-finding';
import { FindingSeverity } from '../finding';
import { RULE_DOCS_URI, RuleDefinition } from '../rules/rule';

/*
 * The lint command's SARIF 2.1.0 log (OASIS SARIF 2.1.0; the subset GitHub code scanning reads:
 * https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning):
 * one reportingDescriptor per rule id with its description, help and default level; one result
 * per finding with the file, line and column of the key it is about, so that code scanning
 * annotates the YAML; suppressed findings with their `suppressions` (code scanning closes them);
 * bad input as tool execution notifications. Checked against the SARIF 2.1.0 schema in
 * test/lint-sarif.test.ts.
 */

/** What the log is built from. */
export interface SarifInput {
  readonly toolVersion: string;
  readonly kumaVersion: string;
  /** The rules, by id (the registry's definitions). */
  readonly rules: readonly RuleDefinition[];
  /** The findings, placed; suppressed ones are results with `suppressions`. */
  readonly findings: LintFinding[];
  readonly badInput: string[];
  /** The directory relative URIs are resolved against (the working directory). */
  readonly root: string;
}

const level = (s: FindingSeverity) => (s === FindingSeverity.ERROR ? 'error' : 'warning');

/** A file path as a SARIF artifact URI: relative to the root with forward slashes, else a file: URI. */
function artifact(file: string, root: string): { uri: string; uriBaseId?: string } {
  const abs = path.resolve(root, file);
  const rel = path.relative(root, abs);
  if (!rel.startsWith('..') && !path.isAbsolute(rel)) return { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
  return { uri: 'file://' + abs.split(path.sep).map(encodeURIComponent).join('/') };
}

/** The SARIF log of one lint run. */
export function sarifLog(input: SarifInput): unknown {
  const index = new Map(input.rules.map((r, i) => [r.id, i]));
  const results = input.findings.map((f) => {
    const file = f.file ?? '';
    return {
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId),
      level: level(f.severity),
      message: { text: `${f.object}: ${f.message}. Fix: ${f.fix}` },
      locations: file === '' ? [] : [{
        physicalLocation: {
          artifactLocation: artifact(file, input.root),
          ...f.line === undefined ? {} : { region: { startLine: f.line, startColumn: f.column } },
        },
        logicalLocations: [{ name: f.object, kind: 'object' }],
      }],
      // the same object and rule give the same fingerprint from run to run (code scanning tracks alerts by it)
      partialFingerprints: { 'cdk8sKumaObject/v2': fingerprintOf(f).replace(/\0/g, ':') },
      // an annotation on the object is a suppression in the source; an exemption of the config is external
      ...f.suppressed === undefined ? {} : {
        suppressions: [{ kind: f.suppressed.kind === 'annotation' ? 'inSource' : 'external', status: 'accepted', justification: f.suppressed.reason }],
      },
    };
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'cdk8s-kuma',
          version: input.toolVersion,
          informationUri: 'https://github.com/maintainers/cdk8s-kuma',
          rules: input.rules.map((r) => ({
            id: r.id,
            name: r.name,
            shortDescription: { text: r.name },
            fullDescription: { text: r.summary },
            defaultConfiguration: { level: level(r.severity) },
            help: {
              text: `${r.rationale} Fix: ${r.fix}`,
              markdown: `${r.rationale}\n\n**Fix:** ${r.fix}\n\n[${r.id} ${r.name}](${RULE_DOCS_URI}/${r.id}.md)`,
            },
            helpUri: `${RULE_DOCS_URI}/${r.id}.md`,
            properties: { fixable: r.fixable },
          })),
        },
      },
      originalUriBaseIds: { '%SRCROOT%': { uri: 'file://' + path.resolve(input.root).split(path.sep).map(encodeURIComponent).join('/') + '/' } },
      invocations: [{
        executionSuccessful: input.badInput.length === 0,
        toolExecutionNotifications: input.badInput.map((p) => ({ level: 'error', message: { text: p } })),
      }],
      properties: { kumaVersion: input.kumaVersion },
      results,
    }],
  };
}
