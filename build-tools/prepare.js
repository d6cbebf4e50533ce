#!/usr/bin/env node
// npm's `prepare` script. lib/ is built, not committed, so a copy of this repository installed from
// git has no `cdk8s-kuma` command until it is compiled. pre-commit installs a `language: node` hook
// repository exactly that way: since 4.6.1 with `npm install -g git+file://<clone>`, where npm
// clones it, installs its dependencies and runs `prepare` before packing (pre-commit/pre-commit
// pre_commit/languages/node.py, PR #3719; npm docs using-npm/scripts.md "prepare"), and before
// 4.6.1 with `npm install` then `npm pack` in the clone.
// Builds lib/ only when it is missing, so an `npm ci` in a compiled working copy costs nothing.
// Under `npm install -g`, npm (11.x) runs the clone's own install with npm_config_global inherited,
// so the build tools may be missing here: they are installed first, locally.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
if (fs.existsSync(path.join(root, 'lib', 'cli.js'))) process.exit(0);
// .ci/run compiles right after installing: it skips this one
if (process.env.CDK8S_KUMA_SKIP_PREPARE === '1') process.exit(0);

const env = { ...process.env };
for (const k of Object.keys(env)) if (/^npm_config_global$/i.test(k)) delete env[k];
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env, shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
const projen = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'projen.cmd' : 'projen');
console.error('cdk8s-kuma: lib/ is missing; compiling it (projen compile) for the cdk8s-kuma command');
if (!fs.existsSync(projen)) {
  // --ignore-scripts: this script is itself running inside an npm install
  run('npm', ['install', '--global=false', '--include=dev', '--no-save', '--no-audit', '--no-fund', '--ignore-scripts']);
}
run(projen, ['compile']);
