/**
 * Migration lint: `cdk8s-kuma lint --kuma-version 3.0` on 2.x manifests reports every 3.x blocker
 * with its own rule (KUMA014 - KUMA019, plus KUMA007/KUMA010/KUMA013 that apply to 3.x too), no
 * KUMA009 (a 2.x identity prediction), and `--fix` rewrites the mechanical ones so that only
 * findings that need a decision remain (kumahq/kuma#18662; annotations.go v2.14.3 vs 348b6528bc; Kuma's UPGRADE.md for 3.0).
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { runLint } from './support/run-lint';
import { tempDirs } from './support/temp-dirs';
import { validateManifests } from './support/validate';

const FIXTURE = path.join(__dirname, 'fixtures', 'migration', 'kuma-2x.yaml');
const KONG_CHART = path.join(__dirname, '..', 'examples', 'helm', 'kong-ingress.yaml');

const run = runLint;

const fresh = tempDirs('migrate');
function copy(file: string): string {
  const to = path.join(fresh(), path.basename(file));
  fs.copyFileSync(file, to);
  return to;
}

const ids = (json: string) => JSON.parse(json).findings.map((f: any) => `${f.ruleId} ${f.object}`);

describe('lint --kuma-version 3.0 on 2.x manifests', () => {
  test('reports every 3.x blocker, each with its own rule', () => {
    const r = run('lint', '--json', '--kuma-version', '3.0', FIXTURE);
    expect(r.status).toBe(1);
    expect(ids(r.stdout)).toEqual([
      'KUMA037 MeshTrafficPermission shop/kong-to-web',
      'KUMA040 MeshTimeout kong/kong-to-web',
      'KUMA014 Deployment kong/kong',
      'KUMA019 Deployment kong/kong',
      'KUMA018 Mesh default',
      'KUMA018 Mesh default',
      'KUMA015 MeshTrafficPermission shop/kong-to-web',
      'KUMA016 MeshTimeout kong/kong-to-web',
      'KUMA017 MeshTimeout kong/kong-to-web',
      'KUMA017 MeshTimeout kong/kong-to-web',
    ]);
    const byId = Object.fromEntries(JSON.parse(r.stdout).findings.reverse().map((f: any) => [f.ruleId, f]));
    expect(byId.KUMA014.message).toBe('carries kuma.io/gateway: "enabled", which Kuma 3.0 removed (kumahq/kuma#18662): its pods become ordinary Dataplanes whose inbound traffic the sidecar takes');
    expect(byId.KUMA014.fix).toBe('Replace it with traffic.kuma.io/exclude-inbound-ports: "8000,8443" (its container ports), and mark its Services kuma.io/ignore: "true" unless they are mesh destinations.');
    expect(byId.KUMA017.message).toBe('names to[0].targetRef by name (web_shop_svc_80), which Kuma 3.0\'s CRD prunes: the policy silently loses this target');
    // the same files for 2.14: none of these
    expect(ids(run('lint', '--json', FIXTURE).stdout).filter((id: string) => /KUMA01[4-9]/.test(id))).toEqual([]);
  });

  test('--fix rewrites the mechanical blockers; what needs a decision remains; the result is valid for 3.0', () => {
    const file = copy(FIXTURE);
    const fixed = run('lint', '--kuma-version', '3.0', '--fix', file);
    expect(fixed.stdout).toContain('FIXED KUMA014');
    const after = run('lint', '--json', '--kuma-version', '3.0', file);
    expect(ids(after.stdout)).toEqual([
      'KUMA037 MeshTrafficPermission shop/kong-to-web',
      'KUMA040 MeshTimeout kong/kong-to-web',
      'KUMA018 Mesh default',
      'KUMA018 Mesh default',
      'KUMA015 MeshTrafficPermission shop/kong-to-web',
    ]);
    const docs = parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJSON());
    const pod = docs.find((d) => d.kind === 'Deployment').spec.template.metadata.annotations;
    expect(pod).toEqual({
      'traffic.kuma.io/exclude-inbound-ports': '8000,8443',
      'kuma.io/reachable-backends': 'refs:\n- kind: MeshService\n  port: 80\n  labels:\n    "kuma.io/display-name": "web"\n    "k8s.kuma.io/namespace": "shop"\n',
    });
    const timeout = docs.find((d) => d.kind === 'MeshTimeout').spec;
    expect(timeout.targetRef).toEqual({ kind: 'Dataplane', labels: { 'app': 'kong', 'k8s.kuma.io/namespace': 'kong' } });
    expect(timeout.to.map((t: any) => t.targetRef)).toEqual([
      { kind: 'MeshService', labels: { 'kuma.io/display-name': 'web', 'k8s.kuma.io/namespace': 'shop' }, sectionName: 'http' },
      { kind: 'MeshService', labels: { 'kuma.io/display-name': 'orders', 'k8s.kuma.io/namespace': 'shop' }, sectionName: 'grpc' },
    ]);
    // the rewritten MeshTimeout passes the 3.0 CRD with nothing pruned
    expect(validateManifests([docs.find((d) => d.kind === 'MeshTimeout')], '3.0')).toEqual([]);
    // the file's comments are kept
    expect(fs.readFileSync(file, 'utf8')).toContain('# A Kuma 2.14 setup as a GitOps repository holds it');
  });

  test('Kong\'s chart output: exits 1 naming kuma.io/gateway, no KUMA009; --fix leaves no KUMA014', () => {
    const r = run('lint', '--json', '--kuma-version', '3.0', KONG_CHART);
    expect(r.status).toBe(1);
    const found = ids(r.stdout);
    expect(found).toContain('KUMA014 Deployment kong/kong-gateway');
    expect(found.some((f: string) => f.startsWith('KUMA009'))).toBe(false);
    const file = copy(KONG_CHART);
    run('lint', '--kuma-version', '3.0', '--fix', file);
    const after = ids(run('lint', '--json', '--kuma-version', '3.0', file).stdout);
    expect(after.filter((f: string) => f.startsWith('KUMA014'))).toEqual([]);
    const gateway = parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJSON())
      .find((d) => d?.kind === 'Deployment' && d.metadata.name === 'kong-gateway').spec.template.metadata.annotations;
    expect(gateway['kuma.io/gateway']).toBeUndefined();
    expect(gateway['traffic.kuma.io/exclude-inbound-ports']).toBe('8444,8000,8443,8100');
  });
});
