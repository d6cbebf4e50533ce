import { rulePage, severityText } from '../_rule-docs';
import { RULES_IN_ID_ORDER } from '../rules';
import { LintIo } from './_lint';

/*
 * `cdk8s-kuma rules`: the rules at the terminal. Without an argument it lists them; with a rule id
 * (or name) it prints that rule's page, the one docs/rules/<ID>.md holds.
 */

/** The usage text. */
export const RULES_USAGE = `usage: cdk8s-kuma rules            list the rules
       cdk8s-kuma rules <RULE>     print a rule's page (what it finds, why, how to fix, examples, sources)
`;

/** The `rules` command: returns the exit status. */
export function rules(argv: string[], io: LintIo): number {
  if (argv.length === 0) {
    for (const r of RULES_IN_ID_ORDER) {
      io.stdout.write(`${r.id} ${r.name} (${severityText(r)}${r.fixable ? ', --fix' : ''})\n  ${r.summary}\n`);
    }
    io.stdout.write(`${RULES_IN_ID_ORDER.length} rules; cdk8s-kuma rules <RULE> prints one's page.\n`);
    return 0;
  }
  if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h')) {
    io.stdout.write(RULES_USAGE);
    return 0;
  }
  const wanted = argv[0];
  const rule = RULES_IN_ID_ORDER.find((r) => r.id === wanted.toUpperCase() || r.name === wanted);
  if (argv.length > 1 || rule === undefined) {
    io.stderr.write(`cdk8s-kuma: ${argv.length > 1 ? `rules takes one rule, not ${argv.length}` : `${JSON.stringify(wanted)} is not a rule id or name (cdk8s-kuma rules lists them)`}\n${RULES_USAGE}`);
    return 2;
  }
  // the page without the comment that says which file generates it (for the repository's docs/)
  io.stdout.write(rulePage(rule).replace(/^<!--[^\n]*-->\n+/gm, ''));
  return 0;
}
