/**
 * The conformance suites: each of Kuma's fixture cases, the library's prediction for its input and
 * Kuma's golden output, or the reason the case is out of scope. The *.test.ts files beside this
 * one assert agreement; conformance-table.test.ts checks the README's table against the counts.
 */
import { isDeepStrictEqual } from 'util';
import { ApiObject, Chart, Testing } from 'cdk8s';
import { fixtureYaml, goCases, LINES, Verdict } from './kuma-fixtures';
import { DelegatedGateway, KumaAnnotation, KumaVersion, MeshNamespace } from '../../src';
import { sidecarAnnotationProblem } from '../../src/kuma/_gateway-pod-rules';
import { capabilitiesOf, unreadKeyReason } from '../../src/kuma/_kuma-capabilities';
import { predictDataplane } from '../../src/model/_dataplane';
import { dataplaneLabels } from '../../src/model/_dataplane-labels';
import { predictMeshServices } from '../../src/model/_mesh-service';

/** One case: its verdict and, when checked, what Kuma did and what the library predicts. */
export interface ConformanceCase {
  readonly name: string;
  readonly verdict: Verdict;
  readonly kuma?: unknown;
  readonly library?: unknown;
}

const out = (reason: string): Verdict => ({ checked: false, reason });
const CHECKED: Verdict = { checked: true };

// ---------------------------------------------------------------------------------------------
// Pod -> Dataplane converter (pod_converter_test.go, "should convert Pod into a Dataplane ...")

/** `NameExtractor` over the case's ReplicaSets: the pod's Deployment, ReplicaSet, other owner, or itself. */
function workloadOf(line: string, pod: any, replicaSetsFile?: string): { name: string; isDeployment: boolean } {
  const owner = (pod.metadata?.ownerReferences ?? [])[0];
  if (owner === undefined) return { name: pod.metadata?.name, isDeployment: false };
  if (owner.kind === 'ReplicaSet' && replicaSetsFile !== undefined) {
    const rs = fixtureYaml(line, replicaSetsFile).find((r) => r.metadata?.name === owner.name);
    const rsOwner = (rs?.metadata?.ownerReferences ?? [])[0];
    if (rsOwner?.kind === 'Deployment') return { name: rsOwner.name, isDeployment: true };
  }
  return { name: owner.name, isDeployment: false };
}

function podConverterVerdict(line: string, c: { strings: Record<string, string>; lists: Record<string, string[]> }): Verdict {
  const s = c.strings;
  if (s.node !== undefined || c.lists.nodeLabelsToCopy !== undefined) {
    return out('node labels: copied from the Node object, which manifests do not have');
  }
  if (s.expectedErr !== undefined) return out('zone proxies: zone ingress/egress listeners are not modelled');
  const pod = fixtureYaml(line, s.pod)[0];
  const services = s.servicesForPod === undefined ? [] : fixtureYaml(line, s.servicesForPod);
  const podKeys = [...Object.keys(pod.metadata?.labels ?? {}), ...Object.keys(pod.metadata?.annotations ?? {})];
  if (podKeys.some((k) => k === 'kuma.io/ingress' || k === 'kuma.io/egress' || k === 'k8s.kuma.io/zone-proxy-type')
    || services.some((svc) => svc.metadata?.labels?.['k8s.kuma.io/zone-proxy-type'] !== undefined)) {
    return out('zone proxies: zone ingress/egress listeners are not modelled');
  }
  return CHECKED;
}

/** The parts of a Dataplane the library predicts, from Kuma's golden Dataplane (its labels where the version's are predicted). */
function goldenDataplane(dataplane: any, labels: boolean): any {
  const net = dataplane.spec?.networking ?? {};
  const meta = labels ? { mesh: dataplane.mesh, labels: dataplane.metadata?.labels ?? {} } : {};
  if (net.gateway !== undefined) return { ...meta, gateway: { tags: net.gateway.tags ?? {} } };
  return {
    ...meta,
    inbounds: (net.inbound ?? []).map((i: any) => ({
      port: i.port, ...i.name === undefined ? {} : { name: i.name }, protocol: i.protocol, tags: i.tags ?? {},
    })),
  };
}

