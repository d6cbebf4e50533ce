import * as fs from 'fs';
import * as path from 'path';
import * as cdk8s from 'cdk8s';
import { App, Chart, Duration, Include } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as plus33 from 'cdk8s-plus-33';
import * as ts from 'typescript';
import { MESHED_POD } from '../examples/shop-chart';
import * as lib from '../src';
import { FindingSeverity, MeshAnalysis } from '../src';
import { tempDirs } from './support/temp-dirs';
import { registerKongCrds, synthValid } from './support/validate';

/*
 * Every TypeScript block of the README runs, as a user would paste it into an app: jsii-rosetta
 * (npx projen rosetta) only compiles them. Each block gets the names rosetta/default.ts-fixture
 * gives it (an app, a chart, a meshed Service, a route, a gateway, ...), made for real and only
 * when the block uses them without declaring them; its output is then validated like any other
 * app's: the CRDs of the version it targets, and no error from the mesh rules.
 */

const README = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
const fresh = tempDirs('readme');

interface Block { readonly line: number; readonly code: string }

function blocks(): Block[] {
  const out: Block[] = [];
  const lines = README.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== '```ts') continue;
    const start = i + 1;
    let j = start;
    while (lines[j].trim() !== '```') j++;
    out.push({ line: start, code: lines.slice(start, j).join('\n') });
    i = j;
  }
  return out;
}

/** A Service of another team, as `Include` reads it (the ServiceUpstream block). */
const CATALOG = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: catalog\n  namespace: shop\nspec:\n  selector:\n    app: catalog\n  ports:\n    - port: 80\n';

/**
 * The names the rosetta fixture declares, made in an app whose output goes to `outdir`, for the
 * Kuma version a block's first comment names ("in an app on Kuma 3.0").
 */
function fixture(outdir: string, uses: (name: string) => boolean, version: lib.KumaVersion | undefined) {
  const app = new App({ outdir });
  if (version !== undefined) lib.KumaVersion.use(app, version);
  // objects a block does not place go to namespace shop, as an app's chart would put them in one
  const chart = new Chart(app, 'readme', { namespace: 'shop' });
  const names: Record<string, unknown> = { app, chart, shopChart: chart };
  const ns = () => (names.ns ??= new lib.MeshNamespace(chart, 'FixtureKongNamespace', { metadata: { name: 'kong' } })) as lib.MeshNamespace;
  const shop = () => (names.$shop ??= new lib.MeshNamespace(chart, 'FixtureShopNamespace', { metadata: { name: 'shop' } })) as lib.MeshNamespace;
  const workload = () => (names.workload ??= new kplus.Deployment(chart, 'FixtureWorkload', {
    metadata: { name: 'web', namespace: shop().name },
    podMetadata: { labels: { app: 'web' } },
    ...MESHED_POD,
    containers: [{ image: 'web:1.0', portNumber: 8080 }],
  })) as kplus.Deployment;
  const web = () => (names.web ??= new lib.MeshService(chart, 'FixtureService', {
    metadata: { name: 'web' },
    namespace: shop(),
    selector: workload(),
    ports: [{ port: 80, targetPort: 8080, name: 'http', appProtocol: lib.KumaProtocol.HTTP }],
  })) as lib.MeshService;
  const proxy = () => (names.proxy ??= new lib.DelegatedGatewayDeployment(chart, 'FixtureGateway', {
    metadata: { name: 'kong-gateway' },
    namespace: ns(),
    flavour: lib.GatewayFlavour.kong(),
    podMetadata: { labels: { 'app.kubernetes.io/name': 'kong-gateway' } },
    containers: [{ image: 'kong:3.9', portNumber: 8000 }],
  })) as lib.DelegatedGatewayDeployment;
  const ingress = () => {
    if (names.ingress === undefined) {
      const route = new kplus.Ingress(chart, 'FixtureIngress', { metadata: { name: 'shop', namespace: shop().name }, className: 'kong' });
      route.addRule('/', kplus.IngressBackend.fromService(web()));
      names.ingress = route;
    }
    return names.ingress;
  };
  if (uses('web')) web();
  if (uses('workload')) workload();
  if (uses('ingress')) ingress();
  if (uses('proxy')) proxy();
  if (uses('gw')) names.gw = proxy().gateway;
  if (uses('ns')) ns();
  // another zone's CA certificate (a test CA, openssl req -x509, EC P-256)
  if (uses('zoneBCaPem')) names.zoneBCaPem = fs.readFileSync(path.join(__dirname, 'fixtures', 'test-ca.pem'), 'utf8');
  return { app, names };
}

