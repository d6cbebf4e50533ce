import { KumaLabel } from '../../kuma/well-known';
import { describe, ManifestIndex, PodOwner } from '../../model/_manifests';
import { FindingSeverity } from '../finding';
import { missingPort } from './kuma030-route-port-missing';
import { RuleDefinition } from './rule';

/*
 * KUMA031: a route a delegated gateway serves into pods that are known not to be meshed (their
 * namespace is labelled kuma.io/sidecar-injection=disabled or carries no label, and the pods do
 * not opt in). The gateway's sidecar has no mesh destination for them: the request leaves the mesh
 * in plaintext, outside every mTLS and policy (MeshTrafficPermission, MeshTimeout, MeshRetry).
 */

export const KUMA031: RuleDefinition = {
  id: 'KUMA031',
  name: 'route-to-unmeshed',
  severity: FindingSeverity.WARNING,
  fixable: false,
  summary: 'A route a delegated gateway serves sends to pods known not to be meshed (their namespace is labelled disabled or not at all, and they do not opt in): the traffic leaves the mesh in plaintext, outside mTLS and every mesh policy.',
  rationale: 'Pods without a sidecar are no mesh destination, so the gateway\'s sidecar sends requests to them through passthrough: they leave the mesh in plaintext, outside mTLS and every mesh policy (permissions, timeouts, retries).',
  restsOn: 'Reads routes a delegated gateway of the set serves and the pods their Services select; it fires only when every selected pod is known to be unmeshed from its own `kuma.io/sidecar-injection` label or its Namespace\'s (in the files or `--namespace-label`). Runs on every `--kuma-version`; as for KUMA004, a pod that opts in within an unlabelled namespace counts as unmeshed, which holds from Kuma 2.11.',
  fix: 'Mesh the upstream (label its namespace `kuma.io/sidecar-injection: enabled`, or its pods in a namespace labelled `disabled`), or keep the hop outside the mesh on purpose and ignore KUMA031.',
  exampleFlags: ['--kuma-version', '2.14'],
  sources: [
    'kumahq/kuma pkg/plugins/runtime/k8s/webhooks/injector/precheck.go@v2.14.3',
    'kumahq/kuma deployments/charts/kuma/templates/cp-webhooks-and-secrets.yaml@v2.14.3',
  ],
  check: (ctx, report) => {
    const { index } = ctx;
    const reported = new Set<string>();
    for (const b of ctx.backends) {
      const svc = index.service(b.namespace, b.service);
      if (svc === undefined || svc.obj.spec?.type === 'ExternalName' || missingPort(svc.obj, b) !== undefined) continue;
      const via = ctx.servedBy.get(b);
      if (via === undefined) continue;
      const pods = index.selectedPods(svc.obj);
      if (pods.length === 0 || !pods.every((p) => index.meshed(p) === false)) continue;
      const key = `${describe(b.route.obj)}|${describe(svc.obj)}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const why = unmeshedBecause(index, pods[0]);
      report(b.route,
        `sends the delegated gateway's traffic to ${describe(svc.obj)}, whose pods (${pods.map((p) => describe(p.manifest.obj)).join(', ')}) are not meshed (${why}), so the requests leave the mesh in plaintext, outside mTLS and every mesh policy; the gateway serves the route: ${via}`,
        {
          api: 'Mesh the upstream (a MeshNamespace, or the pod label kuma.io/sidecar-injection: enabled in a namespace labelled for injection), or route to it from outside the mesh on purpose.',
          cli: 'Mesh the upstream (label its namespace kuma.io/sidecar-injection=enabled, or its pods kuma.io/sidecar-injection: enabled in a namespace labelled disabled), or route to it from outside the mesh on purpose.',
        }, { at: b.path });
    }
  },
};

/** Why Kuma's webhooks leave a pod unmeshed, as Kuma decides it (the pod label first, then the namespace's). */
function unmeshedBecause(index: ManifestIndex, pod: PodOwner): string {
  const ns = pod.namespace;
  const nsLabel = index.namespaceLabels(ns)?.[KumaLabel.SIDECAR_INJECTION];
  const podLabel = pod.labels[KumaLabel.SIDECAR_INJECTION];
  if (podLabel === 'enabled') return `their pod label kuma.io/sidecar-injection: enabled, but namespace ${ns} has no kuma.io/sidecar-injection label, which Kuma's pod webhook requires`;
  if (podLabel !== undefined) return `their pod label kuma.io/sidecar-injection: ${podLabel} opts them out`;
  return nsLabel === undefined ? `namespace ${ns} has no kuma.io/sidecar-injection label and the pods do not opt in`
    : `namespace ${ns} is labelled kuma.io/sidecar-injection=${nsLabel} and the pods do not opt in`;
}
