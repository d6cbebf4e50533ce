/**
 * The lint command on hostile input (test/support/hostile-inputs.ts): each entry ends with the
 * pinned report and exit status, never a stack trace, and the rest of the set is still checked.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { HOSTILE } from './support/hostile-inputs';
import { runLint } from './support/run-lint';
import { tempDirs } from './support/temp-dirs';

const ROOT = path.join(__dirname, '..');
const fresh = tempDirs('hostile');

describe('lint on hostile input', () => {
  test('the catalogue has at least 30 entries with unique ids', () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(30);
    expect(new Set(HOSTILE.map((h) => h.id)).size).toBe(HOSTILE.length);
  });

  test.each(HOSTILE.map((h) => [h.id, h.what, h]))('%s %s', (_id, _what, h) => {
    const dir = fresh();
    const args = h.make(dir);
    const cwd = process.cwd();
    process.chdir(dir);
    let r;
    try {
      r = runLint('lint', ...args);
    } finally {
      process.chdir(cwd);
    }
    expect(r.stderr.split(dir).join('<dir>')).toBe(h.stderr);
    expect(r.stdout.trim().split('\n').pop()).toBe(h.summary);
    if (h.finding !== undefined) expect(r.stdout).toContain(h.finding);
    expect(r.status).toBe(h.status);
  });

  test('as a real process over every hostile input at once: one line per bad input, exit 2, no stack trace', () => {
    const dir = fresh();
    for (const h of HOSTILE) {
      const sub = path.join(dir, h.id);
      fs.mkdirSync(sub);
      h.make(sub);
    }
    const r = spawnSync(process.execPath, ['-r', 'ts-node/register', path.join(ROOT, 'src', 'cli.ts'), 'lint', dir], {
      cwd: ROOT, encoding: 'utf8', env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'test', 'tsconfig.json'), TS_NODE_TRANSPILE_ONLY: 'true' },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr.split('\n').filter((l) => l !== '').every((l) => l.startsWith('cdk8s-kuma: '))).toBe(true);
    expect(r.stdout).toMatch(/objects, \d+ errors, \d+ warnings, \d+ bad input \(see stderr\) \(Kuma 2\.14\)\n$/);
  });

  test('the README lists every entry', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    for (const h of HOSTILE) expect(readme).toContain(`| ${h.id} | ${h.what} |`);
  });
});
