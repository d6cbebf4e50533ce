import * as fs from 'fs';
import { LintFinding } from './_lint-finding';

/*
 * Adopting the lint on a repository that already has findings: `--write-baseline FILE` records
 * this run's findings, `--baseline FILE` reports only those not recorded (as detekt and PHPStan
 * baselines do). A finding is recorded by rule, object, message and the key it is about, with the
 * version that wrote it; when a new release rewords a message, rule, object and key still match it,
 * so an upgrade does not turn old findings into new ones. Rule and object alone never match: a
 * second backend of the same Ingress is a new finding, not the old one.
 */

/** The baseline file's format version. */
const FORMAT = 1;

/** One recorded finding. */
export interface BaselineEntry {
  readonly ruleId: string;
  readonly object: string;
  readonly message: string;
  /** The key of the object the finding is about, when it names one. */
  readonly key?: string;
}

/** The text of a baseline file for these findings: sorted, so that it diffs well under review. */
export function baselineText(findings: readonly LintFinding[], toolVersion: string): string {
  const entries = findings.map((f) => ({ ruleId: f.ruleId, object: f.object, message: f.message, ...f.key === undefined ? {} : { key: f.key } }))
    .sort((a, b) => compare(a.ruleId, b.ruleId) || compare(a.object, b.object) || compare(a.message, b.message));
  return JSON.stringify({ tool: 'cdk8s-kuma', format: FORMAT, version: toolVersion, findings: entries }, undefined, 2) + '\n';
}

/** A baseline file: its entries, and the cdk8s-kuma version that wrote it. */
export interface Baseline {
  readonly version?: string;
  readonly findings: BaselineEntry[];
}

/** Reads a baseline file; a file that is not one throws, with the reason. */
export function readBaseline(file: string): Baseline {
  let data: any;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e: any) {
    throw new Error(`--baseline ${file}: ${e.code === undefined ? `is not JSON (${e.message})` : `cannot be read (${e.code})`}; write one with --write-baseline ${file}`);
  }
  const ok = data?.tool === 'cdk8s-kuma' && data.format === FORMAT && Array.isArray(data.findings)
    && data.findings.every((e: any) => typeof e?.ruleId === 'string' && typeof e.object === 'string' && typeof e.message === 'string'
      && (e.key === undefined || typeof e.key === 'string'));
  if (!ok) throw new Error(`--baseline ${file}: is not a cdk8s-kuma baseline (format ${FORMAT}); write one with --write-baseline ${file}`);
  return { version: typeof data.version === 'string' ? data.version : undefined, findings: data.findings };
}

/**
 * Splits findings into those the baseline has and the new ones; `stale` counts the baseline's
 * entries no finding matched any more (fixed since). A finding matches an entry by its message;
 * by its key instead only when another cdk8s-kuma version wrote the baseline (which may word the
 * message otherwise): within one version, a new message at the same key is a new finding (a
 * route's backend pointed at another broken Service).
 */
export function againstBaseline<F extends LintFinding>(findings: readonly F[], file: Baseline, toolVersion: string): {
  known: F[]; fresh: F[]; stale: number;
} {
  const baseline = file.findings;
  const reworded = file.version !== toolVersion;
  const exact = (e: { ruleId: string; object: string; message: string }) => `${e.ruleId}\0${e.object}\0${e.message}`;
  const keyed = (e: { ruleId: string; object: string; key?: string }) => (e.key === undefined ? undefined : `${e.ruleId}\0${e.object}\0${e.key}`);
  const left = baseline.map((e) => ({ e, used: false }));
  const byExact = new Map<string, typeof left>();
  const byKey = new Map<string, typeof left>();
  for (const x of left) {
    byExact.set(exact(x.e), [...byExact.get(exact(x.e)) ?? [], x]);
    const k = keyed(x.e);
    if (k !== undefined) byKey.set(k, [...byKey.get(k) ?? [], x]);
  }
  const take = (list: typeof left | undefined) => {
    const x = list?.find((y) => !y.used);
    if (x !== undefined) x.used = true;
    return x !== undefined;
  };
  const known: F[] = [];
  const rest: F[] = [];
  // exact matches first, so that a reworded finding does not take the entry of an unchanged one
  for (const f of findings) (take(byExact.get(exact(f))) ? known : rest).push(f);
  const fresh: F[] = [];
  for (const f of rest) {
    const k = keyed(f);
    (reworded && k !== undefined && take(byKey.get(k)) ? known : fresh).push(f);
  }
  return { known, fresh, stale: left.filter((x) => !x.used).length };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
