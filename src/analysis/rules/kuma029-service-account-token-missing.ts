import { KumaAnnotation } from '../../kuma/well-known';
import { describe, ManifestIndex, podMetadataPath, PodOwner } from '../../model/_manifests';
import { FindingSeverity } from '../finding';
import { injectedPods } from './_injected-pods';
import { Report, RuleDefinition } from './rule';

/*
 * KUMA029: the injector always points kuma-dp at the service-account token
 * (`KUMA_DATAPLANE_RUNTIME_TOKEN_PATH=/var/run/secrets/kubernetes.io/serviceaccount/token`,
 * kumahq/kuma v2.14.3 pkg/plugins/runtime/k8s/containers/factory.go) and mounts into the sidecar
 * the token volume it finds: the one `kuma.io/service-account-token-volume` names, else the first
 * app container's mount at /var/run/secrets/kubernetes.io/serviceaccount (injector.go
 * FindServiceAccountToken). Without one, kuma-dp exits: "dataplane token is invalid, in Kubernetes
 * you must mount a serviceAccount token" (app/kuma-dp/cmd/context.go).
 */

export const KUMA029: RuleDefinition = {
  id: 'KUMA029',
  name: 'service-account-token-missing',
  severity: FindingSeverity.ERROR,
  fixable: true,
  summary: 'Meshed pods mount no service-account token (automountServiceAccountToken: false on the pod or its ServiceAccount, no kuma.io/service-account-token-volume): the sidecar authenticates to the control plane with it, and kuma-dp exits without it.',
  rationale: 'Kuma\'s injector always points kuma-dp at the service-account token (`/var/run/secrets/kubernetes.io/serviceaccount/token`), which the sidecar presents to the control plane; with no token mounted, kuma-dp exits ("dataplane token is invalid, in Kubernetes you must mount a serviceAccount token") and the pods never become ready.',
  restsOn: 'Reads meshed pods and delegated gateways whose pod sets `automountServiceAccountToken: false`, or leaves it unset while its ServiceAccount in the files sets false, and that have neither a `kuma.io/service-account-token-volume` annotation nor a container mount at `/var/run/secrets/kubernetes.io/serviceaccount`. Runs on every `--kuma-version`.',
  fix: 'Set `automountServiceAccountToken: true` in the pod spec, or mount a projected token volume and name it in the pod annotation `kuma.io/service-account-token-volume`; `cdk8s-kuma lint --fix` sets the former.',
  exampleFlags: ['--kuma-version', '2.14'],
  sources: [
    'kumahq/kuma pkg/plugins/runtime/k8s/containers/factory.go@v2.14.3',
    'kumahq/kuma pkg/plugins/runtime/k8s/webhooks/injector/injector.go@v2.14.3',
    'kumahq/kuma app/kuma-dp/cmd/context.go@v2.14.3',
  ],
  check: (ctx, report) => {
    for (const { pod, spec } of injectedPods(ctx)) tokenFinding(ctx.index, pod, spec, report);
  },
};

/** Where the service-account admission plugin mounts the token, and where Kuma's injector looks for it. */
const TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

function tokenFinding(index: ManifestIndex, pod: PodOwner, spec: any, report: Report): void {
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
  report(m,
    `${why} and names no kuma.io/service-account-token-volume, so its pods have no service-account token; Kuma's injector still points the sidecar at /var/run/secrets/kubernetes.io/serviceaccount/token, and kuma-dp exits ("dataplane token is invalid, in Kubernetes you must mount a serviceAccount token"), so the pods never become ready`,
    {
      api: 'Set automountServiceAccountToken: true on the pod (MeshAnalyzer fix mode sets it), or mount a projected token volume and name it in the pod annotation kuma.io/service-account-token-volume.',
      cli: 'Set automountServiceAccountToken: true in the pod spec (cdk8s-kuma lint --fix sets it), or mount a projected token volume and name it in the pod annotation kuma.io/service-account-token-volume.',
    },
    { edit: { target: m, ops: [{ op: 'set', path: [...specPath, 'automountServiceAccountToken'], value: true }] } });
}
