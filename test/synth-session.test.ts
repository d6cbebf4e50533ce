import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Lazy, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { KumaProtocol, MeshAnalysis, MeshAnalyzer, MeshNamespace, MeshService } from '../src';
import { metadataView } from '../src/private/_metadata';

// cdk8s validates the app once in App.synth() and again per chart (App._synthChart): the
// library's validations, the mesh analysis first of all, must run once per synth, and a change
// between two synths must still be seen (src/kuma/_synth-session.ts).

const outdir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'synth-session-'));

/** An app of `charts` charts, each a meshed namespace with one Service, and the analyzer. */
function app(charts: number, props: { fix?: boolean } = {}) {
  const a = new App({ outdir: outdir() });
  new MeshAnalyzer(a, 'MeshAnalyzer', props);
  const services: MeshService[] = [];
  for (let i = 0; i < charts; i++) {
    const chart = new Chart(a, `c${i}`);
    const ns = new MeshNamespace(chart, 'Ns', { metadata: { name: `ns-${i}` } });
    services.push(new MeshService(chart, 'Svc', {
      metadata: { name: 'web' },
      namespace: ns,
      selectorLabels: { app: 'web' },
      ports: [{ port: 80, targetPort: 8080, name: 'http', appProtocol: KumaProtocol.HTTP }],
    }));
  }
  return { app: a, services };
}

function countAnalyses(run: () => void): number {
  const spy = jest.spyOn(MeshAnalysis, '_analyze');
  try {
    run();
    return spy.mock.calls.length;
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => jest.restoreAllMocks());

test('the analysis runs once per App.synth() and synthYaml(), however many charts', () => {
  const { app: a } = app(4);
  expect(countAnalyses(() => a.synth())).toBe(1);
  expect(countAnalyses(() => a.synthYaml())).toBe(1);
  // a second synth analyses again
  expect(countAnalyses(() => a.synth())).toBe(1);
});

test('before: cdk8s itself validates K+1 times for K charts (the reason for the session)', () => {
  const { app: a } = app(3);
  const chart = a.charts[0];
  let passes = 0;
  chart.node.addValidation({ validate: () => { passes++; return []; } });
  a.synth();
  expect(passes).toBe(4);
});

test('a per-object validation of the library runs once per synth', () => {
  const { app: a, services } = app(3);
  const spy = jest.spyOn(services[0] as any, 'validatePorts');
  a.synth();
  expect(spy).toHaveBeenCalledTimes(1);
  a.synth();
  expect(spy).toHaveBeenCalledTimes(2);
});

test('outside App.synth() (chart.toJson, Testing.synth) every pass validates afresh', () => {
  const { app: a, services } = app(2);
  const spy = jest.spyOn(services[0] as any, 'validatePorts');
  expect(countAnalyses(() => a.charts[0].toJson())).toBe(1);
  expect(countAnalyses(() => Testing.synth(a.charts[1]))).toBe(1);
  expect(spy).toHaveBeenCalledTimes(2);
});

test('a change between two synths is seen: by the analysis and by the per-object validations', () => {
  const { app: a } = app(2, {});
  a.synth();
  const chart = new Chart(a, 'late');
  new kplus.Namespace(chart, 'Plain', { metadata: { name: 'plain' } });
  new kplus.Deployment(chart, 'Web', {
    metadata: { namespace: 'plain' },
    podMetadata: { labels: { 'kuma.io/sidecar-injection': 'enabled' } },
    containers: [{ image: 'web', portNumber: 8080 }],
  });
  expect(() => a.synth()).toThrow(/KUMA004 pod-injection-namespace-unlabelled: Deployment plain\/late-web-/);

  const { app: b } = app(1);
  b.synth();
  new MeshService(b.charts[0], 'NoPorts', { metadata: { name: 'empty' } });
  expect(() => b.synth()).toThrow('[c0/NoPorts] ports [] is empty;');
});

test('an error fails the synth with the same message as without the session', () => {
  const { app: a } = app(3);
  new MeshService(a.charts[1], 'NoPorts', { metadata: { name: 'empty', namespace: 'ns-1' } });
  const message = (run: () => unknown) => {
    try {
      run();
      return '';
    } catch (e) {
      return (e as Error).message;
    }
  };
  const expected = 'Validation failed with the following errors:\n  [c1/NoPorts] ports [] is empty; Kuma builds one inbound per Service port and the gateway needs one to route to. Pass ports or call addPort().';
  expect(message(() => a.synth())).toBe(expected);
  expect(message(() => a.charts[1].toJson())).toBe(expected);
});

test('fix mode: the fixes of the first pass are in every chart\'s output', () => {
  const build = () => {
    const a = new App({ outdir: outdir() });
    new MeshAnalyzer(a, 'MeshAnalyzer', { fix: true });
    for (const name of ['a', 'b']) {
      const chart = new Chart(a, name);
      // injection per workload: Kuma does not annotate this namespace's Services (KUMA001)
      new kplus.Namespace(chart, 'Ns', { metadata: { name, labels: { 'kuma.io/sidecar-injection': 'disabled' } } });
      new kplus.Deployment(chart, 'Web', {
        metadata: { namespace: name },
        podMetadata: { labels: { 'kuma.io/sidecar-injection': 'enabled' } },
        containers: [{ image: 'web', portNumber: 8080 }],
      }).exposeViaService({ name: 'web' });
    }
    return a;
  };
  const upstream = { 'ingress.kubernetes.io/service-upstream': 'true', 'nginx.ingress.kubernetes.io/service-upstream': 'true' };
  const viaSynth = build();
  expect(countAnalyses(() => viaSynth.synth())).toBe(2); // before and after the fixes, once
  const written = fs.readdirSync(viaSynth.outdir).sort().map((f) => fs.readFileSync(path.join(viaSynth.outdir, f), 'utf8'));
  expect(written).toHaveLength(2);
  for (const file of written) expect(file).toContain('    ingress.kubernetes.io/service-upstream: "true"\n    nginx.ingress.kubernetes.io/service-upstream: "true"\n');
  // the same app serialized chart by chart, outside any session
  const perChart = build().charts.map((c) => c.toJson());
  expect(perChart.flat().filter((o: any) => o.kind === 'Service').map((o: any) => o.metadata.annotations)).toEqual([upstream, upstream]);
});

describe('metadataView', () => {
  test('equals metadata.toJson() for plain strings', () => {
    const chart = Testing.chart();
    const obj = new ApiObject(chart, 'O', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'n', labels: { a: 'b' }, annotations: { c: 'd', e: '' } } });
    expect(metadataView(obj)).toEqual(obj.metadata.toJson());
    const bare = new ApiObject(chart, 'Bare', { apiVersion: 'v1', kind: 'ConfigMap' });
    expect(metadataView(bare)).toEqual(bare.metadata.toJson());
  });

  test('falls back to toJson() for a Lazy value', () => {
    const chart = Testing.chart();
    const obj = new ApiObject(chart, 'O', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', annotations: { late: Lazy.any({ produce: () => 'resolved' }) as unknown as string } },
    });
    expect(metadataView(obj).annotations).toEqual({ late: 'resolved' });
  });
});
