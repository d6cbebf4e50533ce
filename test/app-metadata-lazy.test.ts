/*
 * The package's index loads each module on first access (build-tools/lazy-index.ts), so an app may
 * load MeshService and nothing else of the library. It must still write the Kuma versions its
 * charts target beside its manifests, which the validation plugin checks (cdk8s-kuma-metadata.json).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

test.each([
  ['mesh/mesh-service', (m: any, chart: any) => new m.MeshService(chart, 'Echo', { metadata: { name: 'echo', namespace: 'shop' }, ports: [{ port: 80 }] })],
  ['mesh/container-patch', (m: any, chart: any) => new m.ContainerPatch(chart, 'Patch', { sidecarPatch: [m.ContainerPatchOperation.remove('/resources')] })],
])('an app that loads only %s writes its Kuma versions', (module, make) => {
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { App, Chart } = require('cdk8s');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const lib = require(`../src/${module}`);
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'app-metadata-'));
    try {
      const app = new App({ outdir, recordConstructMetadata: true });
      make(lib, new Chart(app, 'c'));
      app.synth();
      expect(JSON.parse(fs.readFileSync(path.join(outdir, 'cdk8s-kuma-metadata.json'), 'utf8'))).toEqual({ version: '1.0.0', kumaVersions: ['2.14'] });
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

test('an app that only calls KumaVersion.use() (its objects are cdk8s-plus or L1) writes the version it chose', () => {
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ApiObject, App, Chart } = require('cdk8s');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { KumaVersion } = require('../src/kuma/kuma-version');
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'app-metadata-'));
    try {
      const app = new App({ outdir, recordConstructMetadata: true });
      KumaVersion.use(app, KumaVersion.V2_6);
      new ApiObject(new Chart(app, 'c'), 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
      app.synth();
      expect(JSON.parse(fs.readFileSync(path.join(outdir, 'cdk8s-kuma-metadata.json'), 'utf8'))).toEqual({ version: '1.0.0', kumaVersions: ['2.6'] });
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