export function podConverterCases(line: string): ConformanceCase[] {
  const version = LINES.find((l) => l.line === line)!.version;
  return goCases(line, 'pod_converter_test.go.txt', 'should convert Pod into a Dataplane').map((c) => {
    const verdict = podConverterVerdict(line, c);
    if (!verdict.checked) return { name: c.name, verdict };
    const s = c.strings;
    const pod = fixtureYaml(line, s.pod)[0];
    const services = s.servicesForPod === undefined ? [] : fixtureYaml(line, s.servicesForPod);
    const predicted = predictDataplane(pod, services, {
      zone: 'zone-1', // the Go test's PodConverter{Zone: "zone-1"}
      inboundTags: capabilitiesOf(version).inboundTags && !c.booleans.inboundTagsDisabled,
      workload: workloadOf(line, pod, s.otherReplicaSets),
    });
    const rules = capabilitiesOf(version).dataplaneLabels;
    // the mesh as the converter's caller gives it: the pod's kuma.io/mesh label or annotation, else default
    const mesh = pod.metadata?.labels?.['kuma.io/mesh'] ?? pod.metadata?.annotations?.['kuma.io/mesh'] ?? 'default';
    const meta = rules === undefined ? {} : {
      mesh,
      labels: dataplaneLabels(pod, {
        rules,
        name: pod.metadata?.name,
        mesh,
        // the Go test's PodConverter sets Zone "zone-1" and no Mode
        zone: 'zone-1',
        workloadLabels: c.lists.workloadLabels,
        existing: s.existingDataplane === undefined ? undefined : fixtureYaml(line, s.existingDataplane)[0]?.metadata?.labels,
      }),
    };
    const library = predicted.gateway !== undefined ? { ...meta, gateway: predicted.gateway }
      : { ...meta, inbounds: (predicted.inbounds ?? []).map(({ service: _s, ...i }) => i) };
    return { name: c.name, verdict, kuma: goldenDataplane(fixtureYaml(line, s.dataplane)[0], rules !== undefined), library };
  });
}

// ---------------------------------------------------------------------------------------------
// NameExtractor (pod_converter_test.go, "should infer name based on the resource type"): the
// name of the serviceless inbound's kuma.io/service.

export function servicelessNameCases(line: string): ConformanceCase[] {
  const dir = 'controllers/testdata/serviceless';
  return goCases(line, 'pod_converter_test.go.txt', 'should infer name based on the resource type').map((c) => {
    const s = c.strings;
    const pod = fixtureYaml(line, s.pod, dir)[0];
    const owner = (pod.metadata?.ownerReferences ?? [])[0];
    // Kuma follows a pod's Job to its CronJob and its ReplicaSet to its Deployment.
    const parentOf = (file: string | undefined) => {
      const obj = file === undefined ? undefined : fixtureYaml(line, file, dir).find((o) => o.metadata?.name === owner?.name);
      return (obj?.metadata?.ownerReferences ?? [])[0];
    };
    const parent = owner?.kind === 'ReplicaSet' ? parentOf(s.replicaSets) : owner?.kind === 'Job' ? parentOf(s.jobs) : undefined;
    const predicted = predictDataplane(pod, [], {
      inboundTags: true,
      workload: { name: parent?.name ?? owner?.name ?? pod.metadata?.name, isDeployment: parent?.kind === 'Deployment' },
    });
    return {
      name: c.name,
      verdict: CHECKED,
      kuma: `${s.expectedName}_${pod.metadata?.namespace}_svc`,
      library: predicted.inbounds?.[0].tags['kuma.io/service'],
    };
  });
}

// ---------------------------------------------------------------------------------------------
// MeshService controller (meshservice_controller_test.go, "should reconcile service"): the
// Service demo/example and the cluster objects beside it.

