/**
 * The README's conformance table is what the suites count: cases per Kuma fixture line, how many
 * are checked and agree with Kuma, and the out-of-scope reasons.
 */
import * as fs from 'fs';
import * as path from 'path';
import { conformanceRows } from './suites';

test('the README\'s conformance table matches the suites', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const marker = '<!-- conformance-table: generated from test/conformance/suites.ts; conformance-table.test.ts checks it -->\n';
  const start = readme.indexOf(marker);
  expect(start).toBeGreaterThan(0);
  const rows = conformanceRows();
  expect(readme.slice(start + marker.length).split('\n').slice(0, rows.length)).toEqual(rows);
});

test('every checked case agrees with Kuma', () => {
  for (const row of conformanceRows()) {
    const counts = row.split(' | ')[3];
    const [checked, agree] = counts.split(', ');
    expect(agree).toBe(checked);
  }
});
