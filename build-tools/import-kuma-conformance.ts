/**
 * Copies what the conformance checks need from Kuma's own repository snapshot (../shared/kuma,
 * override with KUMA_DIR) into the project, so that the tests pass on a fresh clone without it.
 *
 * Output (committed, never edited by hand; CI regenerates it and fails on a diff):
 *   - src/imports/kuma-catalogue.ts                per version: Kuma's annotation catalogue (every key
 *                                                  constant of annotations.go, crds/<v>/annotations.go.txt)
 *                                                  and the kinds its CRDs serve; read by the constructs
 *                                                  and the analysis (src/kuma/_kuma-capabilities.ts)
 *   - test/conformance/kuma/crds.json              every CRD's structural schema per version
 *                                                  (descriptions dropped, identical schemas stored once)
 *   - test/conformance/kuma/fixtures/<line>/...    Kuma's pod converter, MeshService controller and
 *                                                  injector test data, byte for byte, with the Go
 *                                                  test files that name each case
 *   - test/conformance/kuma/NOTICE                 attribution (Apache-2.0) and the refs copied
 *
 * Run with `npx projen import:kuma-conformance`. Reads local files only.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

const ROOT = path.resolve(__dirname, '..');
const KUMA_DIR = path.resolve(ROOT, process.env.KUMA_DIR ?? '../shared/kuma');
const OUT = path.join(ROOT, 'test', 'conformance', 'kuma');

/** The library's versions and the folder of ../shared/kuma/crds that holds each one's CRDs. */
const VERSIONS: Record<string, string> = {
  '2.6': '2.6',
  '2.7': '2.7',
  '2.8': '2.8',
  '2.9': '2.9',
  '2.10': '2.10',
  '2.11': '2.11',
  '2.12': '2.12',
  '2.13': '2.13',
  '2.14': '2.14',
  '3.0': '3.0-dev',
};

/** Fixture lines copied: Kuma's latest release and the 3.0 development line. */
const FIXTURE_LINES = ['2.14', '3.0-dev'];

function stripDescriptions(schema: any): any {
  if (Array.isArray(schema)) return schema.map(stripDescriptions);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: any = {};
  for (const key of Object.keys(schema).sort()) {
    if (key === 'description') continue;
    // Inside `properties` every key is a field name, never a keyword.
    out[key] = key === 'properties'
      ? Object.fromEntries(Object.keys(schema.properties).sort().map((k) => [k, stripDescriptions(schema.properties[k])]))
      : stripDescriptions(schema[key]);
  }
  return out;
}

function crdSchemas(): any {
  const versions: Record<string, Record<string, any>> = {};
  const schemas: Record<string, any> = {};
  for (const [version, folder] of Object.entries(VERSIONS)) {
    const dir = path.join(KUMA_DIR, 'crds', folder);
    const kinds: Record<string, any> = {};
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
      for (const doc of parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8'))) {
        const crd = doc.toJSON();
        if (crd?.kind !== 'CustomResourceDefinition') continue;
        for (const v of crd.spec.versions) {
          if (v.served === false) continue;
          const schema = stripDescriptions(v.schema.openAPIV3Schema);
          const text = JSON.stringify(schema);
          const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
          schemas[hash] = schema;
          kinds[`${crd.spec.group}/${v.name}/${crd.spec.names.kind}`] = { scope: crd.spec.scope, schema: hash, file };
        }
      }
    }
    versions[version] = kinds;
  }
  const sortedSchemas = Object.fromEntries(Object.keys(schemas).sort().map((k) => [k, schemas[k]]));
  return { source: 'kumahq/kuma deployments/charts/kuma/crds (see NOTICE)', folders: VERSIONS, versions, schemas: sortedSchemas };
}

/**
 * The annotation and label keys of annotations.go: every string constant that looks like a
 * Kubernetes key (`prefix/name`). Regex-built keys (prometheus aggregates) are not constants.
 */
function annotationCatalogue(): any {
  const out: Record<string, string[]> = {};
  for (const [version, folder] of Object.entries(VERSIONS)) {
    const text = fs.readFileSync(path.join(KUMA_DIR, 'crds', folder, 'annotations.go.txt'), 'utf8');
    const keys = new Set<string>();
    for (const m of text.matchAll(/^\s*\w+\s*=\s*"([a-z0-9.-]+\/[A-Za-z0-9._-]+)"/gm)) keys.add(m[1]);
    out[version] = [...keys].sort();
  }
  return out;
}

/** Files of a fixture line that the conformance suite reads. */
function fixtureFiles(line: string): string[] {
  const base = path.join(KUMA_DIR, 'fixtures', line);
  const files: string[] = [];
  const add = (rel: string, filter: (f: string) => boolean) => {
    const dir = path.join(base, rel);
    if (!fs.existsSync(dir)) return;
    for (const f of fs.readdirSync(dir).sort()) {
      if (fs.statSync(path.join(dir, f)).isFile() && filter(f)) files.push(path.join(rel, f));
    }
  };
  add('tests', (f) => f.endsWith('.go.txt'));
  add('controllers/testdata', (f) => f.endsWith('.yaml'));
  add('controllers/testdata/meshservice', (f) => f.endsWith('.yaml'));
  add('controllers/testdata/serviceless', (f) => f.endsWith('.yaml'));
  // Injector: the inputs, the config files, and the goldens of gateway pods.
  add('webhooks/injector/testdata', (f) => /\.input\.yaml$/.test(f) || /^inject\.config.*\.yaml$/.test(f)
    || /^inject\.(06|41)\.golden\.yaml$/.test(f));
  return files;
}

