/**
 * The long property-based campaign (`npx projen fuzz`, FUZZ_RUNS apps, default 10,000): generates
 * random apps with test/support/random-app.ts and checks each like test/properties.test.ts. Prints
 * how many apps synthesized valid objects, how many were refused with the library's documented
 * error (and why, by field), and fails on anything else.
 */
import * as fc from 'fast-check';
import { appSpec, checkApp } from '../test/support/random-app';

process.env.CDK8S_KUMA_QUIET = '1'; // warnings are recorded, not printed
const runs = Number(process.env.FUZZ_RUNS ?? 10000);
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2147483647);
const counts = { ok: 0, refused: 0, okKong: 0 };
/** Per Kuma version: apps that synthesized objects valid against that version's own CRDs, and refused ones. */
const byVersion = new Map<string, { ok: number; refused: number }>();
const reasons = new Map<string, number>();
const examples = new Map<string, string>();
const started = Date.now();

fc.assert(fc.property(appSpec, (spec) => {
  const refusal = checkApp(spec);
  const v = byVersion.get(String(spec.version)) ?? { ok: 0, refused: 0 };
  byVersion.set(String(spec.version), v);
  if (refusal === undefined) v.ok++;
  else v.refused++;
  if (refusal === undefined) {
    counts.ok++;
    if (spec.adoptKong !== null) counts.okKong++;
    return;
  }
  counts.refused++;
  // "<path>: <field> <value> <problem>" -> the field; cdk8s validation -> its first rule
  const message = refusal.message;
  const m = /^[^:]*: ([^ ]+) /.exec(message.replace(/^Validation failed with the following errors:\n\s*\[[^\]]*\] /, 'x: '));
  const key = m ? m[1] : message.slice(0, 40);
  reasons.set(key, (reasons.get(key) ?? 0) + 1);
  if (!examples.has(key)) examples.set(key, message.split('\n').slice(0, 2).join(' ').slice(0, 220));
}), { numRuns: runs, seed, endOnFailure: true });

const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(`fuzz campaign: ${runs} apps (seed ${seed}) in ${seconds}s: ${counts.ok} synthesized valid objects (${counts.okKong} of them with Kong's chart adopted), ${counts.refused} refused with a documented error, 0 failures`);
console.log('by Kuma version (valid against that version\'s own CRDs / refused):');
for (const version of [...byVersion.keys()].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))) {
  const v = byVersion.get(version)!;
  console.log(`  ${version.padEnd(5)} ${String(v.ok).padStart(6)} / ${v.refused}`);
}
console.log('refusals by field:');
for (const [k, v] of [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
  console.log(`  ${String(v).padStart(6)}  ${k}`);
  if (process.env.FUZZ_EXAMPLES) console.log(`          e.g. ${examples.get(k)}`);
}
