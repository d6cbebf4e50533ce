/*
 * `cdk8s-kuma graph`: the traffic graph of the bundled example and of a broken set, with every
 * finding of the lint on the node or edge it is about; the Mermaid text parsed by Mermaid's own
 * parser (as GitHub and GitLab read it) and the DOT drawn by Graphviz (@viz-js/viz, WebAssembly).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { synthExampleTree } from '../examples/app';
import { runLint } from './support/run-lint';
import { tempDirs } from './support/temp-dirs';
import { graph } from '../src/analysis/lint/_graph-command';
import { KumaVersion } from '../src/kuma/kuma-version';

const BROKEN = path.join(__dirname, 'fixtures', 'graph-broken.yaml');
const fresh = tempDirs('graph');

async function run(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await graph(['--no-config', ...args], { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
  return { status, stdout, stderr };
}

/** Mermaid's verdict on a text (test/support/parse-mermaid.mjs, a child process: Mermaid is ESM and wants a DOM). */
function mermaidParse(text: string): { ok: boolean; diagramType?: string; error?: string } {
  const r = spawnSync(process.execPath, [path.join(__dirname, 'support', 'parse-mermaid.mjs')], { input: text, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`parse-mermaid failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

async function graphviz(dot: string): Promise<{ status: string; errors: unknown[]; output?: string }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const viz = await require('@viz-js/viz').instance();
  return viz.render(dot, { format: 'svg' });
}

describe('a broken set: each finding on its node or edge', () => {
  test('Mermaid: gateway -> route -> Services, the policy on its edge, findings by rule id, colours by severity', async () => {
    const r = await run('--kuma-version', '2.14', BROKEN);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`flowchart LR
  gw_edge_kong[["Deployment edge/kong<br/>delegated gateway (Kong)<br/>meshed, mesh default<br/>⚠ KUMA011"]]
  route_shop_shop[/"Ingress shop/shop"/]
  svc_shop_web("Service shop/web")
  wl_shop_web["Deployment shop/web<br/>meshed, mesh default"]
  svc_shop_orders("Service shop/orders<br/>service-upstream")
  obj_Namespace_tools["Namespace tools<br/>⚠ KUMA013"]
  gw_edge_kong -->|"class kong"| route_shop_shop
  svc_shop_web -.->|"selects"| wl_shop_web
  route_shop_shop -->|"port 80<br/>MeshTimeout edge/kong-to-web<br/>⚠ KUMA026 KUMA040"| svc_shop_web
  route_shop_shop -->|"port 8080<br/>⚠ KUMA030"| svc_shop_orders
  classDef error fill:#fde2e1,stroke:#c62828,color:#000
  classDef warning fill:#fff4d6,stroke:#b26a00,color:#000
  class gw_edge_kong,obj_Namespace_tools warning
  linkStyle 2 stroke:#b26a00,stroke-width:2px
  linkStyle 3 stroke:#c62828,stroke-width:2px
`);
    expect(mermaidParse(r.stdout)).toEqual({ ok: true, diagramType: 'flowchart-v2' });
  });

  test('JSON: every finding of the lint, each on the node or edge it is about', async () => {
    const g = JSON.parse((await run('--kuma-version', '2.14', '--format', 'json', BROKEN)).stdout);
    const lint = runLint('--no-config', '--kuma-version', '2.14', '--format', 'json', BROKEN);
    const lintIds = JSON.parse(lint.stdout).findings.map((f: any) => `${f.ruleId} ${f.object}`).sort();
    expect(g.findings.map((f: any) => `${f.ruleId} ${f.object}`).sort()).toEqual(lintIds);
    const on = (f: any) => (f.node !== undefined ? f.node : `${g.edges[f.edge].from} -> ${g.edges[f.edge].to}`);
    expect(Object.fromEntries(g.findings.map((f: any) => [f.ruleId, on(f)]))).toEqual({
      // the gateway lists no reachable services: the gateway
      KUMA011: 'gw_edge_kong',
      // a misspelt key on a Namespace the graph has no other use for: a node of its own
      KUMA013: 'obj_Namespace_tools',
      // no permission lets the gateway into shop/web (mTLS): the edge of that backend
      KUMA026: 'route_shop_shop -> svc_shop_web',
      // an HTTP timeout on a TCP port: the edge the MeshTimeout is on
      KUMA040: 'route_shop_shop -> svc_shop_web',
      // the route's port 8080 is not one of shop/orders': the edge of that backend, not the other one
      KUMA030: 'route_shop_shop -> svc_shop_orders',
    });
    expect(g.edges[2].policies).toEqual([{ kind: 'MeshTimeout', name: 'edge/kong-to-web' }]);
  });

  test('DOT: drawn by Graphviz; the same input gives the same bytes', async () => {
    const dot = (await run('--kuma-version', '2.14', '--format', 'dot', BROKEN)).stdout;
    expect(dot).toBe((await run('--kuma-version', '2.14', '--format', 'dot', BROKEN)).stdout);
    expect(dot).toContain('  route_shop_shop -> svc_shop_orders [label="port 8080\\nfinding KUMA030", color="#c62828", fontcolor="#c62828", penwidth=2];\n');
    const drawn = await graphviz(dot);
    expect(drawn.errors).toEqual([]);
    expect(drawn.status).toBe('success');
  });

  test('--format svg: Graphviz\'s SVG, nothing to install', async () => {
    const r = await run('--kuma-version', '2.14', '--format', 'svg', BROKEN);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8" standalone="no"\?>\n<!DOCTYPE svg/);
    expect(r.stdout).toContain('Deployment edge/kong');
  });

  test('--ignore leaves a rule out of the graph as out of the lint; a dataplanes-only flag names its command', async () => {
    expect((await run('--kuma-version', '2.14', '--ignore', 'KUMA030', BROKEN)).stdout).not.toContain('KUMA030');
    const r = await run('--zone', 'z', BROKEN);
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('cdk8s-kuma: --zone is an option of cdk8s-kuma dataplanes, not of graph');
  });
});

describe('the bundled example', () => {
  let tree: string;
  beforeAll(() => {
    tree = fresh();
    synthExampleTree(tree, KumaVersion.V2_14);
  });

  test('the edge cluster: both gateways, their routes, the permission, timeout and retry on the edges, no finding; Mermaid parses it', async () => {
    const r = await run('--kuma-version', '2.14', path.join(tree, 'edge'));
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain('⚠');
    expect(r.stdout).toContain('  route_shop_shop -->|"port 80<br/>MeshTrafficPermission shop/kong-to-web (Allow)<br/>MeshTimeout kong/kong-to-web<br/>MeshRetry kong/kong-to-web"| svc_shop_web\n');
    expect(mermaidParse(r.stdout)).toEqual({ ok: true, diagramType: 'flowchart-v2' });
  });

  test('Kuma 3.0: each permission on the edge says which SPIFFE IDs it allows, for the reviewer to match with the gateway\'s', async () => {
    const tree3 = fresh();
    synthExampleTree(tree3, KumaVersion.V3_0);
    const r = await run('--kuma-version', '3.0', path.join(tree3, 'edge'));
    expect(r.stdout).toContain('MeshTrafficPermission shop/kong-to-web (allows spiffe://default.edge.mesh.local/ns/kong/sa/kong-gateway)');
    expect(mermaidParse(r.stdout)).toEqual({ ok: true, diagramType: 'flowchart-v2' });
  });

  test('the README shows the edge cluster\'s graph as the command draws it', async () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    const block = readme.match(/<!-- graph of the example: generated, checked by test\/graph-command\.test\.ts -->\n```mermaid\n([\s\S]*?)```\n/);
    expect(block).not.toBeNull();
    expect(block![1]).toBe((await run('--kuma-version', '2.14', path.join(tree, 'edge'))).stdout);
  });
});
