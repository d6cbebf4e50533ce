/*
 * The layering of src/ (ARCHITECTURE.md) as the compiler sees it: eslint's import/no-cycle skips
 * type-only imports, so this test also follows `import type` and asks that no file reach itself.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const SRC = path.join(__dirname, '..', 'src');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'imports' ? [] : sources(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Each file's relative imports (type-only ones included), resolved to files. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sources(SRC)) {
    const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
    const targets: string[] = [];
    sf.forEachChild((n) => {
      if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
        const spec = n.moduleSpecifier.text;
        if (!spec.startsWith('.')) return;
        const base = path.resolve(path.dirname(file), spec);
        const target = [`${base}.ts`, path.join(base, 'index.ts')].find((c) => fs.existsSync(c));
        if (target !== undefined && !target.includes(`${path.sep}imports${path.sep}`)) targets.push(target);
      }
    });
    graph.set(file, targets);
  }
  return graph;
}

test('no import cycle in src/, type-only imports included', () => {
  const graph = importGraph();
  const cycles: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string) => {
    state.set(f, 'visiting');
    stack.push(f);
    for (const t of graph.get(f) ?? []) {
      if (state.get(t) === 'visiting') cycles.push([...stack.slice(stack.indexOf(t)), t].map((x) => path.relative(SRC, x)).join(' -> '));
      else if (state.get(t) === undefined) visit(t);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of graph.keys()) if (state.get(f) === undefined) visit(f);
  expect(cycles).toEqual([]);
});

test('nothing below analysis/ imports it, and only a handful of files sit directly in src/', () => {
  const graph = importGraph();
  const upward = [...graph].flatMap(([f, ts_]) => (f.includes(`${path.sep}analysis${path.sep}`) || path.dirname(f) === SRC ? []
    : ts_.filter((t) => t.includes(`${path.sep}analysis${path.sep}`)).map((t) => `${path.relative(SRC, f)} -> ${path.relative(SRC, t)}`)));
  expect(upward).toEqual([]);
  expect(fs.readdirSync(SRC).filter((f) => f.endsWith('.ts')).sort()).toEqual(['cli.ts', 'index.ts', 'kuma-errors.ts', 'kuma-warnings.ts']);
});
