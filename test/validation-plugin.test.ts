import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { KumaErrors, KumaVersion, MeshNamespace, MeshValidation } from '../src';
import { synthWithPlugin } from './support/plugin-app';

// `cdk8s synth` with MeshValidation as a validation plugin (cdk8s.yaml validations:), run by the
// real cdk8s-cli. The plugin file loads this library's source with ts-node, so the test runs
// before compilation; .ci/run repeats the same apps with the packed npm package
// (build-tools/plugin-e2e.ts).

const ROOT = path.join(__dirname, '..');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A plugin file that loads src/ through ts-node in cdk8s-cli's process. */
function pluginFile(): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-kuma-shim-')), 'plugin.js');
  dirs.push(path.dirname(file));
  fs.writeFileSync(file, [
    `require(${JSON.stringify(path.join(ROOT, 'node_modules', 'ts-node'))}).register({ project: ${JSON.stringify(path.join(ROOT, 'test', 'tsconfig.json'))}, transpileOnly: true });`,
    `module.exports = require(${JSON.stringify(path.join(ROOT, 'src', 'index.ts'))});`,
    '',
  ].join('\n'));
  return file;
}

describe('MeshValidation as a cdk8s synth validation plugin', () => {
  const plugin = pluginFile();

  test('a broken app fails cdk8s synth with the report: rule, recommendation, fix, resource and manifest', () => {
    const r = synthWithPlugin(plugin, { broken: true });
    dirs.push(r.dir);
    const out = r.stdout + r.stderr;
    expect(r.status).not.toBe(0);
    expect(out).toContain('KUMA004 pod-injection-namespace-unlabelled (error)');
    expect(out).toContain('Deployment shop/web labels its pods kuma.io/sidecar-injection: enabled, but namespace shop has no kuma.io/sidecar-injection label');
    expect(out).toContain('Label namespace shop kuma.io/sidecar-injection=enabled');
    expect(out).toMatch(/shop\.k8s\.yaml/);
    expect(out).toContain('Validation failed');
  }, 120_000);

  test('the fixed app passes', () => {
    const r = synthWithPlugin(plugin, { broken: false });
    dirs.push(r.dir);
    expect([r.status, r.stderr]).toEqual([0, expect.not.stringContaining('Validation failed')]);
    expect(fs.existsSync(path.join(r.dir, 'dist', 'shop.k8s.yaml'))).toBe(true);
  }, 120_000);

  test('properties are the lint command\'s options, checked when the plugin loads', () => {
    expect(() => new MeshValidation({ kumaVersion: '9.9' })).toThrow('cdk8s.yaml validations[].properties: kumaVersion "9.9" is not a supported Kuma version');
    let thrown: unknown;
    try {
      new MeshValidation({ failOn: 'info' });
    } catch (e) {
      thrown = e;
    }
    expect(KumaErrors.isKumaConfigError(thrown)).toBe(true);
    expect(() => new MeshValidation({ failOn: 'info' })).toThrow('cdk8s.yaml validations[].properties: failOn "info" is not a severity. Use "error" or "warning".');
    expect(() => new MeshValidation({ ignore: ['KUMA999'] })).toThrow('cdk8s.yaml validations[].properties: ignore[0] "KUMA999" is not a rule id.');
    expect(() => new MeshValidation({ kumaversion: '2.14' } as any)).toThrow('cdk8s.yaml validations[].properties: kumaversion "2.14" is not a setting. Use kumaVersion, distribution, controlPlaneNamespace, meshServicesMode, namespaceLabels, cni, ignore, failOn, severities, exemptions, mergeFolders, configFile.');
    expect(() => new MeshValidation({ distribution: 'istio' })).toThrow('distribution "istio" is not a distribution. Use one of kuma, kong-mesh.');
  });

  test('warnings pass unless failOn is warning; each finding is a violation in cdk8s-cli\'s shape', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-kuma-warn-'));
    dirs.push(dir);
    const file = path.join(dir, 'mesh.k8s.yaml');
    // kuma.io/mesh as a namespace annotation: deprecated in 2.14 (KUMA007, a warning)
    fs.writeFileSync(file, 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  annotations:\n    kuma.io/mesh: default\n');
    const run = async (validation: MeshValidation) => {
      const violations: any[] = [];
      let status = '';
      await validation.validate({ manifests: [file], report: { addViolation: (v) => violations.push(v), submit: (s) => { status = s; } } });
      return { status, violations };
    };
    const passed = await run(new MeshValidation());
    expect(passed).toEqual({
      status: 'success',
      violations: [{
        ruleName: 'KUMA007 mesh-annotation (warning)',
        recommendation: 'Namespace shop sets kuma.io/mesh as a namespace annotation, which Kuma 2.8+ treats as deprecated.',
        fix: 'Set kuma.io/mesh as a namespace label.',
        violatingResources: [{ resourceName: 'shop', locations: ['Namespace shop (document 1)'], manifestPath: file }],
      }],
    });
    expect((await run(new MeshValidation({ failOn: 'warning' }))).status).toBe('failure');
    expect(await run(new MeshValidation({ ignore: ['KUMA007'] }))).toEqual({ status: 'success', violations: [] });
  });

  describe('one set per output folder, the version the app wrote', () => {
    const NS = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    kuma.io/sidecar-injection: enabled\n';
    // kuma.io/gateway on a pod: a 2.x delegated gateway, which Kuma 3.0 removed (KUMA014, an error for 3.0)
    const GATEWAY = [
      'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: kong', '  namespace: shop', 'spec:',
      '  selector:', '    matchLabels:', '      app: kong', '  template:', '    metadata:', '      labels:', '        app: kong',
      '      annotations:', '        kuma.io/gateway: enabled', '    spec:', '      automountServiceAccountToken: true',
      '      containers:', '        - name: kong', '          image: kong:3.9', '',
    ].join('\n');
    const tree = (files: Record<string, string>) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-kuma-folders-'));
      dirs.push(dir);
      for (const [name, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), text);
      }
      return dir;
    };
    const run = async (validation: MeshValidation, manifests: string[]) => {
      const violations: any[] = [];
      let status = '';
      let meta: any;
      await validation.validate({ manifests, report: { addViolation: (v) => violations.push(v), submit: (st, m) => { status = st; meta = m; } } });
      return { status, violations, meta };
    };

    test('a namespace in two clusters\' folders is no duplicate; mergeFolders analyses them as one set', async () => {
      const dir = tree({ 'zone-a/a.k8s.yaml': NS, 'zone-b/b.k8s.yaml': NS });
      const files = [path.join(dir, 'zone-a', 'a.k8s.yaml'), path.join(dir, 'zone-b', 'b.k8s.yaml')];
      expect(await run(new MeshValidation(), files)).toMatchObject({ status: 'success', violations: [] });
      const merged = await run(new MeshValidation({ mergeFolders: true }), files);
      expect([merged.status, merged.violations.map((v) => v.ruleName)]).toEqual(['failure', ['KUMA012 duplicate-object (error)']]);
    });

    test('charts in folders of their own (FOLDER_PER_CHART_FILE_PER_RESOURCE) are one App\'s set', async () => {
      const dir = tree({ 'zone-a/shop/ns.k8s.yaml': NS, 'zone-a/other/ns.k8s.yaml': NS, 'zone-a/construct-metadata.json': '{"version":"1.0.0","resources":{}}' });
      const r = await run(new MeshValidation(), [path.join(dir, 'zone-a', 'shop', 'ns.k8s.yaml'), path.join(dir, 'zone-a', 'other', 'ns.k8s.yaml')]);
      expect(r.violations.map((v) => v.ruleName)).toEqual(['KUMA012 duplicate-object (error)']);
    });

    test('a version the plugin does not know is reported, not thrown', async () => {
      const dir = tree({ 'zone/ns.k8s.yaml': NS, 'zone/cdk8s-kuma-metadata.json': JSON.stringify({ version: '1.0.0', kumaVersions: ['9.9'] }) });
      const r = await run(new MeshValidation(), [path.join(dir, 'zone', 'ns.k8s.yaml')]);
      expect([r.status, r.violations[0].ruleName, r.violations[0].fix]).toEqual(['failure', 'kuma-version-mismatch (error)', 'Use the same cdk8s-kuma version for the app and for the plugin in cdk8s.yaml.']);
    });

    test('a finding names the construct path from its own folder\'s construct-metadata.json', async () => {
      const broken = NS.replace('enabled', 'enabled\n  annotations:\n    kuma.io/mesh: default');
      const dir = tree({ 'edge/shop.k8s.yaml': broken, 'edge/construct-metadata.json': JSON.stringify({ version: '1.0.0', resources: { shop: { path: 'edge/Shop/Resource' } } }) });
      const r = await run(new MeshValidation(), [path.join(dir, 'edge', 'shop.k8s.yaml')]);
      expect(r.violations[0].violatingResources[0].locations).toEqual(['Namespace shop (document 1, construct edge/Shop/Resource)']);
    });

    test('the plugin checks the version the app targets, and refuses to check another', async () => {
      const dir = tree({ 'zone/gw.k8s.yaml': GATEWAY, 'zone/ns.k8s.yaml': NS, 'zone/cdk8s-kuma-metadata.json': JSON.stringify({ version: '1.0.0', kumaVersions: ['3.0'] }) });
      const files = [path.join(dir, 'zone', 'gw.k8s.yaml'), path.join(dir, 'zone', 'ns.k8s.yaml')];
      // no kumaVersion: the app's 3.0, whose rules refuse the 2.x gateway annotation
      const own = await run(new MeshValidation(), files);
      expect([own.status, own.meta.kumaVersion, own.violations.map((v) => v.ruleName)]).toEqual(['failure', '3.0', ['KUMA014 gateway-annotation-removed (error)']]);
      // kumaVersion 2.14 for a 3.0 app: not silently checked against 2.14
      const other = await run(new MeshValidation({ kumaVersion: '2.14' }), files);
      expect(other.status).toBe('failure');
      expect(other.violations).toEqual([{
        ruleName: 'kuma-version-mismatch (error)',
        recommendation: `The app's charts in ${path.join(dir, 'zone')} target Kuma 3.0 (KumaVersion.use()), but the plugin is set to check 2.14: the findings would be those of another version.`,
        fix: 'Set kumaVersion: "3.0" in cdk8s.yaml (or remove it: the plugin then checks the version the app targets).',
        violatingResources: [],
      }]);
      expect((await run(new MeshValidation({ kumaVersion: '3.0' }), files)).meta.kumaVersion).toBe('3.0');
    });

    test('an app writes the versions of its charts beside construct-metadata.json when cdk8s-cli records it', () => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-kuma-meta-'));
      dirs.push(outdir);
      const app = new App({ outdir, recordConstructMetadata: true });
      KumaVersion.use(app, KumaVersion.V3_0);
      new MeshNamespace(new Chart(app, 'shop'), 'Shop', { metadata: { name: 'shop' } });
      const other = new Chart(app, 'legacy');
      KumaVersion.use(other, KumaVersion.V2_14);
      new MeshNamespace(other, 'Legacy', { metadata: { name: 'legacy' } });
      app.synth();
      expect(JSON.parse(fs.readFileSync(path.join(outdir, 'cdk8s-kuma-metadata.json'), 'utf8'))).toEqual({ version: '1.0.0', kumaVersions: ['2.14', '3.0'] });
      // without cdk8s-cli's validations, the folder holds only the manifests
      const plain = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-kuma-meta-'));
      dirs.push(plain);
      const app2 = new App({ outdir: plain });
      new MeshNamespace(new Chart(app2, 'shop'), 'Shop', { metadata: { name: 'shop' } });
      app2.synth();
      expect(fs.readdirSync(plain)).toEqual(['shop.k8s.yaml']);
    });
  });
});
