#!/usr/bin/env node
// npm's prepack and postpack scripts: the packed package.json goes without the scripts that only
// serve this repository (prepare builds lib/ for a copy installed from git, build-tools/prepare.js,
// which is not in the package). An installed package with a prepare script makes npm 11 warn that
// it is not covered by allow-scripts, and fail with strict-allow-scripts (npm docs,
// using-npm/scripts.md "prepare": it runs for git and directory installs, not for tarballs).
//   prepack:  node build-tools/pack-manifest.js strip    (keeps the original in .package.json.unpacked)
//   postpack: node build-tools/pack-manifest.js restore  (puts it back, byte for byte)
// npm reads the manifest it runs postpack from before prepack, and packs the file on disk after it.
// A dry run (npm pack --dry-run, which the tests use) changes nothing.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const manifest = path.join(root, 'package.json');
const backup = path.join(root, '.package.json.unpacked');
const REPOSITORY_ONLY = ['prepare', 'prepack', 'postpack'];

const mode = process.argv[2];
if (mode === 'strip') {
  if (process.env.npm_config_dry_run === 'true') process.exit(0);
  if (fs.existsSync(backup)) {
    // an earlier pack stopped between prepack and postpack: its backup is the repository's manifest
    fs.copyFileSync(backup, manifest);
  }
  const text = fs.readFileSync(manifest, 'utf8');
  const pkg = JSON.parse(text);
  for (const script of REPOSITORY_ONLY) delete pkg.scripts?.[script];
  fs.writeFileSync(backup, text);
  fs.writeFileSync(manifest, JSON.stringify(pkg, undefined, 2) + '\n');
} else if (mode === 'restore') {
  if (fs.existsSync(backup)) fs.renameSync(backup, manifest);
} else {
  console.error('usage: pack-manifest.js strip|restore');
  process.exit(2);
}
