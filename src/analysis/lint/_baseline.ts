import * as fs from 'fs';
import { MeshFinding } from '../finding';

/*
 * Adopting the lint on a repository that already has findings: `--write-baseline FILE` records
 * this run's findings, `--baseline FILE` reports only those not recorded (as detekt and PHPStan
 * baselines do). A finding is recorded by rule, object and message; when a new release rewords a
 * message, the rule and object still match it, so an upgrade does not turn old findings into new ones.
 */

/** The baseline file's format version. */
const FORMAT = 1;

/** One recorded finding. */
export interface BaselineEntry {
  readonly ruleId: string;
  readonly object: string;
  readonly message: string;
}

/** The text of a baseline file for these findings: sorted, so that it diffs well under review. */
export function baselineText(findings: readonly MeshFinding[]): string {
  const entries = findings.map((f) => ({ ruleId: f.ruleId, object: f.object, message: f.message }))
    .sort((a, b) => compare(a.ruleId, b.ruleId) || compare(a.object, b.object) || compare(a.message, b.message));
  return JSON.stringify({ tool: 'cdk8s-kuma', format: FORMAT, findings: entries }, undefined, 2) + '\n';
}

/** Reads a baseline file; a file that is not one throws, with the reason. */
export function readBaseline(file: string): BaselineEntry[] {
  let data: any;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e: any) {
    throw new Error(`--baseline ${file}: ${e.code === undefined ? `is not JSON (${e.message})` : `cannot be read (${e.code})`}; write one with --write-baseline ${file}`);
  }
  const ok = data?.tool === 'cdk8s-kuma' && data.format === FORMAT && Array.isArray(data.findings)
    && data.findings.every((e: any) => typeof e?.ruleId === 'string' && typeof e.object === 'string' && typeof e.message === 'string');
  if (!ok) throw new Error(`--baseline ${file}: is not a cdk8s-kuma baseline (format ${FORMAT}); write one with --write-baseline ${file}`);
  return data.findings;
}

/**
 * Splits findings into those the baseline has and the new ones; `stale` counts the baseline's
 * entries no finding matched any more (fixed since).
 */
export function againstBaseline<F extends MeshFinding>(findings: readonly F[], baseline: readonly BaselineEntry[]):
{ known: F[]; fresh: F[]; stale: number } {
  const exact = new Map<string, number>();
  const loose = new Map<string, number>();
  for (const e of baseline) {
    bump(exact, `${e.ruleId}\0${e.object}\0${e.message}`, 1);
    bump(loose, `${e.ruleId}\0${e.object}`, 1);
  }
  const known: F[] = [];
  const rest: F[] = [];
  // exact matches first, so that a reworded finding does not take the entry of an unchanged one
  for (const f of findings) {
    const key = `${f.ruleId}\0${f.object}\0${f.message}`;
    if ((exact.get(key) ?? 0) > 0) {
      bump(exact, key, -1);
      bump(loose, `${f.ruleId}\0${f.object}`, -1);
      known.push(f);
    } else {
      rest.push(f);
    }
  }
  const fresh: F[] = [];
  for (const f of rest) {
    const key = `${f.ruleId}\0${f.object}`;
    if ((loose.get(key) ?? 0) > 0) {
      bump(loose, key, -1);
      known.push(f);
    } else {
      fresh.push(f);
    }
  }
  let stale = 0;
  for (const n of loose.values()) stale += n;
  return { known, fresh, stale };
}

function bump(m: Map<string, number>, key: string, by: number): void {
  m.set(key, (m.get(key) ?? 0) + by);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
