import * as fs from 'fs';
import * as path from 'path';
import { FindingSeverity } from './finding';
import { RULES_IN_ID_ORDER } from './rules';
import { RuleDefinition } from './rules/rule';

/*
 * The rules' documentation, generated from their definitions (kube-linter generates
 * docs/generated/checks.md from its registry the same way): one page per rule (docs/rules/), the
 * index page, and the README's rule table. `npx projen docs:rules` writes them;
 * test/rule-registry.test.ts checks that the files equal what this renders.
 */

/** Where the pages live, relative to the repository root. */
export const RULE_DOCS_DIR = 'docs/rules';

/** The markers around the README's generated rule table. */
export const README_TABLE_BEGIN = '<!-- rule-table: generated from src/analysis/rules by `npx projen docs:rules`; test/rule-registry.test.ts checks it -->';
export const README_TABLE_END = '<!-- rule-table end -->';

const GENERATED = (rule: RuleDefinition) => `<!-- generated from src/analysis/rules/${fileOf(rule)}.ts by \`npx projen docs:rules\`: edit the rule, not this page -->`;

/** A rule's example: a set that triggers it, and the same set fixed. */
export interface RuleExample {
  readonly flags: string[];
  readonly bad: string;
  readonly good: string;
}

/** Where the examples live (src/analysis/rules/examples; not part of the package). */
export const EXAMPLES_DIR = path.join(__dirname, 'rules', 'examples');

/** The example sets as the compiled package carries them (build-tools/rule-examples.js), if it does. */
function packagedExamples(): Record<string, { bad: string; good: string }> | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('./rules/_examples');
  } catch {
    return undefined;
  }
}

/** The rule's example sets and flags: from the package, else from src/analysis/rules/examples. */
export function exampleOf(rule: RuleDefinition): RuleExample {
  const packaged = packagedExamples()?.[rule.id];
  if (packaged !== undefined) return { flags: rule.exampleFlags, ...packaged };
  const read = (which: string) => fs.readFileSync(path.join(EXAMPLES_DIR, `${rule.id}.${which}.yaml`), 'utf8');
  return { flags: rule.exampleFlags, bad: read('bad'), good: read('good') };
}

/** The rule's file name, without extension. */
export function fileOf(rule: RuleDefinition): string {
  return `${rule.id.toLowerCase()}-${rule.name}`;
}


/** A table cell: one line, pipes escaped. */
function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
}

/** `error`, `warning`, or both where the rule's severity varies. */
export function severityText(rule: RuleDefinition): string {
  return rule.severityNote === undefined ? rule.severity : `${rule.severity} or ${rule.severity === FindingSeverity.ERROR ? 'warning' : 'error'}`;
}

/** The README's rule table, between its markers (each id links to its page). */
export function readmeRuleTable(): string {
  return [
    '| id | name | severity | finds | fix | `--fix` |',
    '|---|---|---|---|---|---|',
    ...RULES_IN_ID_ORDER.map((r) => `| [\`${r.id}\`](${RULE_DOCS_DIR}/${r.id}.md) | \`${r.name}\` | ${severityText(r)} | ${cell(r.summary)} | ${cell(r.fix)} | ${r.fixable ? 'yes' : ''} |`),
  ].join('\n');
}

/** The ids of the rules whose fix `lint --fix` and `MeshAnalyzer({ fix: true })` apply. */
export function fixableIds(): string[] {
  return RULES_IN_ID_ORDER.filter((r) => r.fixable).map((r) => r.id);
}

/** The page of one rule. */
export function rulePage(rule: RuleDefinition): string {
  const example = exampleOf(rule);
  const flags = example.flags.join(' ');
  const lines = [
    GENERATED(rule),
    `# ${rule.id} \`${rule.name}\``,
    '',
    `**Severity:** ${severityText(rule)}.${rule.severityNote === undefined ? '' : ` ${rule.severityNote}`} `
      + `**Fixable:** ${rule.fixable ? 'yes, by `cdk8s-kuma lint --fix` and `MeshAnalyzer({ fix: true })`' : 'no'}.`,
    '',
    rule.summary,
    '',
    '## Why it matters',
    '',
    rule.rationale,
    '',
    '## What it rests on',
    '',
    rule.restsOn,
    '',
    '## How to fix',
    '',
    rule.fix,
    '',
    '## Example',
    '',
    `\`cdk8s-kuma lint ${flags} bad.yaml\` reports ${rule.id} for this set:`,
    '',
    '```yaml',
    example.bad.trimEnd(),
    '```',
    '',
    'The same set, fixed:',
    '',
    '```yaml',
    example.good.trimEnd(),
    '```',
    '',
    '## How to suppress',
    '',
    'For one object, with the reason (the finding is still reported, as suppressed):',
    '',
    `- Annotate the object the finding names (its own \`metadata.annotations\`): \`ignore.cdk8s-kuma/${rule.id}: "<reason>"\`.`,
    `- For objects you do not edit (a chart owned by another team), an exemption in \`.cdk8s-kuma.yaml\`: \`exemptions: [{ rule: ${rule.id}, kind: ..., namespace: ..., name: ..., reason: ... }]\`.`,
    '',
    'For the whole set:',
    '',
    `- The lint command: \`cdk8s-kuma lint --ignore ${rule.id} ...\`, or \`ignore: [${rule.id}]\` in \`.cdk8s-kuma.yaml\`.`,
    `- The validation plugin (\`cdk8s.yaml\`): \`ignore: [${rule.id}]\` in its properties.`,
    `- An app: \`new MeshAnalyzer(app, 'Mesh', { ignore: ['${rule.id}'] })\`.`,
    '',
    '## Sources',
    '',
    ...rule.sources.map((s) => `- ${/^https?:\/\//.test(s) ? `<${s}>` : s}`),
    '',
  ];
  return lines.join('\n');
}

/** docs/rules/README.md: the rules by id, each with its page. */
export function rulesIndexPage(): string {
  return [
    '<!-- generated from src/analysis/rules by `npx projen docs:rules`: edit the rules, not this page -->',
    '# The rules of `cdk8s-kuma lint` and `MeshAnalyzer`',
    '',
    'Findings come rule by rule in the order of the registry (`src/analysis/rules/index.ts`), each rule\'s in the order of the files.',
    '',
    readmeRuleTable().replace(new RegExp(`\\]\\(${RULE_DOCS_DIR}/`, 'g'), ']('),
    '',
  ].join('\n');
}

/** Every generated file: path relative to the repository root -> content. */
export function ruleDocFiles(): Map<string, string> {
  const files = new Map<string, string>();
  files.set(`${RULE_DOCS_DIR}/README.md`, rulesIndexPage());
  for (const r of RULES_IN_ID_ORDER) files.set(`${RULE_DOCS_DIR}/${r.id}.md`, rulePage(r));
  return files;
}

/** The README with its rule table replaced by the generated one. */
export function withRuleTable(readme: string): string {
  const begin = readme.indexOf(README_TABLE_BEGIN);
  const end = readme.indexOf(README_TABLE_END);
  if (begin < 0 || end < begin) throw new Error(`README.md: the markers ${README_TABLE_BEGIN} ... ${README_TABLE_END} are missing`);
  return readme.slice(0, begin) + README_TABLE_BEGIN + '\n' + readmeRuleTable() + '\n' + readme.slice(end);
}
