import * as path from 'path';
import { FindingSeverity, MeshFinding } from '../finding';
import { RULE_DOCS_URI, RuleDefinition } from '../rules/rule';

/*
 * The lint command's SARIF 2.1.0 log (OASIS SARIF 2.1.0; the subset GitHub code scanning reads:
 * https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning):
 * one reportingDescriptor per rule id with its description, help and default level; one result
 * per finding with the file and the line of its document, so that code scanning annotates the
 * YAML; bad input as tool execution notifications. Checked against the SARIF 2.1.0 schema in
 * test/lint-sarif.test.ts.
 */

/** What the log is built from. */
export interface SarifInput {
  readonly toolVersion: string;
  readonly kumaVersion: string;
  /** The rules, by id (the registry's definitions). */
  readonly rules: readonly RuleDefinition[];
  readonly findings: MeshFinding[];
  /** The 1-based line of a finding's document in its file, when known. */
  readonly lineOf: (source: string | undefined) => number | undefined;
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
    const file = (f.source ?? '').replace(/#\d+$/, '');
    const line = input.lineOf(f.source);
    return {
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId),
      level: level(f.severity),
      message: { text: `${f.object}: ${f.message}. Fix: ${f.fix}` },
      locations: file === '' ? [] : [{
        physicalLocation: { artifactLocation: artifact(file, input.root), ...line === undefined ? {} : { region: { startLine: line } } },
        logicalLocations: [{ name: f.object, kind: 'object' }],
      }],
      // the same object and rule give the same fingerprint from run to run (code scanning tracks alerts by it)
      partialFingerprints: { 'cdk8sKumaObject/v1': `${f.ruleId}:${f.object}` },
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
