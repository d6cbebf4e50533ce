/**
 * Post-compile step (`npx projen compile`): makes the package's jsii submodules load on first
 * access instead of when the package is imported.
 *
 * jsii declares a submodule with `export * as kuma from './imports/kuma.io'`, which TypeScript
 * compiles to an eager `exports.kuma = __importStar(require("./imports/kuma.io"))`: every
 * `cdk8s synth` would load the generated L1 module (~23,600 lines) whether or not the app uses
 * `kuma.*`. This rewrites that one statement into a getter on `exports` (the AWS CDK does the same
 * for aws-cdk-lib's submodules), in the form Node's cjs-module-lexer recognises, so that ESM apps
 * can still `import { kuma }` (they load it at import: Node reads every named export then).
 * The jsii assembly is not touched, so the other languages' bindings see the same API.
 *
 *   ts-node build-tools/lazy-submodules.ts [lib/index.js]
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';

const EAGER = /^exports\.(\w+) = __importStar\(require\("(\.\/[^"]+)"\)\);$/gm;

/** The compiled index with every eager submodule export turned into a lazy getter. */
export function lazifySubmodules(js: string): { readonly js: string; readonly submodules: { name: string; request: string }[] } {
  const submodules: { name: string; request: string }[] = [];
  const out = js.replace(EAGER, (_line, name: string, request: string) => {
    submodules.push({ name, request });
    // the getter has the one shape cjs-module-lexer accepts for an export (`return q.p`); any
    // other shape would make it drop the name, and `import { kuma } from 'cdk8s-kuma'` would fail
    const holder = `__lazy_${name}`;
    return `var ${holder} = { get ${name}() { return __importStar(require(${JSON.stringify(request)})); } };\n`
      + `Object.defineProperty(exports, ${JSON.stringify(name)}, { enumerable: true, get: function () { return ${holder}.${name}; } });`;
  });
  return { js: out, submodules };
}

function main(): void {
  const file = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'lib', 'index.js'));
  const { js, submodules } = lazifySubmodules(fs.readFileSync(file, 'utf8'));
  if (submodules.length === 0) {
    if (/^var __lazy_\w+ = \{ get /m.test(js)) return; // already done
    throw new Error(`${file}: no "exports.<name> = __importStar(require(...))" statement found; did TypeScript change how it compiles "export * as"?`);
  }
  fs.writeFileSync(file, js);
  // Check the result as a user's app would load it: no submodule loaded by the import, each one
  // there on first access.
  const check = `
    const path = require('path');
    const dir = ${JSON.stringify(path.dirname(file))};
    const lib = require(${JSON.stringify(file)});
    const isLoaded = (request) => require.cache[require.resolve(path.join(dir, request))] !== undefined;
    for (const { name, request } of ${JSON.stringify(submodules)}) {
      if (isLoaded(request)) throw new Error(request + ' was loaded by the import');
      if (Object.keys(lib[name]).length === 0) throw new Error(name + ' is empty');
      if (!isLoaded(request)) throw new Error(request + ' was not loaded on access');
    }`;
  execFileSync(process.execPath, ['-e', check], { stdio: 'inherit' });
  // and as an ESM app would: named imports of the submodules still resolve
  const esm = `import { ${submodules.map((s) => s.name).join(', ')} } from ${JSON.stringify(pathToFileURL(file).href)};\n`
    + submodules.map((s) => `if (typeof ${s.name} !== 'object') throw new Error('${s.name} is not importable by name');`).join('\n');
  execFileSync(process.execPath, ['--input-type=module', '-e', esm], { stdio: 'inherit' });
  console.log(`${path.relative(process.cwd(), file)}: ${submodules.map((s) => s.name).join(', ')} loaded on first access`);
}

if (require.main === module) main();
