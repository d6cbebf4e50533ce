import type { EditOp, FixText } from './_rules';
import { FindingSeverity } from './finding';
import { KumaCapabilities } from '../kuma/_kuma-capabilities';
import { KumaAnnotation } from '../kuma/well-known';
import { describe, Manifest, ManifestIndex, PodOwner, podMetadataPath, podTemplateOf } from '../model/_manifests';

/*
 * What keeps a meshed pod from starting once Kuma's injector has changed it.
 *
 * KUMA028: without Kuma CNI (the default install) the injector adds the `kuma-init` init container
 * with `runAsUser: 0`, `runAsGroup: 0` and no `runAsNonRoot` of its own (kumahq/kuma v2.14.3
 * pkg/plugins/runtime/k8s/webhooks/injector/testdata/inject.*.golden.yaml; the same on master). A
 * pod-level `securityContext.runAsNonRoot: true` applies to it, and the kubelet refuses to start a
 * container whose uid is 0 under it ("container's runAsUser breaks non-root policy"). With Kuma
 * CNI the injector adds `kuma-validation` instead, which runs as the sidecar's uid (5678).
 *
 * KUMA029: the injector always points kuma-dp at the service-account token
 * (`KUMA_DATAPLANE_RUNTIME_TOKEN_PATH=/var/run/secrets/kubernetes.io/serviceaccount/token`,
 * kumahq/kuma v2.14.3 pkg/plugins/runtime/k8s/containers/factory.go) and mounts into the sidecar
 * the token volume it finds: the one `kuma.io/service-account-token-volume` names, else the first
 * app container's mount at /var/run/secrets/kubernetes.io/serviceaccount (injector.go
 * FindServiceAccountToken). Without one, kuma-dp exits: "dataplane token is invalid, in Kubernetes
 * you must mount a serviceAccount token" (app/kuma-dp/cmd/context.go).
 */

type Emit = (id: string, severity: FindingSeverity, m: Manifest, message: string, fix: FixText, edit?: { target: Manifest; ops: EditOp[] }) => void;

/** Where the service-account admission plugin mounts the token, and where Kuma's injector looks for it. */
const TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

/** Whether the control plane of a manifest's cluster runs Kuma CNI, when something says so. */
export type CniOf = (m: Manifest) => boolean | undefined;

/** KUMA028 and KUMA029 for every pod Kuma injects (meshed pods and delegated gateways). */
export function podStartFindings(index: ManifestIndex, caps: KumaCapabilities, cniOf: CniOf | undefined, emit: Emit): void {
  for (const pod of index.pods) {
    if (index.meshed(pod) !== true && !index.isGateway(pod, caps)) continue;
    const spec = podTemplateOf(pod.manifest.obj)?.spec;
    if (spec === null || typeof spec !== 'object') continue;
    nonRootFinding(pod, spec, cniOf?.(pod.manifest), emit);
    tokenFinding(index, pod, spec, emit);
  }
}

function nonRootFinding(pod: PodOwner, spec: any, cni: boolean | undefined, emit: Emit): void {
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
  emit('KUMA028', FindingSeverity.ERROR, m,
    `sets securityContext.runAsNonRoot: true for the whole pod, but Kuma's injector adds the kuma-init container as runAsUser 0 with no runAsNonRoot of its own, so the kubelet refuses to start it ("container's runAsUser breaks non-root policy") and the pods never start${assumed}`,
    {
      api: 'Set runAsNonRoot on each container instead of the pod (cdk8s-plus: securityContext: { ensureNonRoot: false } on the workload, whose containers keep their own; MeshAnalyzer fix mode moves it), or declare that the control plane runs Kuma CNI: KumaControlPlane.use(app, { cni: true }).',
      cli: 'Move runAsNonRoot: true from the pod\'s securityContext to each container\'s (cdk8s-kuma lint --fix moves it), or pass --cni if the control plane runs Kuma CNI.',
    },
    editable ? { target: m, ops } : undefined);
}

function tokenFinding(index: ManifestIndex, pod: PodOwner, spec: any, emit: Emit): void {
  if (pod.annotations[KumaAnnotation.SERVICE_ACCOUNT_TOKEN_VOLUME] !== undefined) return;
  const containers: any[] = Array.isArray(spec.containers) ? spec.containers : [];
  if (containers.some((c) => (Array.isArray(c?.volumeMounts) ? c.volumeMounts : []).some((v: any) => v?.mountPath === TOKEN_MOUNT_PATH))) return;
  const accountName = String(spec.serviceAccountName ?? spec.serviceAccount ?? 'default');
  const account = index.serviceAccount(pod.namespace, accountName);
  // the pod's own setting wins over its ServiceAccount's (Kubernetes' ServiceAccount admission)
  let why: string;
  if (spec.automountServiceAccountToken === false) {
    why = 'sets automountServiceAccountToken: false';
  } else if (spec.automountServiceAccountToken === undefined && account?.obj.automountServiceAccountToken === false) {
    why = `runs as ${describe(account.obj)}, which sets automountServiceAccountToken: false`;
  } else {
    return;
  }
  const m = pod.manifest;
  const specPath = [...podMetadataPath(m.obj)!.slice(0, -1), 'spec'];
  emit('KUMA029', FindingSeverity.ERROR, m,
    `${why} and names no kuma.io/service-account-token-volume, so its pods have no service-account token; Kuma's injector still points the sidecar at /var/run/secrets/kubernetes.io/serviceaccount/token, and kuma-dp exits ("dataplane token is invalid, in Kubernetes you must mount a serviceAccount token"), so the pods never become ready`,
    {
      api: 'Set automountServiceAccountToken: true on the pod (MeshAnalyzer fix mode sets it), or mount a projected token volume and name it in the pod annotation kuma.io/service-account-token-volume.',
      cli: 'Set automountServiceAccountToken: true in the pod spec (cdk8s-kuma lint --fix sets it), or mount a projected token volume and name it in the pod annotation kuma.io/service-account-token-volume.',
    },
    { target: m, ops: [{ op: 'set', path: [...specPath, 'automountServiceAccountToken'], value: true }] });
}
