import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

/**
 * A cdk8s app in a fresh directory, synthesized by the real cdk8s-cli (`cdk8s synth`) with
 * cdk8s.yaml naming `plugin` (a path to the package, or a file that loads it) as a validation.
 * The app writes a meshed namespace and a workload; `broken` makes the workload opt in to
 * injection in a namespace without the label (KUMA004) and leaves its Service without
 * service-upstream (KUMA001).
 */
export function synthWithPlugin(plugin: string, options: { broken: boolean; properties?: Record<string, unknown> }):
{ status: number | null; stdout: string; stderr: string; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-kuma-plugin-'));
  const cdk8s = JSON.stringify(path.join(ROOT, 'node_modules', 'cdk8s'));
  fs.writeFileSync(path.join(dir, 'main.js'), `
const { App, Chart, ApiObject } = require(${cdk8s});
const app = new App();
const chart = new Chart(app, 'shop');
new ApiObject(chart, 'Ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: ${options.broken ? '{}' : '{ \'kuma.io/sidecar-injection\': \'enabled\' }'} } });
new ApiObject(chart, 'Web', {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' },
  spec: { selector: { matchLabels: { app: 'web' } }, template: {
    metadata: { labels: { app: 'web'${options.broken ? ', \'kuma.io/sidecar-injection\': \'enabled\'' : ''} } },
    spec: { containers: [{ name: 'web', image: 'web:1', ports: [{ containerPort: 8080 }] }] } } },
});
new ApiObject(chart, 'WebSvc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' },
  spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } });
app.synth();
`);
  const pkg = path.isAbsolute(plugin) ? plugin : `.${path.sep}${plugin}`;
  fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), [
    'language: typescript',
    'app: node main.js',
    'validations:',
    `  - package: ${JSON.stringify(pkg)}`,
    '    version: 0.0.0',
    '    class: MeshValidation',
    `    properties: ${JSON.stringify(options.properties ?? { kumaVersion: '2.14' })}`,
    '',
  ].join('\n'));
  const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s'), 'synth'], {
    cwd: dir, encoding: 'utf8', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false', FORCE_COLOR: '0', NO_COLOR: '1' }, timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, dir };
}
