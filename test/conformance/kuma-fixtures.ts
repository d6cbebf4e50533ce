/**
 * Reads Kuma's own test cases (test/conformance/kuma/fixtures, copied from kumahq/kuma by
 * `npx projen import:kuma-conformance`): the Go test files name each case and its settings, the
 * YAML files beside them are its input and Kuma's golden output.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { KumaVersion } from '../../src';

export const FIXTURES = path.join(__dirname, 'kuma', 'fixtures');

/** Kuma's fixture lines and the library version each one stands for. */
export const LINES: { readonly line: string; readonly version: KumaVersion }[] = [
  { line: '2.14', version: KumaVersion.V2_14 },
  { line: '3.0-dev', version: KumaVersion.V3_0 },
];

/** One `Entry("name", testCase{...})` of a Go table test. */
export interface GoCase {
  readonly name: string;
  /** String fields (`pod: "01.pod.yaml"`). */
  readonly strings: Record<string, string>;
  /** Boolean fields (`inboundTagsDisabled: true`). */
  readonly booleans: Record<string, boolean>;
  /** `[]string{...}` fields. */
  readonly lists: Record<string, string[]>;
  /** Fields whose value is Go code this parser does not read (pointers, structs): their names. */
  readonly other: string[];
}

/**
 * The entries of the table `DescribeTable("<table>"...` in a Go test file of a fixture line.
 */
export function goCases(line: string, testFile: string, table: string): GoCase[] {
  const text = fs.readFileSync(path.join(FIXTURES, line, 'tests', testFile), 'utf8');
  const start = text.search(new RegExp(`Table(Subtree)?\\("${table.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  if (start < 0) throw new Error(`${line}/${testFile}: no table "${table}"`);
  const next = text.slice(start + 1).search(/Describe(Table|TableSubtree)?\(/);
  const body = next < 0 ? text.slice(start) : text.slice(start, start + 1 + next);
  const cases: GoCase[] = [];
  const entry = /Entry\("((?:[^"\\]|\\.)*)",\s*testCase\{([\s\S]*?)\n\t\t\}\),/g;
  for (const m of body.matchAll(entry)) {
    const strings: Record<string, string> = {};
    const booleans: Record<string, boolean> = {};
    const lists: Record<string, string[]> = {};
    const other: string[] = [];
    for (const f of m[2].matchAll(/^\s*(\w+):\s*(.*?),?\s*$/gm)) {
      const [, key, raw] = f;
      if (/^"(?:[^"\\]|\\.)*"$/.test(raw)) strings[key] = JSON.parse(raw);
      else if (raw === 'true' || raw === 'false') booleans[key] = raw === 'true';
      else if (raw.startsWith('[]string{')) lists[key] = [...raw.matchAll(/"([^"]*)"/g)].map((x) => x[1]);
      else if (/^`/.test(raw) || raw === '') other.push(key);
      else other.push(key);
    }
    cases.push({ name: m[1], strings, booleans, lists, other });
  }
  if (cases.length === 0) throw new Error(`${line}/${testFile}: table "${table}" has no entries this parser reads`);
  return cases;
}

/** The documents of a fixture YAML file (under controllers/testdata unless `dir` is given). */
export function fixtureYaml(line: string, file: string, dir = 'controllers/testdata'): any[] {
  const text = fs.readFileSync(path.join(FIXTURES, line, dir, file), 'utf8');
  return parseAllDocuments(text).map((d) => d.toJSON()).filter((d) => d !== null && d !== undefined);
}


/** A verdict per case: checked against Kuma, or out of scope with the reason. */
export type Verdict = { readonly checked: true } | { readonly checked: false; readonly reason: string };
