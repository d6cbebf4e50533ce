import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

// What the npm tarball ships: lib/ (with the lint command and its source maps), the docs, the licence, the jsii
// assembly and the bundled yaml parser; never the project's CI, tests, sources or build tools.
// `npm pack --dry-run` reads .npmignore (generated from .projenrc.ts); lib/ exists only after a
// compile, so the test checks what is allowed and what must be there without it.

const ROOT = path.join(__dirname, '..');

test('npm pack ships lib/, README, API docs, LICENSE, .jsii, its translations and the bundled yaml and @viz-js/viz (graph --format svg) only', () => {
  const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, npm_config_loglevel: 'silent' } });
  expect(r.status).toBe(0);
  const files: string[] = JSON.parse(r.stdout)[0].files.map((f: { path: string }) => f.path).sort();
  const top = [...new Set(files.map((f) => f.includes('/') ? f.split('/')[0] + '/' : f))].sort();
  // .jsii and lib/ are written by the compile, .jsii.tabl.json (the snippets' translations, for the
  // other languages' packages) by npx projen rosetta; a fresh clone runs the tests before both
  const compiled = ['.jsii', '.jsii.tabl.json'].filter((f) => fs.existsSync(path.join(ROOT, f)));
  expect(top.filter((t) => t !== 'lib/' && t !== 'node_modules/')).toEqual([...compiled, 'API.md', 'LICENSE', 'README.md', 'kuma.md', 'package.json']);
  expect([...new Set(files.filter((f) => f.startsWith('node_modules/')).map((f) => f.split('/')[1]))]).toEqual(['@viz-js', 'yaml']);
  expect(files.filter((f) => f.startsWith('lib/') && !/\.(js|js\.map|d\.ts)$/.test(f))).toEqual([]);
});