export function meshServiceCases(line: string): ConformanceCase[] {
  const version = LINES.find((l) => l.line === line)!.version;
  const dir = 'controllers/testdata/meshservice';
  return goCases(line, 'meshservice_controller_test.go.txt', 'should reconcile service').map((c) => {
    const objects = fixtureYaml(line, c.strings.inputFile, dir);
    const kind = (k: string) => objects.filter((o) => o.kind === k);
    const service = kind('Service').find((o) => o.metadata?.name === 'example' && o.metadata?.namespace === 'demo');
    // The pods behind the Service are its EndpointSlices' targets (a Pod object where the case has one).
    const endpointPods: string[] = kind('EndpointSlice').flatMap((e) => (e.endpoints ?? []).map((x: any) => x.targetRef?.name));
    const pods = endpointPods.map((name) => kind('Pod').find((p) => p.metadata?.name === name) ?? { metadata: { name, namespace: 'demo' } });
    const caps = capabilitiesOf(version);
    const predicted = predictMeshServices(service, {
      namespace: kind('Namespace').find((n) => n.metadata?.name === 'demo'),
      meshes: new Map(kind('Mesh').map((m) => [m.metadata?.name, m])),
      pods,
      inboundTags: caps.inboundTags && !c.booleans.inboundTagsDisabled,
      meshServicesMode: caps.inboundTags,
    });
    // Kuma's output: the MeshServices of the namespace after the reconcile, less those the input
    // already had unchanged (a skipped Service leaves them alone).
    const before = new Set(kind('MeshService').map((m) => JSON.stringify([m.metadata?.name, m.spec])));
    const after = (fixtureYaml(line, c.strings.outputFile, dir)[0]?.items ?? [])
      .filter((m: any) => !before.has(JSON.stringify([m.metadata?.name, m.spec])));
    const headless = service?.spec?.clusterIP === 'None';
    // Per-pod names of a headless Service end in a hash of Kuma's own; their pods are compared instead.
    const shape = (m: { name?: string; pod?: string; labels: Record<string, string>; ports: unknown; selector?: unknown }) => ({
      ...headless ? { pod: m.pod } : { name: m.name },
      labels: Object.fromEntries(['kuma.io/mesh', 'k8s.kuma.io/service-name', 'k8s.kuma.io/is-headless-service', 'kuma.io/managed-by']
        .map((k) => [k, m.labels?.[k]])),
      ports: m.ports,
      ...headless ? {} : { selector: m.selector },
    });
    const kuma = after.map((m: any) => shape({
      name: m.metadata?.name,
      pod: m.spec?.selector?.dataplaneRef?.name?.replace(/\.demo$/, ''),
      labels: m.metadata?.labels,
      ports: m.spec?.ports,
      selector: m.spec?.selector,
    }));
    return { name: c.name, verdict: CHECKED, kuma, library: predicted.meshServices.map(shape) };
  });
}

// ---------------------------------------------------------------------------------------------
// Sidecar injector (injector_test.go): pods Kuma injects, refuses or leaves alone.

/** The pod annotations the library writes on a gateway (DelegatedGateway's options). */
const WRITTEN_KEYS = [
  KumaAnnotation.SIDECAR_ENV_VARS, KumaAnnotation.SIDECAR_DRAIN_TIME, KumaAnnotation.ENVOY_ADMIN_PORT, KumaAnnotation.EXCLUDE_OUTBOUND_PORTS,
  KumaAnnotation.EXCLUDE_OUTBOUND_IPS, KumaAnnotation.REACHABLE_SERVICES, KumaAnnotation.REACHABLE_BACKENDS, KumaAnnotation.CONTAINER_PATCHES,
  KumaAnnotation.SERVICE_ACCOUNT_TOKEN_VOLUME, KumaAnnotation.ENVOY_LOG_LEVEL, KumaAnnotation.ENVOY_COMPONENT_LOG_LEVEL,
  KumaAnnotation.SIDECAR_PROXY_CONCURRENCY, KumaAnnotation.WAIT_FOR_DATAPLANE_READY, KumaAnnotation.INIT_FIRST,
];

/**
 * Adopts a pod Kuma's injector received as a delegated gateway of `version`, the way a chart's
 * Deployment is adopted: `true` if the library accepts it, else its error.
 */
function adoptAsGateway(pod: any, version: KumaVersion): true | string {
  try {
    const app = Testing.app();
    KumaVersion.use(app, version);
    const chart = new Chart(app, 'injector');
    // The Go test's namespace: "default", labelled kuma.io/sidecar-injection: enabled.
    const ns = new MeshNamespace(chart, 'Ns', { metadata: { name: 'default' } });
    const labels = { ...pod.metadata?.labels, 'app.kubernetes.io/name': 'injected' };
    const deployment = new ApiObject(chart, 'Pod', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: pod.metadata?.name ?? 'pod', namespace: 'default' },
      spec: { selector: { matchLabels: { 'app.kubernetes.io/name': 'injected' } }, template: { metadata: { ...pod.metadata, labels, namespace: undefined, name: undefined }, spec: pod.spec } },
    } as any);
    DelegatedGateway.adopt(deployment, { namespace: ns });
    process.env.CDK8S_KUMA_QUIET = '1';
    Testing.synth(chart);
    return true;
  } catch (e: any) {
    return String(e.message ?? e);
  }
}

