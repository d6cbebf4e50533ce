import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { lazifySubmodules } from '../build-tools/lazy-submodules';

// The post-compile step of `npx projen compile` (build-tools/lazy-submodules.ts), on what
// TypeScript emits for src/index.ts with the package's own compiler options. The step itself
// also checks the compiled lib/ (import loads no submodule; ESM named imports resolve).

const root = path.join(__dirname, '..');
const config = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile).config;
const { options } = ts.parseJsonConfigFileContent(config, ts.sys, root);
const emitted = ts.transpileModule(fs.readFileSync(path.join(root, 'src', 'index.ts'), 'utf8'), {
  compilerOptions: { ...options, module: ts.ModuleKind.CommonJS, inlineSourceMap: false, sourceMap: false },
  fileName: 'index.ts',
}).outputText;

test('TypeScript compiles the kuma submodule to an eager require, which the step makes a getter', () => {
  expect(emitted).toContain('exports.kuma = __importStar(require("./imports/kuma.io"));');
  const { js, submodules } = lazifySubmodules(emitted);
  expect(submodules).toEqual([{ name: 'kuma', request: './imports/kuma.io' }]);
  expect(js).not.toContain('exports.kuma = __importStar(require(');
  expect(js).toContain('var __lazy_kuma = { get kuma() { return __importStar(require("./imports/kuma.io")); } };\n'
    + 'Object.defineProperty(exports, "kuma", { enumerable: true, get: function () { return __lazy_kuma.kuma; } });');
  // every other line is left as TypeScript wrote it
  expect(js.split('\n').filter((l) => !l.includes('__lazy_kuma'))).toEqual(emitted.split('\n').filter((l) => !l.includes('exports.kuma = __importStar')));
});

test('Node\'s ESM importer still sees the name (cjs-module-lexer), with the re-exports', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const lexer = require('cjs-module-lexer') as { parse: (source: string) => { exports: string[]; reexports: string[] } };
  const { js } = lazifySubmodules(emitted);
  const parsed = lexer.parse(js);
  expect(parsed.exports).toContain('kuma');
  expect(parsed.reexports).toContain('./mesh-service');
  // a getter of any other shape would make the lexer drop the name
  const arrow = js.replace('get: function () { return __lazy_kuma.kuma; }', 'get: () => __lazy_kuma.kuma');
  expect(lexer.parse(arrow).exports).not.toContain('kuma');
});

test('the getter loads the module on first access and returns the same object each time', () => {
  const { js } = lazifySubmodules('var __importStar = (m) => m;\nexports.kuma = __importStar(require("./imports/kuma.io"));\n');
  const loads: string[] = [];
  const fake = { Mesh: class {} };
  const exports: any = {};
  new Function('exports', 'require', js)(exports, (request: string) => { loads.push(request); return fake; });
  expect(loads).toEqual([]);
  expect(exports.kuma).toBe(fake);
  expect(exports.kuma).toBe(fake);
  expect(Object.keys(exports)).toEqual(['kuma']);
});

test('a file without any eager submodule export is left alone', () => {
  expect(lazifySubmodules('exports.x = 1;\n')).toEqual({ js: 'exports.x = 1;\n', submodules: [] });
});