describe('README: every TypeScript block runs, and its output is valid', () => {
  const all = blocks();
  beforeAll(() => registerKongCrds());

  test('the README has its TypeScript blocks', () => {
    expect(all.length).toBeGreaterThanOrEqual(15);
  });

  test.each(all.map((b) => [b.line, b]))('the block at line %d', (_line, block) => {
    const dir = fresh();
    // the files the blocks name, where a user's app would have them
    fs.writeFileSync(path.join(dir, 'catalog.yaml'), CATALOG);
    fs.mkdirSync(path.join(dir, 'helm'));
    fs.copyFileSync(path.join(__dirname, '..', 'examples', 'helm', 'kong-ingress.yaml'), path.join(dir, 'helm', 'kong-ingress.yaml'));
    const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, removeComments: true };
    const js = ts.transpileModule(block.code, { compilerOptions }).outputText;
    // the fixture's names the block uses without declaring them (comments do not count)
    const declared = (name: string) => new RegExp(`\\b(const|let|var)\\s+${name}\\b`).test(js);
    const uses = (name: string) => new RegExp(`\\b${name}\\b`).test(js) && !declared(name);
    const versionNamed = /^\/\/ in an app on Kuma (\d+\.\d+)/.exec(block.code);
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const { app, names } = fixture(path.join(dir, 'fixture-out'), uses, versionNamed === null ? undefined : lib.KumaVersion.parse(versionNamed[1]));
      const modules: Record<string, unknown> = { 'cdk8s': cdk8s, 'cdk8s-plus-28': kplus, 'cdk8s-plus-33': plus33, 'cdk8s-kuma': lib };
      const given: Record<string, unknown> = {
        ...Object.fromEntries(Object.keys(lib).map((k) => [k, (lib as any)[k]])),
        App,
        Chart,
        Duration,
        Include,
        kplus,
        ...Object.fromEntries(Object.entries(names).filter(([k]) => !k.startsWith('$'))),
      };
      const params = Object.keys(given);
      const requireOf = (id: string) => {
        if (!(id in modules)) throw new Error(`README line ${block.line} imports ${id}, which the test does not provide`);
        return modules[id];
      };
      // the block runs in an inner block, so that its own declarations take precedence (as in rosetta's fixture)
      // eslint-disable-next-line @typescript-eslint/no-implied-eval
      new Function('require', 'exports', ...params, `{\n${js}\n}`)(requireOf, {}, ...params.map((p) => given[p]));
      const manifests = synthValid(app);
      // a namespace the block does not declare is taken as meshed: the README's workloads are meant for the mesh
      const declaredNs = new Set(manifests.filter((m) => m.kind === 'Namespace').map((m) => m.metadata.name));
      const namespaceLabels = Object.fromEntries(manifests.map((m) => m.metadata?.namespace).filter((n) => n !== undefined && !declaredNs.has(n))
        .map((n) => [n, { 'kuma.io/sidecar-injection': 'enabled' }]));
      const errors = MeshAnalysis.analyze(manifests, { namespaceLabels }).filter((f) => f.severity === FindingSeverity.ERROR);
      expect(errors.map((f) => `${f.ruleId} ${f.object}: ${f.message}`)).toEqual([]);
    } finally {
      process.chdir(cwd);
    }
  });
});
