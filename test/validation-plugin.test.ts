import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { KumaConfigError, MeshValidation } from '../src';
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
    expect(() => new MeshValidation({ kumaVersion: '9.9' })).toThrow('KumaVersion.parse(): version "9.9" is not a supported Kuma version');
    expect(() => new MeshValidation({ failOn: 'info' })).toThrow(KumaConfigError);
    expect(() => new MeshValidation({ failOn: 'info' })).toThrow('cdk8s.yaml validations[].properties: failOn "info" is not a severity. Use "error" or "warning".');
    expect(() => new MeshValidation({ ignore: ['KUMA999'] })).toThrow('MeshAnalysis: ignore "KUMA999" is not a rule id.');
    expect(() => new MeshValidation({ kumaversion: '2.14' } as any)).toThrow('cdk8s.yaml validations[].properties: kumaversion "2.14" is not an option of MeshValidation. Use kumaVersion, distribution, controlPlaneNamespace, meshServicesMode, cni, ignore, failOn.');
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
});
