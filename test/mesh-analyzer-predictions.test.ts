/*
 * The predicted Dataplanes and the traffic graph from an app (MeshAnalyzer's dataplanesFile,
 * graphFile, graphFormat, zone) and from plain objects (MeshAnalysis.predictDataplanes,
 * MeshAnalysis.trafficGraph): the same as the commands print for the same objects.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Include } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { buildExampleApp } from '../examples/app';
import { FindingSeverity, KumaVersion, MeshAnalysis, MeshAnalyzer, TrafficGraphFormat } from '../src';
import { tempDirs } from './support/temp-dirs';
import { dataplanes } from '../src/analysis/lint/_dataplanes-command';
import { graph } from '../src/analysis/lint/_graph-command';

const fresh = tempDirs('predictions');

/** The example's edge cluster as one app, with an analyzer that writes both files. */
function edgeApp(outdir: string, props: ConstructorParameters<typeof MeshAnalyzer>[2]): App {
  const app = new App({ outdir });
  buildExampleApp((cluster) => (cluster === 'edge' ? app : new App({ outdir: fresh() })), KumaVersion.V2_14);
  new MeshAnalyzer(app, 'MeshAnalyzer', props);
  return app;
}

function command(run: typeof dataplanes, ...args: string[]): string {
  let stdout = '';
  const status = run(['--no-config', ...args], { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: () => true } });
  expect(status).toBe(0);
  return stdout;
}

test('at synth the analyzer writes the Dataplanes and a Mermaid graph fenced for markdown; the commands print the same of the synthesized files', () => {
  const outdir = fresh();
  const beside = fresh();
  const app = edgeApp(outdir, { dataplanesFile: path.join(beside, 'kuma', 'dataplanes.yaml'), graphFile: path.join(outdir, 'kuma-graph.md') });
  process.env.CDK8S_KUMA_QUIET = '1';
  app.synth();
  const written = fs.readFileSync(path.join(beside, 'kuma', 'dataplanes.yaml'), 'utf8');
  const docs = parseAllDocuments(written).map((d) => d.toJSON());
  expect(docs.map((d) => `${d.metadata.namespace}/${d.metadata.name}`)).toEqual([
    'shop/web', 'shop/orders', 'legacy/billing', 'kong/kong-controller', 'kong/kong-gateway', 'ingress-nginx/ingress-nginx-controller',
  ]);
  // the objects are the ones the command predicts from the files the app wrote (comments name constructs, not files)
  const fromFiles = parseAllDocuments(command(dataplanes, '--kuma-version', '2.14', outdir)).map((d) => d.toJSON());
  const byName = (list: any[]) => Object.fromEntries(list.map((d) => [`${d.metadata.namespace}/${d.metadata.name}`, d]));
  expect(byName(docs)).toEqual(byName(fromFiles));
  expect(written).toContain('# Deployment shop/web (shop/Web/Resource): the Dataplane of each of its pods');

  const md = fs.readFileSync(path.join(outdir, 'kuma-graph.md'), 'utf8');
  expect(md.startsWith('```mermaid\nflowchart LR\n')).toBe(true);
  expect(md.endsWith('\n```\n')).toBe(true);
  const mermaid = md.slice('```mermaid\n'.length, -'```\n'.length);
  // the same nodes and edges; the app lists them in construct order, the files in path order
  const lines = (text: string) => text.trim().split('\n').sort();
  expect(lines(mermaid)).toEqual(lines(command(graph as typeof dataplanes, '--kuma-version', '2.14', outdir)));
  expect(mermaid).not.toContain('⚠');
});

