import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { parseAllDocuments } from 'yaml';
import { FindingSeverity, KumaControlPlane, MeshAnalysis, MeshAnalyzer, MeshNamespace } from '../src';
import { runLint } from './support/run-lint';
import { tempDirs } from './support/temp-dirs';

const tempDir = tempDirs('pod-start');

/*
 * KUMA028 and KUMA029: meshed pods that Kuma's injector leaves unable to start (a root kuma-init
 * under a pod-level runAsNonRoot; a sidecar without the service-account token).
 */

const SHOP = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'kuma.io/sidecar-injection': 'enabled' } } };

/** A Deployment in namespace shop, as cdk8s-plus writes one by default unless `spec` says otherwise. */
function web(spec: Record<string, unknown> = {}, podAnnotations: Record<string, string> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' }, annotations: podAnnotations },
        spec: {
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, fsGroupChangePolicy: 'Always' },
          containers: [{ name: 'main', image: 'web', securityContext: { runAsNonRoot: true, readOnlyRootFilesystem: true } }],
          ...spec,
        },
      },
    },
  };
}

const ids = (objs: any[], options = {}) => MeshAnalysis.analyze(objs, options).map((f) => `${f.ruleId} ${f.object}`);

describe('KUMA028 pod-run-as-non-root', () => {
  test('a meshed pod with a pod-level runAsNonRoot: the exact finding, saying what it assumes', () => {
    const [f] = MeshAnalysis.analyze([SHOP, web({ automountServiceAccountToken: true })]);
    expect(f).toEqual({
      ruleId: 'KUMA028',
      rule: 'pod-run-as-non-root',
      severity: FindingSeverity.ERROR,
      object: 'Deployment shop/web',
      source: undefined,
      message: 'sets securityContext.runAsNonRoot: true for the whole pod, but Kuma\'s injector adds the kuma-init container as runAsUser 0 with no runAsNonRoot of its own, so the kubelet refuses to start it ("container\'s runAsUser breaks non-root policy") and the pods never start (this assumes the control plane runs without Kuma CNI, as Kuma and Kong Mesh install by default)',
      fix: 'Set runAsNonRoot on each container instead of the pod (cdk8s-plus: securityContext: { ensureNonRoot: false } on the workload, whose containers keep their own; MeshAnalyzer fix mode moves it), or declare that the control plane runs Kuma CNI: KumaControlPlane.use(app, { cni: true }).',
    });
  });

  test('silent with Kuma CNI, at container level, outside the mesh, and where meshing is not known', () => {
    const fine = { automountServiceAccountToken: true };
    expect(ids([SHOP, web(fine)], { cni: true })).toEqual([]);
    expect(ids([SHOP, web({ ...fine, securityContext: { fsGroupChangePolicy: 'Always' } })])).toEqual([]);
    const optedOut = web(fine);
    (optedOut.spec.template.metadata.labels as any)['kuma.io/sidecar-injection'] = 'disabled';
    expect(ids([SHOP, optedOut])).toEqual([]);
    // a namespace the set neither has nor declares: not known to be meshed, no finding
    expect(ids([web(fine), { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x', namespace: 'shop', annotations: { 'kuma.io/ignore': 'true' } } }])).toEqual([]);
    // with --cni declared false, the same error without the assumption
    expect(MeshAnalysis.analyze([SHOP, web(fine)], { cni: false })[0].message).not.toContain('assumes');
  });

  test('delegated gateways count as meshed pods', () => {
    const gateway = web({ automountServiceAccountToken: true }, { 'kuma.io/gateway': 'enabled' });
    expect(ids([gateway])).toEqual(['KUMA028 Deployment shop/web']);
  });
});

describe('KUMA029 service-account-token-missing', () => {
  const rootless = { securityContext: { fsGroupChangePolicy: 'Always' } };

  test('a meshed pod without the token: the exact finding', () => {
    const [f] = MeshAnalysis.analyze([SHOP, web(rootless)]);
    expect(f).toEqual({
      ruleId: 'KUMA029',
      rule: 'service-account-token-missing',
      severity: FindingSeverity.ERROR,
      object: 'Deployment shop/web',
      source: undefined,
      message: 'sets automountServiceAccountToken: false and names no kuma.io/service-account-token-volume, so its pods have no service-account token; Kuma\'s injector still points the sidecar at /var/run/secrets/kubernetes.io/serviceaccount/token, and kuma-dp exits ("dataplane token is invalid, in Kubernetes you must mount a serviceAccount token"), so the pods never become ready',
      fix: 'Set automountServiceAccountToken: true on the pod (MeshAnalyzer fix mode sets it), or mount a projected token volume and name it in the pod annotation kuma.io/service-account-token-volume.',
    });
  });

  test('the ServiceAccount\'s automount counts unless the pod sets its own', () => {
    const account = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'web', namespace: 'shop' }, automountServiceAccountToken: false };
    const pod = web({ ...rootless, automountServiceAccountToken: undefined, serviceAccountName: 'web' });
    expect(MeshAnalysis.analyze([SHOP, account, pod]).map((f) => f.message.split(' and names')[0]))
      .toEqual(['runs as ServiceAccount shop/web, which sets automountServiceAccountToken: false']);
    expect(ids([SHOP, account, web({ ...rootless, automountServiceAccountToken: true, serviceAccountName: 'web' })])).toEqual([]);
  });

  test('silent with a token volume named for Kuma, or a token mounted by hand', () => {
    const volume = web({ ...rootless, volumes: [{ name: 'token', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }] },
      { 'kuma.io/service-account-token-volume': 'token' });
    expect(ids([SHOP, volume])).toEqual([]);
    const mounted = web({
      ...rootless,
      containers: [{ name: 'main', image: 'web', volumeMounts: [{ name: 'token', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }] }],
    });
    expect(ids([SHOP, mounted])).toEqual([]);
  });
});

describe('the fixes', () => {
  test('lint --fix moves runAsNonRoot to the containers and mounts the token; the fixed file is clean', () => {
    const dir = tempDir();
    const file = path.join(dir, 'web.yaml');
    fs.writeFileSync(file, [SHOP, web()].map((o) => JSON.stringify(o)).join('\n---\n') + '\n');
    const before = runLint(file);
    expect(before.status).toBe(1);
    expect(before.stdout).toContain('KUMA028');
    expect(before.stdout).toContain('pass --cni if the control plane runs Kuma CNI');
    expect(runLint('--fix', file).status).toBe(0);
    const spec = parseAllDocuments(fs.readFileSync(file, 'utf8'))[1].toJS().spec.template.spec;
    expect(spec.automountServiceAccountToken).toBe(true);
    expect(spec.securityContext).toEqual({ fsGroupChangePolicy: 'Always' });
    expect(spec.containers[0].securityContext).toEqual({ runAsNonRoot: true, readOnlyRootFilesystem: true });
  });

  test('lint --cni: no KUMA028', () => {
    const dir = tempDir();
    const file = path.join(dir, 'web.yaml');
    fs.writeFileSync(file, [SHOP, web({ automountServiceAccountToken: true })].map((o) => JSON.stringify(o)).join('\n---\n') + '\n');
    expect(runLint(file).status).toBe(1);
    expect(runLint('--cni', file)).toMatchObject({ status: 0 });
  });

  test('in an app: KumaControlPlane.use({ cni: true }) is read by MeshAnalyzer', () => {
    const build = (cni: boolean) => {
      const app = new App({ outdir: Testing.app().outdir });
      KumaControlPlane.use(app, { cni });
      const analyzer = new MeshAnalyzer(app, 'MeshAnalyzer');
      const chart = new Chart(app, 'shop', { namespace: 'shop' });
      new MeshNamespace(chart, 'Shop', { metadata: { name: 'shop' } });
      new kplus.Deployment(chart, 'Web', { automountServiceAccountToken: true, containers: [{ image: 'web', portNumber: 8080 }] });
      return { app, analyzer };
    };
    const withoutCni = build(false);
    // declared without CNI: the finding assumes nothing
    expect(() => withoutCni.app.synthYaml()).toThrow(/\[MeshAnalyzer\] KUMA028 pod-run-as-non-root: Deployment shop\/shop-web-\w+ \(shop\/Web\/Resource\) sets securityContext.runAsNonRoot: true for the whole pod, .* and the pods never start\. Set runAsNonRoot/);
    const withCni = build(true);
    withCni.app.synthYaml();
    expect(withCni.analyzer.findings).toEqual([]);
  });
});

describe('review: hostile input and the edges of the new rules', () => {
  test('KUMA028 offers no fix where a container securityContext is not a mapping', () => {
    const bad = web({ automountServiceAccountToken: true, containers: [{ name: 'main', image: 'web', securityContext: 'yes' }] });
    const [f] = MeshAnalysis._analyze([SHOP, bad].map((obj) => ({ obj })), {});
    expect([f.ruleId, f.autoFix]).toEqual(['KUMA028', undefined]);
  });
});
