import { describe, RouteBackend, servicePorts } from '../../model/_manifests';
import { FindingSeverity } from '../finding';
import { RuleDefinition } from './rule';

/*
 * KUMA030: a backend port the Service does not have. Kubernetes accepts the route; the controller
 * finds no endpoints for it and answers 503 (Kong: "no Service port" in KIC's translation, nginx:
 * an upstream without servers). An Ingress backend names a Service port by number or name
 * (networking.k8s.io/v1 IngressServiceBackend.port), an HTTPRoute backendRef by number (Gateway API
 * BackendRef.port). ExternalName Services have no ports of their own to check.
 */

export const KUMA030: RuleDefinition = {
  id: 'KUMA030',
  name: 'route-port-missing',
  severity: FindingSeverity.ERROR,
  fixable: false,
  summary: 'An Ingress or HTTPRoute sends to a Service port (number or name) that the Service does not have: the route reaches no endpoint and the gateway answers 503.',
  rationale: 'Kubernetes accepts a route whose backend port the Service does not have, but the controller finds no endpoints for it, so the gateway answers 503 on that route.',
  restsOn: 'Reads every Ingress and HTTPRoute backend whose Service is in the set (ExternalName excluded): a port number must be one of the Service\'s ports or targetPorts, a port name one of its port names or named targetPorts, since ingress-nginx resolves both. Needs no gateway; runs on every `--kuma-version`, but like every rule only on a set with something of Kuma in it.',
  fix: 'Use one of the Service\'s own ports, by number or name, in the route rather than the container port.',
  exampleFlags: ['--kuma-version', '2.14'],
  sources: [
    'https://kubernetes.io/docs/concepts/services-networking/ingress/',
    'https://kubernetes.io/docs/reference/kubernetes-api/service-resources/ingress-v1/',
  ],
  check: (ctx, report) => {
    const { index } = ctx;
    const reported = new Set<string>();
    for (const b of ctx.backends) {
      const svc = index.service(b.namespace, b.service);
      if (svc === undefined || svc.obj.spec?.type === 'ExternalName') continue;
      const missing = missingPort(svc.obj, b);
      if (missing === undefined) continue;
      const key = `${describe(b.route.obj)}|${describe(svc.obj)}|${missing.asked}`;
      if (reported.has(key)) continue;
      reported.add(key);
      report(b.route,
        `sends to ${describe(svc.obj)} on ${missing.asked}, which the Service does not have (its ports: ${missing.has}), so the route reaches no endpoint and the gateway answers 503`,
        `Use one of the Service's ports (${missing.has}).`, { at: [...b.path, 'port'] });
    }
  },
};

/** The backend's port, when the Service has no port a controller resolves it to. */
export function missingPort(service: any, b: RouteBackend): { asked: string; has: string } | undefined {
  const ports = servicePorts(service);
  // ingress-nginx also takes a backend port that names or numbers a targetPort
  // (kubernetes/ingress-nginx internal/ingress/controller/controller.go: "targetPort could be a
  // string, use either the port name or number"): only a
  // port no controller resolves is certain to reach nothing
  const missing = b.port !== undefined ? !ports.some((p) => p.port === b.port || String(p.targetPort) === String(b.port))
    : b.portName !== undefined ? !ports.some((p) => p.name === b.portName || String(p.targetPort) === b.portName) : false;
  if (!missing) return undefined;
  const asked = b.port !== undefined ? `port ${b.port}` : `port name ${JSON.stringify(b.portName)}`;
  return { asked, has: ports.map((p) => (p?.name ? `${p.port} (${p.name})` : String(p?.port))).join(', ') || 'none' };
}
