import { podMetadataPath, PodOwner } from '../../model/_manifests';
import { FindingSeverity } from '../finding';
import { injectedPods } from './_injected-pods';
import { EditOp, Report, RuleDefinition } from './rule';

/*
 * KUMA028: without Kuma CNI (the default install) the injector adds the `kuma-init` init container
 * with `runAsUser: 0`, `runAsGroup: 0` and no `runAsNonRoot` of its own (kumahq/kuma v2.14.3
 * pkg/plugins/runtime/k8s/webhooks/injector/testdata/inject.*.golden.yaml; the same on master). A
 * pod-level `securityContext.runAsNonRoot: true` applies to it, and the kubelet refuses to start a
 * container whose uid is 0 under it ("container's runAsUser breaks non-root policy"). With Kuma
 * CNI the injector adds `kuma-validation` instead, which runs as the sidecar's uid (5678).
 */

export const KUMA028: RuleDefinition = {
  id: 'KUMA028',
  name: 'pod-run-as-non-root',
  severity: FindingSeverity.ERROR,
  fixable: true,
  summary: 'Meshed pods set securityContext.runAsNonRoot: true at pod level: without Kuma CNI (the default install) Kuma\'s injector adds the kuma-init container as runAsUser 0, which the kubelet then refuses to start, so the pods never start.',
  rationale: 'Without Kuma CNI, Kuma\'s injector adds the `kuma-init` init container with `runAsUser: 0` and no `runAsNonRoot` of its own; a pod-level `runAsNonRoot: true` applies to it, the kubelet refuses to start a root container under it, and the pods never start.',
  restsOn: 'Reads the pod-level `securityContext` of meshed pods and delegated gateways on every `--kuma-version`. It assumes the control plane runs without Kuma CNI (Kuma\'s default) and says so; `--cni` (KumaControlPlane with `cni: true` in an app) silences it.',
  fix: 'Move `runAsNonRoot: true` from the pod\'s `securityContext` to each container\'s, or pass `--cni` if the control plane runs Kuma CNI; `cdk8s-kuma lint --fix` moves it.',
  exampleFlags: ['--kuma-version', '2.14'],
  sources: [
    'kumahq/kuma pkg/plugins/runtime/k8s/webhooks/injector/injector.go@v2.14.3',
    'kumahq/kuma pkg/plugins/runtime/k8s/webhooks/injector/testdata/inject.01.golden.yaml@v2.14.3',
    'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/',
  ],
  check: (ctx, report) => {
    for (const { pod, spec } of injectedPods(ctx)) nonRootFinding(pod, spec, ctx.cni?.(pod.manifest), report);
  },
};

function nonRootFinding(pod: PodOwner, spec: any, cni: boolean | undefined, report: Report): void {
  if (spec.securityContext?.runAsNonRoot !== true || cni === true) return;
  const m = pod.manifest;
  const specPath = [...podMetadataPath(m.obj)!.slice(0, -1), 'spec'];
  // the same rule for the pod's own containers, at container level, where kuma-init is not affected
  const ops: EditOp[] = [{ op: 'delete', path: [...specPath, 'securityContext', 'runAsNonRoot'] }];
  // a container securityContext that is not a mapping (hostile YAML) cannot take the value: no fix
  let editable = true;
  for (const group of ['initContainers', 'containers'] as const) {
    (Array.isArray(spec[group]) ? spec[group] : []).forEach((c: any, i: number) => {
      if (c === null || typeof c !== 'object') return;
      const sc = c.securityContext;
      if (sc === undefined || sc === null) {
        ops.push({ op: 'set', path: [...specPath, group, i, 'securityContext'], value: { runAsNonRoot: true } });
      } else if (typeof sc !== 'object' || Array.isArray(sc)) {
        editable = false;
      } else if (sc.runAsNonRoot === undefined) {
        ops.push({ op: 'set', path: [...specPath, group, i, 'securityContext', 'runAsNonRoot'], value: true });
      }
    });
  }
  const assumed = cni === undefined ? ' (this assumes the control plane runs without Kuma CNI, as Kuma and Kong Mesh install by default)' : '';
  report(m,
    `sets securityContext.runAsNonRoot: true for the whole pod, but Kuma's injector adds the kuma-init container as runAsUser 0 with no runAsNonRoot of its own, so the kubelet refuses to start it ("container's runAsUser breaks non-root policy") and the pods never start${assumed}`,
    {
      api: 'Set runAsNonRoot on each container instead of the pod (cdk8s-plus: securityContext: { ensureNonRoot: false } on the workload, whose containers keep their own; MeshAnalyzer fix mode moves it), or declare that the control plane runs Kuma CNI: KumaControlPlane.use(app, { cni: true }).',
      cli: 'Move runAsNonRoot: true from the pod\'s securityContext to each container\'s (cdk8s-kuma lint --fix moves it), or pass --cni if the control plane runs Kuma CNI.',
    },
    { at: ops[0].path, edit: editable ? { target: m, ops } : undefined });
}
