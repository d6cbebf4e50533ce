import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Testing } from 'cdk8s';
import { stringify } from 'yaml';
import { FindingSeverity, KumaControlPlane, KumaDistribution, KumaVersion, MeshAnalysis, MeshAnalyzer } from '../src';
import { kongDeployment } from './support/kong-deployment';
import { runLint } from './support/run-lint';

// KUMA022: objects Kuma reads only from its control plane's namespace (ContainerPatch always,
// policies before 2.9), and the lint command's --distribution / --control-plane-namespace.

const patch = (namespace: string, name = 'kong-tmp') => ({
  apiVersion: 'kuma.io/v1alpha1',
  kind: 'ContainerPatch',
  metadata: { name, namespace },
  spec: { sidecarPatch: [{ op: 'add', path: '/securityContext/runAsNonRoot', value: 'true' }] },
});
const gateway = (patches?: string) => kongDeployment({ 'kuma.io/gateway': 'enabled', ...patches === undefined ? {} : { 'kuma.io/container-patches': patches } });
const timeout = (namespace: string) => ({
  apiVersion: 'kuma.io/v1alpha1',
  kind: 'MeshTimeout',
  metadata: { name: 'kong-timeouts', namespace, labels: { 'kuma.io/mesh': 'default' } },
  spec: { targetRef: { kind: 'Mesh' }, to: [{ targetRef: { kind: 'Mesh' }, default: { connectionTimeout: '2s' } }] },
});
const namespace = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
/** The objects in one file of a temporary directory; the lint runs on the file. */
function file(objects: any[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-kuma-cp-'));
  dirs.push(dir);
  const f = path.join(dir, 'set.yaml');
  fs.writeFileSync(f, objects.map((o) => stringify(o)).join('---\n'));
  return f;
}
const found = (objects: any[], options = {}) => MeshAnalysis.analyze(objects, options).filter((f) => f.ruleId === 'KUMA022');

describe('KUMA022 control-plane-namespace', () => {
  test('a ContainerPatch a gateway names, outside the control plane namespace: an error when the namespace is known', () => {
    const f = file([patch('kong'), gateway('kong-tmp')]);
    const r = runLint('lint', '--distribution', 'kong-mesh', f);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe([
      'ERROR KUMA022 control-plane-namespace',
      `  ContainerPatch kong/kong-tmp (${f}:5:3)`,
      '  is in namespace kong, but Kuma\'s injector looks ContainerPatches up in the control plane\'s namespace, kong-mesh-system (Kong Mesh\'s default): Deployment kong/kong names it in kuma.io/container-patches, so its pods fail injection ("it appears some expected container patches are missing").',
      '  fix: Put the ContainerPatch in namespace kong-mesh-system.',
      '2 objects, 1 error, 0 warnings (Kuma 2.14)',
      '',
    ].join('\n'));
    // the corrected twin
    expect(runLint('lint', '--distribution', 'kong-mesh', file([patch('kong-mesh-system'), gateway('kong-tmp')])).stdout).toBe('2 objects, 0 errors, 0 warnings (Kuma 2.14)\n');
  });

  test('without a flag: the namespace the set has objects in, else an assumption the finding states', () => {
    // the set has the control plane's own objects: known
    expect(found([patch('kong'), gateway('kong-tmp'), namespace('kong-mesh-system')]).map((f) => [f.severity, f.message.match(/\(([^)]*)\):/)![1]]))
      .toEqual([[FindingSeverity.ERROR, 'the set has objects in kong-mesh-system']]);
    // nothing says where it runs: a warning that says what it assumes, and how to tell it
    const [w] = found([patch('kong'), gateway('kong-tmp')]);
    expect(w.severity).toBe(FindingSeverity.WARNING);
    expect(w.message).toContain('kuma-system (assumed: Kuma\'s default, as nothing in the set names the control plane\'s namespace)');
    expect(w.fix).toBe('Put the ContainerPatch in namespace kuma-system, or, if the control plane runs elsewhere, name it with --control-plane-namespace or --distribution (KumaControlPlane.use() in an app).');
    // objects in both default namespaces: the set spans clusters, nothing is known
    expect(found([patch('kong'), gateway('kong-tmp'), namespace('kuma-system'), namespace('kong-mesh-system')])).toEqual([]);
    // the namespace given is the patch's own
    expect(found([patch('kong'), gateway('kong-tmp')], { controlPlaneNamespace: 'kong' })).toEqual([]);
  });

  test('a ContainerPatch no pod names is a warning; one served by its namesake in the control plane namespace too', () => {
    const unnamed = found([patch('kong')], { distribution: KumaDistribution.KUMA });
    expect(unnamed.map((f) => [f.severity, f.message])).toEqual([[FindingSeverity.WARNING,
      'is in namespace kong, but Kuma\'s injector looks ContainerPatches up in the control plane\'s namespace, kuma-system (Kuma\'s default): no pod of the set names it, and pods that do fail injection ("it appears some expected container patches are missing")']]);
    expect(found([patch('kong'), patch('kuma-system'), gateway('kong-tmp')]).map((f) => f.severity)).toEqual([FindingSeverity.WARNING]);
  });

  test('policies before Kuma 2.9 only in the control plane namespace; 2.9 and later anywhere', () => {
    const f = file([timeout('kong'), gateway()]);
    const r = runLint('lint', '--kuma-version', '2.8', '--control-plane-namespace', 'mesh-system', f);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain([
      'ERROR KUMA022 control-plane-namespace',
      `  MeshTimeout kong/kong-timeouts (${f}:5:3)`,
      '  is a policy in namespace kong, but Kuma 2.8 takes policies only in the control plane\'s namespace, mesh-system (given as the control plane namespace): its webhook refuses this one ("policy can only be created in the system namespace").',
      '  fix: Put it in namespace mesh-system (Kuma 2.9 and later also take policies in workload namespaces).',
    ].join('\n'));
    expect(found([timeout('mesh-system'), gateway()], { version: KumaVersion.V2_8, controlPlaneNamespace: 'mesh-system' })).toEqual([]);
    expect(found([timeout('kong'), gateway()], { version: KumaVersion.V2_9, controlPlaneNamespace: 'mesh-system' })).toEqual([]);
    // kinds that are not policies (no top-level targetRef) stay where they are
    expect(found([{ apiVersion: 'kuma.io/v1alpha1', kind: 'MeshService', metadata: { name: 'web', namespace: 'kong' }, spec: {} }],
      { version: KumaVersion.V2_8, distribution: KumaDistribution.KUMA })).toEqual([]);
  });

  test('bad flags and options are bad usage', () => {
    expect(runLint('lint', '--distribution', 'istio', 'x.yaml').stderr.split('\n')[0]).toBe('cdk8s-kuma: --distribution: "istio" is not one of kuma, kong-mesh');
    expect(runLint('lint', '--control-plane-namespace', 'Kong_Mesh', 'x.yaml').stderr.split('\n')[0])
      .toBe('cdk8s-kuma: --control-plane-namespace: "Kong_Mesh" is not a namespace name (lower-case letters, digits and \'-\', at most 63)');
    expect(runLint('lint', '--distribution', 'kuma', 'x.yaml').status).toBe(2); // the file does not exist
    expect(() => MeshAnalysis.analyze([], { controlPlaneNamespace: 'Kong_Mesh' }))
      .toThrow('MeshAnalysis: controlPlaneNamespace "Kong_Mesh" is not a namespace name (RFC 1123 label). Give the namespace the control plane runs in, e.g. "kong-mesh-system".');
  });

  test('in an app, MeshAnalyzer reads KumaControlPlane.use() of each object\'s chart', () => {
    const app = Testing.app();
    new MeshAnalyzer(app, 'MeshAnalyzer');
    const zone = new Chart(app, 'zone-a');
    KumaControlPlane.use(zone, { distribution: KumaDistribution.KONG_MESH });
    new ApiObject(zone, 'Patch', patch('kuma-system'));
    new ApiObject(zone, 'Kong', gateway('kong-tmp'));
    expect(() => app.synth()).toThrow('[MeshAnalyzer] KUMA022 control-plane-namespace: ContainerPatch kuma-system/kong-tmp (zone-a/Patch) is in namespace kuma-system, but Kuma\'s injector looks ContainerPatches up in the control plane\'s namespace, kong-mesh-system (KumaControlPlane.use() on zone-a): Deployment kong/kong names it in kuma.io/container-patches, so its pods fail injection ("it appears some expected container patches are missing"). Put the ContainerPatch in namespace kong-mesh-system.');
  });
});