test('graphFormat DOT and JSON; the zone in the Dataplanes', () => {
  const beside = fresh();
  const app = edgeApp(fresh(), { dataplanesFile: path.join(beside, 'dp.yaml'), graphFile: path.join(beside, 'graph.dot'), graphFormat: TrafficGraphFormat.DOT, zone: 'eu-west' });
  app.synth();
  expect(fs.readFileSync(path.join(beside, 'graph.dot'), 'utf8')).toMatch(/^digraph "Kuma 2\.14" \{\n/);
  expect(fs.readFileSync(path.join(beside, 'dp.yaml'), 'utf8')).toContain('    kuma.io/zone: eu-west\n');
  edgeApp(fresh(), { graphFile: path.join(beside, 'graph.json'), graphFormat: TrafficGraphFormat.JSON }).synth();
  const g = JSON.parse(fs.readFileSync(path.join(beside, 'graph.json'), 'utf8'));
  expect(g.kumaVersion).toBe('2.14');
  expect(g.nodes.map((n: any) => n.id)).toContain('gw_kong_kong_gateway');
});

test('Dataplanes or a JSON graph in the output directory (kubectl apply -f, Flux, Argo CD would apply them), or a format that is not one, fail at construction', () => {
  expect(() => new MeshAnalyzer(new App({ outdir: 'dist' }), 'A', { dataplanesFile: 'dist/kuma/dp.yaml' }))
    .toThrow('A: dataplanesFile "dist/kuma/dp.yaml" is in the app\'s output directory dist, where kubectl apply -f, Flux and Argo CD would apply it as manifests. '
      + 'Write it beside the output directory, e.g. "predictions/kuma-dataplanes.yaml".');
  expect(() => new MeshAnalyzer(new App({ outdir: 'dist' }), 'A', { graphFile: 'dist/graph.json', graphFormat: TrafficGraphFormat.JSON }))
    .toThrow('A: graphFile "dist/graph.json" is in the app\'s output directory dist');
  expect(() => new MeshAnalyzer(new App({ outdir: 'dist' }), 'A', { graphFile: 'dist/graph.md', dataplanesFile: 'predictions/dp.yaml' })).not.toThrow();
  expect(() => new MeshAnalyzer(new App({ outdir: fresh() }), 'A', { graphFile: ' ' })).toThrow('A: graphFile " " is empty.');
  expect(() => new MeshAnalyzer(new App({ outdir: fresh() }), 'A', { graphFile: 'g.svg', graphFormat: 'svg' as TrafficGraphFormat }))
    .toThrow('A: graphFormat "svg" is not a TrafficGraphFormat. Use TrafficGraphFormat.MERMAID, DOT or JSON.');
});

test('MeshAnalysis.predictDataplanes and trafficGraph on plain objects', () => {
  const objects = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'kuma.io/sidecar-injection': 'enabled' } } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:1' }] } } },
    },
  ];
  const [dp] = MeshAnalysis.predictDataplanes(objects, { version: KumaVersion.V3_0, zone: 'z1', workloadLabels: ['app'] });
  expect(dp.metadata.annotations['kuma.io/workload']).toBe('web');
  expect(dp.metadata.labels['kuma.io/zone']).toBe('z1');
  // no Service selects it: the serviceless inbound
  expect(dp.spec.networking).toEqual({ admin: { port: 9901 }, inbound: [{ port: 49151, protocol: 'tcp' }] });
  expect(MeshAnalysis.trafficGraph(objects)).toBe('flowchart LR\n');
  expect(JSON.parse(MeshAnalysis.trafficGraph(objects, TrafficGraphFormat.JSON))).toEqual({ kumaVersion: '2.14', nodes: [], edges: [], findings: [] });
});

test('findings sit on their node or edge in the app\'s graph as in the command\'s (the broken set, Include-d in an app and as plain objects)', () => {
  const broken = path.join(__dirname, 'fixtures', 'graph-broken.yaml');
  const outdir = fresh();
  const app = new App({ outdir });
  KumaVersion.use(app, KumaVersion.V2_14);
  new Include(new Chart(app, 'set'), 'Broken', { url: broken });
  const graphFile = path.join(outdir, 'graph.md');
  new MeshAnalyzer(app, 'MeshAnalyzer', { graphFile, failOn: FindingSeverity.WARNING, ignore: ['KUMA030', 'KUMA026', 'KUMA040', 'KUMA011', 'KUMA013'] });
  app.synth();
  expect(fs.readFileSync(graphFile, 'utf8')).not.toContain('⚠');
  const withFindings = new App({ outdir: fresh() });
  KumaVersion.use(withFindings, KumaVersion.V2_14);
  new Include(new Chart(withFindings, 'set'), 'Broken', { url: broken });
  new MeshAnalyzer(withFindings, 'MeshAnalyzer', { graphFile, severities: { KUMA030: FindingSeverity.WARNING } });
  withFindings.synth();
  const md = fs.readFileSync(graphFile, 'utf8');
  expect(md).toContain('  route_shop_shop -->|"port 8080<br/>⚠ KUMA030"| svc_shop_orders\n');
  expect(md).toContain('  route_shop_shop -->|"port 80<br/>MeshTimeout edge/kong-to-web<br/>⚠ KUMA026 KUMA040"| svc_shop_web\n');
  expect(md).not.toContain('obj_Ingress');
  const objects = parseAllDocuments(fs.readFileSync(broken, 'utf8')).map((d) => d.toJSON());
  const text = MeshAnalysis.trafficGraph(objects, TrafficGraphFormat.MERMAID, { version: KumaVersion.V2_14 });
  expect(text).toContain('  route_shop_shop -->|"port 8080<br/>⚠ KUMA030"| svc_shop_orders\n');
  expect(text).not.toContain('obj_Ingress');
});

test('graphFile: SVG is the command line\'s; a .md file holds Mermaid only', () => {
  expect(() => new MeshAnalyzer(new App({ outdir: fresh() }), 'A', { graphFile: 'predictions/g.svg' }))
    .toThrow('A: graphFile "predictions/g.svg" is an SVG file, which the analyzer does not draw. Draw SVG with the command line (cdk8s-kuma graph --format svg), or write a .md, .mmd, .dot or .json file.');
  expect(() => new MeshAnalyzer(new App({ outdir: fresh() }), 'A', { graphFile: 'predictions/g.md', graphFormat: TrafficGraphFormat.DOT }))
    .toThrow('A: graphFile "predictions/g.md" is a markdown file, which holds a Mermaid graph, not dot. Use graphFormat MERMAID, or a .dot file.');
});
