/*
 * Writes the rules' documentation from their definitions (src/analysis/rules): docs/rules/<ID>.md,
 * docs/rules/README.md and the rule table of README.md. `npx projen docs:rules`; the test
 * test/rule-registry.test.ts fails when a file differs from what this writes.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ruleDocFiles, RULE_DOCS_DIR, withRuleTable } from '../src/analysis/_rule-docs';

const ROOT = path.join(__dirname, '..');
const files = ruleDocFiles();
fs.mkdirSync(path.join(ROOT, RULE_DOCS_DIR), { recursive: true });
for (const old of fs.readdirSync(path.join(ROOT, RULE_DOCS_DIR))) {
  if (!files.has(`${RULE_DOCS_DIR}/${old}`)) fs.unlinkSync(path.join(ROOT, RULE_DOCS_DIR, old));
}
for (const [file, text] of files) fs.writeFileSync(path.join(ROOT, file), text);
const readme = path.join(ROOT, 'README.md');
fs.writeFileSync(readme, withRuleTable(fs.readFileSync(readme, 'utf8')));
console.log(`wrote ${files.size} pages under ${RULE_DOCS_DIR} and the README's rule table`);
