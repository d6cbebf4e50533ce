/*
 * `cdk8s-kuma dataplanes` against Kuma's own pod converter fixtures (kumahq/kuma
 * pkg/plugins/runtime/k8s/controllers/pod_converter_test.go and testdata/, v2.14.3 and the 3.0
 * development commit 348b6528bc; copied in test/conformance/kuma with their NOTICE): each case's pod,
 * Services and ReplicaSets are written as manifests, the command predicts their Dataplane, and the
 * prediction must equal Kuma's golden Dataplane in every field it predicts.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fixtureYaml, goCases, LINES } from './kuma-fixtures';
import { dataplanes } from '../../src/analysis/lint/_dataplanes-command';
import { KumaVersion } from '../../src/kuma/kuma-version';

/** Why a case cannot go through the command, if it cannot. */
function outOfScope(line: string, c: ReturnType<typeof goCases>[number]): string | undefined {
  const s = c.strings;
  if (s.node !== undefined || c.lists.nodeLabelsToCopy !== undefined) return 'node labels: copied from the Node object, which manifests do not have';
  if (s.expectedErr !== undefined) return 'zone proxies: not modelled';
  if (s.existingDataplane !== undefined) return 'cluster state: the Dataplane Kuma made before is not in the manifests';
  const pod = fixtureYaml(line, s.pod)[0];
  const services = s.servicesForPod === undefined ? [] : fixtureYaml(line, s.servicesForPod);
  const keys = [...Object.keys(pod.metadata?.labels ?? {}), ...Object.keys(pod.metadata?.annotations ?? {})];
  if (keys.some((k) => ['kuma.io/ingress', 'kuma.io/egress', 'k8s.kuma.io/zone-proxy-type'].includes(k))
    || services.some((svc) => svc.metadata?.labels?.['k8s.kuma.io/zone-proxy-type'] !== undefined)) return 'zone proxies: not modelled';
  if (c.booleans.inboundTagsDisabled) return 'control plane setting: experimental.inboundTagsDisabled is not a flag of the command';
  const names = services.map((svc) => String(svc.metadata?.name));
  if (names.some((n, i) => i > 0 && Buffer.compare(Buffer.from(names[i - 1]), Buffer.from(n)) > 0)) {
    return 'Service order: the Go test hands the converter Services out of the name order findMatchingServices gives them in a cluster';
  }
  if (services.some((svc) => svc.metadata?.namespace !== pod.metadata?.namespace)) {
    return 'cross-namespace Service: the Go test hands the converter a Service of another namespace, which selects no pod of this one in a cluster';
  }
  if (line === '3.0-dev' && pod.metadata?.annotations?.['kuma.io/gateway'] !== undefined) {
    return 'superseded: Kuma 3.x removed kuma.io/gateway after this snapshot (kumahq/kuma#18662), and the 3.0 target follows the removal';
  }
  return undefined;
}

/** What the command predicts of Kuma's golden Dataplane: the cluster's fields (address, health, state, outbounds, probes) dropped. */
function predictable(golden: any, hasName: boolean): any {
  const net = { ...golden.spec?.networking };
  delete net.address;
  delete net.outbound;
  if (net.inbound !== undefined) net.inbound = net.inbound.map(({ health: _h, state: _s, ...i }: any) => i);
  const spec: any = { networking: net };
  if (golden.spec?.metrics !== undefined) spec.metrics = golden.spec.metrics;
  return {
    mesh: golden.mesh,
    labels: golden.metadata?.labels,
    ...hasName ? { name: golden.metadata?.name } : {},
    spec,
  };
}

/** A manifest of a fixture object: Kuma's testdata leave out apiVersion and kind. */
const as = (apiVersion: string, kind: string) => (o: any) => ({ apiVersion, kind, ...o });

