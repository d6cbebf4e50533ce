import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { lazifyIndex } from '../build-tools/lazy-index';
import * as lib from '../src';

// The post-compile step of `npx projen compile` (build-tools/lazy-index.ts), on what TypeScript
// emits for src/index.ts with the package's own compiler options. The step itself also checks
// the compiled lib/ (the import loads no module of the index; ESM named imports resolve).

const root = path.join(__dirname, '..');
const config = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile).config;
const { options } = ts.parseJsonConfigFileContent(config, ts.sys, root);
const emitted = ts.transpileModule(fs.readFileSync(path.join(root, 'src', 'index.ts'), 'utf8'), {
  compilerOptions: { ...options, module: ts.ModuleKind.CommonJS, inlineSourceMap: false, sourceMap: false },
  fileName: 'index.ts',
}).outputText;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const exportsOf = (request: string) => Object.keys(require(path.join(root, 'src', request)));
const { js, modules } = lazifyIndex(emitted, exportsOf);

test('every eager re-export of the compiled index becomes getters', () => {
  expect(emitted).toContain('exports.kuma = __importStar(require("./imports/kuma.io"));');
  expect(emitted).toContain('__exportStar(require("./mesh/mesh-service"), exports);');
  expect(js).not.toMatch(/__exportStar\(require\(|exports\.kuma = __importStar\(require\(/);
  const kuma = modules.find((m) => m.submodule === 'kuma')!;
  expect(kuma).toEqual({ request: './imports/kuma.io', submodule: 'kuma', names: ['kuma'] });
  const meshService = modules.find((m) => m.request === './mesh/mesh-service')!;
  expect(meshService.names).toEqual(['MeshService']);
  const line = js.split('\n').find((l) => l.startsWith('Object.defineProperty(exports, "MeshService"'));
  expect(line).toMatch(/^Object\.defineProperty\(exports, "MeshService", \{ enumerable: true, get: function \(\) \{ return __lazy\d+\.MeshService; \} \}\);$/);
});

test('the lazy index exports exactly the names the package exports', () => {
  const names = modules.flatMap((m) => m.names).sort();
  expect(names).toEqual(Object.keys(lib).sort());
  expect(new Set(names).size).toBe(names.length);
});

test('Node\'s ESM importer still sees every name (cjs-module-lexer)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const lexer = require('cjs-module-lexer') as { parse: (source: string) => { exports: string[]; reexports: string[] } };
  const parsed = lexer.parse(js);
  expect(parsed.reexports).toEqual([]);
  expect(parsed.exports.filter((n) => n !== '__esModule').sort()).toEqual(Object.keys(lib).sort());
  // a getter of any other shape would make the lexer drop the name
  expect(lexer.parse(js.replace(/get: function \(\) \{ return (__lazy\d+\.\w+); \}/g, 'get: () => $1')).exports).not.toContain('MeshService');
});

test('importing loads nothing; a name loads its module once, on first access', () => {
  const loads: string[] = [];
  const fakeModules: Record<string, any> = {};
  const exports: any = {};
  new Function('exports', 'require', js)(exports, (request: string) => {
    loads.push(request);
    const names = modules.find((m) => m.request === request)!.names;
    return (fakeModules[request] ??= { __esModule: true, ...Object.fromEntries(names.map((n) => [n, { from: request, n }])) });
  });
  expect(loads).toEqual([]);
  expect(exports.MeshService).toEqual({ from: './mesh/mesh-service', n: 'MeshService' });
  expect(exports.MeshService).toBe(exports.MeshService);
  expect(loads).toEqual(['./mesh/mesh-service']);
  expect(exports.kuma).toBe(fakeModules['./imports/kuma.io']);
  expect(loads).toEqual(['./mesh/mesh-service', './imports/kuma.io']);
});

test('a name exported by two modules keeps the first, as __exportStar did', () => {
  const twice = 'var __exportStar = 0;\n__exportStar(require("./a"), exports);\n__exportStar(require("./b"), exports);\n';
  const result = lazifyIndex(twice, (r) => (r === './a' ? ['X', 'Y'] : ['Y', 'Z']));
  expect(result.modules.map((m) => m.names)).toEqual([['X', 'Y'], ['Z']]);
});

test('a file without re-exports is left alone', () => {
  expect(lazifyIndex('exports.x = 1;\n', () => [])).toEqual({ js: 'exports.x = 1;\n', modules: [] });
});
