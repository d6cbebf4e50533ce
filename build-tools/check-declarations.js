#!/usr/bin/env node
// The typings a TypeScript user sees (lib/**/*.d.ts, re-emitted with stripInternal after jsii,
// whose strict tsconfig keeps @internal members): no @internal member, no citation of the
// form `§ 1.2` (typings cite only public sources: files at a release tag, issues, docs URLs), and a consumer
// that imports the package type-checks against them with skipLibCheck off.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const LIB = path.join(ROOT, 'lib');
const FORBIDDEN = [/@internal/, /§\s*\d/];

const files = [];
const walk = (d) => {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (p.endsWith('.d.ts')) files.push(p);
  }
};
walk(LIB);
const problems = [];
for (const f of files) {
  fs.readFileSync(f, 'utf8').split('\n').forEach((line, i) => {
    for (const re of FORBIDDEN) if (re.test(line)) problems.push(`${path.relative(ROOT, f)}:${i + 1}: ${line.trim()}`);
  });
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-kuma-typings-'));
fs.writeFileSync(path.join(dir, 'app.ts'), [
  `import * as kuma from ${JSON.stringify(LIB)};`,
  'export const names: Array<keyof typeof kuma> = [\'MeshService\', \'DelegatedGatewayDeployment\', \'MeshValidation\', \'kuma\'];',
  '',
].join('\n'));
const tsc = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '--strict', '--skipLibCheck', 'false',
  '--module', 'node16', '--target', 'es2022', '--types', 'node', '--typeRoots', path.join(ROOT, 'node_modules', '@types'), 'app.ts'], { cwd: dir, encoding: 'utf8' });
fs.rmSync(dir, { recursive: true, force: true });
if (tsc.status !== 0) problems.push(`a consumer of lib/ does not type-check with skipLibCheck off:\n${tsc.stdout}${tsc.stderr}`);

if (problems.length > 0) {
  console.error(`typings: ${problems.length} problem(s):\n${problems.join('\n')}`);
  process.exit(1);
}
console.log(`typings: ${files.length} .d.ts files, no @internal member or § citation; a consumer type-checks against them`);
