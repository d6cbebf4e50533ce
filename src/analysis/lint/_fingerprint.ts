import { LintFinding } from './_lint-finding';

/** A finding's identity from run to run: its rule, object and key (its message when it names no key). */
export function fingerprintOf(f: LintFinding): string {
  return `${f.ruleId}\0${f.object}\0${f.key ?? f.message}`;
}