function writeIfChanged(file: string, content: string | Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (fs.existsSync(file) && Buffer.compare(fs.readFileSync(file), Buffer.from(content)) === 0) return;
  fs.writeFileSync(file, content);
}

function main(): void {
  if (!fs.existsSync(KUMA_DIR)) {
    throw new Error(`${KUMA_DIR} does not exist; set KUMA_DIR to a folder laid out like ../shared/kuma (SOURCE.md there)`);
  }
  const crds = crdSchemas();
  const served = Object.fromEntries(Object.entries(crds.versions as Record<string, Record<string, unknown>>)
    .map(([v, kinds]) => [v, Object.keys(kinds).filter((k) => k.startsWith('kuma.io/v1alpha1/')).map((k) => k.split('/')[2]).sort()]));
  // Kuma's new-style policies: namespaced kinds with a top-level spec.targetRef (the plugins under
  // pkg/plugins/policies; ResourceDescriptor.IsPolicy). Before 2.9 Kuma's webhook refuses them
  // outside the system namespace ("policy can only be created in the system namespace:").
  const policies = Object.fromEntries(Object.entries(crds.versions as Record<string, Record<string, any>>)
    .map(([v, kinds]) => [v, Object.entries(kinds)
      .filter(([k, d]) => k.startsWith('kuma.io/v1alpha1/') && d.scope === 'Namespaced'
        && crds.schemas[d.schema]?.properties?.spec?.properties?.targetRef !== undefined)
      .map(([k]) => k.split('/')[2]).sort()]));
  const quote = (x: unknown) => JSON.stringify(x, null, 2).replace(/"/g, '\'');
  writeIfChanged(path.join(ROOT, 'src', 'imports', 'kuma-catalogue.ts'), [
    '// Generated by `npx projen import:kuma-conformance` from kumahq/kuma (Apache-2.0; refs in',
    '// test/conformance/kuma/NOTICE), per library version (3.0: the 3.0 development line). Do not edit.',
    '',
    '/** The annotation and label keys of pkg/plugins/runtime/k8s/metadata/annotations.go. */',
    `export const KUMA_ANNOTATION_CATALOGUE: Record<string, readonly string[]> = ${quote(annotationCatalogue())};`,
    '',
    '/** The kuma.io/v1alpha1 kinds of deployments/charts/kuma/crds. */',
    `export const KUMA_SERVED_KINDS: Record<string, readonly string[]> = ${quote(served)};`,
    '',
    '/** The kinds among them that are policies: namespaced, with a top-level spec.targetRef. */',
    `export const KUMA_POLICY_KINDS: Record<string, readonly string[]> = ${quote(policies)};`,
    '',
  ].join('\n'));
  writeIfChanged(path.join(OUT, 'crds.json'), JSON.stringify(crds) + '\n');

  const fixturesOut = path.join(OUT, 'fixtures');
  fs.rmSync(fixturesOut, { recursive: true, force: true });
  let count = 0;
  for (const line of FIXTURE_LINES) {
    for (const rel of fixtureFiles(line)) {
      writeIfChanged(path.join(fixturesOut, line, rel), fs.readFileSync(path.join(KUMA_DIR, 'fixtures', line, rel)));
      count++;
    }
  }
  const refs = fs.readFileSync(path.join(KUMA_DIR, '.refs.md'), 'utf8');
  writeIfChanged(path.join(OUT, 'NOTICE'), [
    'The files in this folder (crds.json, fixtures/) and src/imports/kuma-catalogue.ts are copied or',
    'derived from Kuma, https://github.com/kumahq/kuma, Copyright the Kuma authors, licensed under the',
    'Apache License, Version 2.0 (http://www.apache.org/licenses/LICENSE-2.0).',
    '',
    'crds.json: deployments/charts/kuma/crds/*.yaml (schemas only, descriptions removed).',
    'kuma-catalogue.ts: the key constants of pkg/plugins/runtime/k8s/metadata/annotations.go, and the kinds of the CRDs.',
    'fixtures/<line>/controllers/testdata: pkg/plugins/runtime/k8s/controllers/testdata (unchanged).',
    'fixtures/<line>/webhooks/injector/testdata: pkg/plugins/runtime/k8s/webhooks/injector/testdata (unchanged).',
    'fixtures/<line>/tests/*.go.txt: the Go test files that run those cases (unchanged).',
    'Version 3.0 is the 3.0 development line (master); fixtures/2.14 is v2.14.3.',
    '',
    'Refs:',
    '',
    refs.trim(),
    '',
    'Regenerate with `npx projen import:kuma-conformance` (KUMA_DIR, default ../shared/kuma).',
    '',
  ].join('\n'));
  console.log(`kuma conformance data: ${Object.keys(VERSIONS).length} CRD sets, ${count} fixture files -> ${path.relative(ROOT, OUT)}`);
}

main();