export function injectorCases(line: string): ConformanceCase[] {
  const version = LINES.find((l) => l.line === line)!.version;
  const dir = 'webhooks/injector/testdata';
  const cases: ConformanceCase[] = [];
  for (const c of goCases(line, 'injector_test.go.txt', 'should inject Kuma into a Pod')) {
    const pod = fixtureYaml(line, `inject.${c.strings.num}.input.yaml`, dir)[0];
    const annotations: Record<string, string> = pod.metadata?.annotations ?? {};
    if (annotations[KumaAnnotation.GATEWAY] !== undefined && version.atLeast(3, 0)) {
      cases.push({ name: c.name, verdict: out('superseded: Kuma 3.x removed kuma.io/gateway after this snapshot (kumahq/kuma#18662), and the 3.0 target follows the removal') });
      continue;
    }
    if (annotations[KumaAnnotation.GATEWAY] !== undefined) {
      // Kuma injects this gateway pod: the library must accept it as a gateway.
      cases.push({ name: c.name, verdict: CHECKED, kuma: true, library: adoptAsGateway(pod, version) });
      continue;
    }
    const written = WRITTEN_KEYS.filter((k) => annotations[k] !== undefined);
    if (written.length === 0) {
      cases.push({ name: c.name, verdict: out('no gateway: the pod is not a gateway and has none of the annotations the library writes') });
      continue;
    }
    // Kuma reads these values: the library's rules for them must accept them too.
    cases.push({
      name: c.name,
      verdict: CHECKED,
      kuma: written.map((k) => `${k}: accepted`),
      library: written.map((k) => `${k}: ${sidecarAnnotationProblem(k, annotations[k]) ?? unreadKeyReason(version, k) ?? 'accepted'}`),
    });
  }
  for (const c of goCases(line, 'injector_test.go.txt', 'should not inject Kuma into a Pod')) {
    cases.push({ name: c.name, verdict: out('no injection: pods Kuma leaves alone (opt-outs, exceptions) are not gateways the library builds') });
  }
  for (const c of goCases(line, 'injector_test.go.txt', 'should fail w/error')) {
    const pod = fixtureYaml(line, `inject.shouldfail.${c.strings.num}.input.yaml`, dir)[0];
    const uids = (pod.spec?.containers ?? []).map((x: any) => x.securityContext?.runAsUser).filter((u: any) => u !== undefined);
    cases.push({
      name: c.name,
      verdict: c.strings.num === '1'
        ? out('cluster state: which ContainerPatches exist in the control plane namespace is not in the manifests')
        : out(`unclear fixture: Kuma expects an error, but the runAsUser ${uids.join(', ')} is not the configured sidecar UID 5678, so the input does not show the failing check (the UID rule is tested from injector.go instead)`),
    });
  }
  return cases;
}

/** Every suite, by name. */
export const SUITES: [string, (line: string) => ConformanceCase[]][] = [
  ['pod -> Dataplane converter', podConverterCases],
  ['serviceless name', servicelessNameCases],
  ['MeshService controller', meshServiceCases],
  ['sidecar injector', injectorCases],
];

const plain = (x: unknown) => JSON.parse(JSON.stringify(x ?? null));

/** The README's conformance table rows, from the suites. */
export function conformanceRows(): string[] {
  const rows: string[] = [];
  for (const [suite, cases] of SUITES) {
    for (const { line } of LINES) {
      const all = cases(line);
      const checked = all.filter((c) => c.verdict.checked);
      const agree = checked.filter((c) => isDeepStrictEqual(plain(c.library), plain(c.kuma)));
      const reasons = new Map<string, number>();
      for (const c of all) {
        if (!c.verdict.checked) {
          const key = c.verdict.reason.split(':')[0];
          reasons.set(key, (reasons.get(key) ?? 0) + 1);
        }
      }
      const outOfScope = [...reasons].map(([r, n]) => `${r}: ${n}`).join('; ') || 'none';
      rows.push(`| ${suite} | ${line} | ${all.length} | ${checked.length}, ${agree.length} | ${outOfScope} |`);
    }
  }
  return rows;
}