function runCommand(args: string[]): { status: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const status = dataplanes(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
  return { status, stdout, stderr };
}

/** How many cases go through the command, and why the others cannot (a change here is a change of scope: say why). */
const OUT_OF_SCOPE: Record<string, unknown> = {
  '2.14': {
    all: 49,
    inScope: 24,
    reasons: { 'Service order': 1, 'cluster state': 1, 'control plane setting': 3, 'cross-namespace Service': 6, 'node labels': 3, 'zone proxies': 11 },
  },
  '3.0-dev': {
    all: 46,
    inScope: 18,
    reasons: { 'Service order': 1, 'cluster state': 1, 'cross-namespace Service': 7, 'node labels': 2, 'superseded': 6, 'zone proxies': 11 },
  },
};

const VERSION_OF: Record<string, KumaVersion> = { '2.14': KumaVersion.V2_14, '3.0-dev': KumaVersion.V3_0 };

describe.each(LINES.map((l) => l.line))('Kuma %s pod converter fixtures through cdk8s-kuma dataplanes', (line) => {
  const cases = goCases(line, 'pod_converter_test.go.txt', 'should convert Pod into a Dataplane');
  const inScope = cases.filter((c) => outOfScope(line, c) === undefined);
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dataplanes-conformance-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('the cases out of scope, by reason: each is a cluster fact or a setting the manifests do not carry', () => {
    const reasons: Record<string, number> = {};
    for (const c of cases) {
      const r = outOfScope(line, c);
      if (r !== undefined) reasons[r.split(':')[0]] = (reasons[r.split(':')[0]] ?? 0) + 1;
    }
    expect({ all: cases.length, inScope: inScope.length, reasons }).toEqual(OUT_OF_SCOPE[line]);
  });

  test.each(inScope.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const s = c.strings;
    const pod = fixtureYaml(line, s.pod)[0];
    const objects = [
      as('v1', 'Pod')(pod),
      // The Go test hands the converter the Services that select the pod (pod_controller.go
      // findMatchingServices, applied before): here each selects it by the pod's labels.
      ...(s.servicesForPod === undefined ? [] : fixtureYaml(line, s.servicesForPod))
        .map((svc) => ({ ...svc, spec: { ...svc.spec, selector: pod.metadata?.labels } }))
        .map(as('v1', 'Service')),
      // only the ReplicaSet that owns the pod (the others are other workloads' templates)
      ...(s.otherReplicaSets === undefined ? [] : fixtureYaml(line, s.otherReplicaSets))
        .filter((r) => r.metadata?.name === pod.metadata?.ownerReferences?.[0]?.name),
    ];
    const file = path.join(dir, `${c.name.replace(/[^a-z0-9]+/gi, '-')}.yaml`);
    fs.writeFileSync(file, objects.map((o) => JSON.stringify(o)).join('\n---\n'));
    const args = ['--no-config', '--kuma-version', VERSION_OF[line].toString(), '--zone', 'zone-1', '--as-injected', '--format', 'json',
      ...(c.lists.workloadLabels ?? []).flatMap((k) => ['--workload-label', k]), file];
    const r = runCommand(args);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const predicted = JSON.parse(r.stdout).dataplanes;
    expect(predicted).toHaveLength(1);
    const golden = fixtureYaml(line, s.dataplane)[0];
    const dp = predicted[0].dataplane;
    // The Go test runs the converter with no control plane mode; the command runs it as a zone
    // control plane's, which adds these three labels (test/dataplane-labels.test.ts).
    const zoneMode = { 'kuma.io/origin': 'zone', 'kuma.io/zone': 'zone-1', 'kuma.io/env': 'kubernetes' };
    const expected = predictable(golden, golden.metadata?.name !== undefined);
    expected.labels = { ...expected.labels, ...zoneMode };
    // The command prints the object as Kubernetes stores it, with the long-valued labels as
    // annotations (store.go SplitLabelsAndAnnotations, run by Kuma's defaulter webhook, which the
    // Go test does not run): to Kuma they are labels.
    const labels = { ...dp.metadata.labels, ...dp.metadata.annotations };
    const actual = { mesh: dp.mesh, labels, ...expected.name === undefined ? {} : { name: dp.metadata.name }, spec: dp.spec };
    expect(actual).toEqual(expected);
  });
});
