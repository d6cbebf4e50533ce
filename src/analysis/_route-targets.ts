import type { FixText } from './_rules';
import { FindingSeverity } from './finding';
import { KumaLabel } from '../kuma/well-known';
import { describe, Manifest, ManifestIndex, PodOwner, RouteBackend, servicePorts } from '../model/_manifests';

/*
 * What a route reaches.
 *
 * KUMA030: a backend port the Service does not have. Kubernetes accepts the route; the controller
 * finds no endpoints for it and answers 503 (Kong: "no Service port" in KIC's translation, nginx:
 * an upstream without servers). An Ingress backend names a Service port by number or name
 * (networking.k8s.io/v1 IngressServiceBackend.port), an HTTPRoute backendRef by number (Gateway API
 * BackendRef.port). ExternalName Services have no ports of their own to check.
 *
 * KUMA031: a route a delegated gateway serves into pods that are known not to be meshed (their
 * namespace is labelled kuma.io/sidecar-injection=disabled or carries no label, and the pods do
 * not opt in). The gateway's sidecar has no mesh destination for them: the request leaves the mesh
 * in plaintext, outside every mTLS and policy (MeshTrafficPermission, MeshTimeout, MeshRetry).
 */

type Emit = (id: string, severity: FindingSeverity, m: Manifest, message: string, fix: FixText) => void;

/** KUMA030 for every route backend of the set, KUMA031 for those a delegated gateway serves. */
export function routeTargetFindings(index: ManifestIndex, backends: RouteBackend[],
  viaOf: (b: RouteBackend) => string | undefined, emit: Emit): void {
  const reported = new Set<string>();
  for (const b of backends) {
    const svc = index.service(b.namespace, b.service);
    if (svc === undefined || svc.obj.spec?.type === 'ExternalName') continue;
    const ports = servicePorts(svc.obj);
    // ingress-nginx also takes a backend port that names or numbers a targetPort
    // (kubernetes/ingress-nginx internal/ingress/controller/controller.go: "targetPort could be a
    // string, use either the port name or number"): only a
    // port no controller resolves is certain to reach nothing
    const missing = b.port !== undefined ? !ports.some((p) => p.port === b.port || String(p.targetPort) === String(b.port))
      : b.portName !== undefined ? !ports.some((p) => p.name === b.portName || String(p.targetPort) === b.portName) : false;
    const asked = b.port !== undefined ? `port ${b.port}` : `port name ${JSON.stringify(b.portName)}`;
    const key = `${describe(b.route.obj)}|${describe(svc.obj)}|${asked}`;
    if (missing && !reported.has(key)) {
      reported.add(key);
      const has = ports.map((p) => (p?.name ? `${p.port} (${p.name})` : String(p?.port))).join(', ') || 'none';
      emit('KUMA030', FindingSeverity.ERROR, b.route,
        `sends to ${describe(svc.obj)} on ${asked}, which the Service does not have (its ports: ${has}), so the route reaches no endpoint and the gateway answers 503`,
        `Use one of the Service's ports (${has}).`);
      continue;
    }
    if (missing) continue;
    const via = viaOf(b);
    if (via === undefined) continue;
    const pods = index.selectedPods(svc.obj);
    if (pods.length === 0 || !pods.every((p) => index.meshed(p) === false)) continue;
    const unmeshedKey = `${describe(b.route.obj)}|${describe(svc.obj)}`;
    if (reported.has(unmeshedKey)) continue;
    reported.add(unmeshedKey);
    const why = unmeshedBecause(index, pods[0]);
    emit('KUMA031', FindingSeverity.WARNING, b.route,
      `sends the delegated gateway's traffic to ${describe(svc.obj)}, whose pods (${pods.map((p) => describe(p.manifest.obj)).join(', ')}) are not meshed (${why}), so the requests leave the mesh in plaintext, outside mTLS and every mesh policy; the gateway serves the route: ${via}`,
      {
        api: 'Mesh the upstream (a MeshNamespace, or the pod label kuma.io/sidecar-injection: enabled in a namespace labelled for injection), or route to it from outside the mesh on purpose.',
        cli: 'Mesh the upstream (label its namespace kuma.io/sidecar-injection=enabled, or its pods kuma.io/sidecar-injection: enabled in a namespace labelled disabled), or route to it from outside the mesh on purpose.',
      });
  }
}

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
