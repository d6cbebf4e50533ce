#!/usr/bin/env node
// Checks the bindings `jsii-pacmak --code-only` generated (npx projen bindings): each language's
// sources exist and carry the library's main types under that language's names, and the Python
// sources compile when a python3 is on the PATH (the Go, Java and .NET toolchains are not
// installed on CI machines; their sources are checked for presence and names only).
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = process.argv[2] ?? 'dist/bindings';

function files(dir, ext) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith(ext)) out.push(p);
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}

/** What each language must show: a file set, and strings that prove the names read as that language's. */
const EXPECTED = {
  python: { dir: 'python/src/cdk8s_kuma', ext: '.py', must: ['class DelegatedGatewayDeployment(', 'def allow_to(', 'class KumaDistribution(enum.Enum):', 'KONG_MESH = "KONG_MESH"', 'def use('] },
  go: { dir: 'go/cdk8skuma', ext: '.go', must: ['func NewDelegatedGatewayDeployment(', 'AllowTo(', 'KumaDistribution_KONG_MESH', 'func KumaControlPlane_Use('] },
  java: { dir: 'java/src/main/java/io/github/maintainers/cdk8s/kuma', ext: '.java', must: ['public class DelegatedGatewayDeployment ', 'allowTo(', 'KONG_MESH', 'public static @org.jetbrains.annotations.NotNull io.github.maintainers.cdk8s.kuma.KumaControlPlane use('] },
  dotnet: { dir: 'dotnet/Cdk8sKuma', ext: '.cs', must: ['class DelegatedGatewayDeployment ', 'AllowTo(', 'KONG_MESH', 'KumaControlPlane Use('] },
};

let failed = false;
for (const [language, want] of Object.entries(EXPECTED)) {
  const list = files(path.join(root, want.dir), want.ext);
  const text = list.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
  const missing = want.must.filter((m) => !text.includes(m));
  if (list.length === 0 || missing.length > 0) {
    failed = true;
    console.error(`bindings: ${language}: ${list.length === 0 ? `no ${want.ext} files under ${path.join(root, want.dir)}` : `missing ${missing.map((m) => JSON.stringify(m)).join(', ')}`}`);
  } else {
    console.log(`bindings: ${language}: ${list.length} files`);
  }
}

const python = spawnSync('python3', ['--version'], { encoding: 'utf8' });
if (python.status === 0) {
  const py = files(path.join(root, EXPECTED.python.dir), '.py');
  const r = spawnSync('python3', ['-m', 'py_compile', ...py], { encoding: 'utf8' });
  if (r.status !== 0) {
    failed = true;
    console.error(`bindings: python: py_compile failed:\n${r.stderr}`);
  } else {
    console.log(`bindings: python: ${py.length} files compile with ${python.stdout.trim()}`);
  }
} else {
  console.log('bindings: python: no python3 on the PATH, sources not compiled');
}
process.exit(failed ? 1 : 0);
