/**
 * Post-compile step (`npx projen compile`): the package's entry point loads each of its modules
 * on first access instead of all of them at import, the way aws-cdk-lib's index does.
 *
 * TypeScript compiles `export * from './mesh-service'` to an eager
 * `__exportStar(require("./mesh-service"), exports)`, and jsii's submodule declaration
 * `export * as kuma from './imports/kuma.io'` to `exports.kuma = __importStar(require(...))`:
 * every `cdk8s synth` would load all of the library, the generated L1 module (~23,600 lines)
 * included, whether or not the app uses it. This rewrites each of those statements into getters
 * on `exports` that require the module the first time one of its names is read, so an app pays for
 * the constructs it uses (and cdk8s-plus-28 when it uses one built on it).
 *
 * The getters have the one shape Node's cjs-module-lexer accepts for an export
 * (`get: function () { return q.p; }`), so ESM apps can still `import { MeshService }` (Node then
 * reads every named export, so they load everything, as before). Which names a module exports is
 * read from the compiled module itself; a name exported twice keeps its first module, as
 * `__exportStar` did. The jsii assembly is not touched: the other languages' bindings see the
 * same API.
 *
 *   ts-node build-tools/lazy-index.ts [lib/index.js]
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';

const STAR = /^__exportStar\(require\("(\.\/[^"]+)"\), exports\);$/;
const SUBMODULE = /^exports\.(\w+) = __importStar\(require\("(\.\/[^"]+)"\)\);$/;

/** A module of the index and the names it contributes. */
export interface LazyModule {
  readonly request: string;
  /** The submodule name (`kuma`) for `export * as`, else undefined. */
  readonly submodule?: string;
  readonly names: string[];
}

/**
 * The compiled index with every eager re-export turned into lazy getters. `exportsOf` gives the
 * names a re-exported module defines (in its own order).
 */
export function lazifyIndex(js: string, exportsOf: (request: string) => string[]): { readonly js: string; readonly modules: LazyModule[] } {
  const modules: LazyModule[] = [];
  const taken = new Set<string>(['default', '__esModule']);
  const lines = js.split('\n').map((line) => {
    const star = STAR.exec(line);
    const sub = star ? null : SUBMODULE.exec(line);
    if (!star && !sub) return line;
    const id = `__lazy${modules.length}`;
    const request = star ? star[1] : sub![2];
    const names = star ? exportsOf(request).filter((n) => !taken.has(n)) : [sub![1]];
    for (const n of names) taken.add(n);
    modules.push({ request, submodule: sub ? sub[1] : undefined, names });
    const load = sub ? `__importStar(${id}m ??= require(${JSON.stringify(request)}))` : `(${id}m ??= require(${JSON.stringify(request)}))`;
    const getters = names.map((n) => sub ? `get ${n}() { return ${load}; }` : `get ${n}() { return ${load}.${n}; }`).join(', ');
    return [
      `var ${id}m, ${id} = { ${getters} };`,
      ...names.map((n) => `Object.defineProperty(exports, ${JSON.stringify(n)}, { enumerable: true, get: function () { return ${id}.${n}; } });`),
    ].join('\n');
  });
  return { js: lines.join('\n'), modules };
}

function main(): void {
  const file = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'lib', 'index.js'));
  const dir = path.dirname(file);
  const source = fs.readFileSync(file, 'utf8');
  if (/^var __lazy0m, __lazy0 = /m.test(source)) return; // already done
  const { js, modules } = lazifyIndex(source, (request) => JSON.parse(execFileSync(process.execPath, ['-e',
    `process.stdout.write(JSON.stringify(Object.keys(require(${JSON.stringify(path.join(dir, request))}))))`], { encoding: 'utf8' })));
  if (modules.length === 0) {
    throw new Error(`${file}: no "__exportStar(require(...), exports)" statement found; did TypeScript change how it compiles "export *"?`);
  }
  fs.writeFileSync(file, js);

  // Check the result as a user's app would load it: importing loads no module of the index; each
  // name gives what the module itself exports, loading only its module.
  const check = `
    const path = require('path');
    const modules = ${JSON.stringify(modules)};
    const dir = ${JSON.stringify(dir)};
    const isLoaded = (request) => require.cache[require.resolve(path.join(dir, request))] !== undefined;
    const lib = require(${JSON.stringify(file)});
    const loaded = modules.filter((m) => isLoaded(m.request)).map((m) => m.request);
    if (loaded.length > 0) throw new Error('loaded by the import: ' + loaded.join(', '));
    for (const m of modules) {
      const mod = require(path.join(dir, m.request));
      for (const n of m.names) {
        const expected = m.submodule ? mod : mod[n];
        if (lib[n] !== expected && !(m.submodule && Object.keys(lib[n]).length === Object.keys(mod).length)) throw new Error(n + ' differs from ' + m.request);
      }
    }`;
  execFileSync(process.execPath, ['-e', check], { stdio: 'inherit' });
  // and as an ESM app would: every name still imports by name
  const names = modules.flatMap((m) => m.names);
  const esm = `import * as lib from ${JSON.stringify(pathToFileURL(file).href)};\n`
    + `const missing = ${JSON.stringify(names)}.filter((n) => lib[n] === undefined);\n`
    + 'if (missing.length > 0) throw new Error("not importable by name: " + missing.join(", "));';
  execFileSync(process.execPath, ['--input-type=module', '-e', esm], { stdio: 'inherit' });
  console.log(`${path.relative(process.cwd(), file)}: ${names.length} names of ${modules.length} modules loaded on first access`);
}

if (require.main === module) main();
