import { FindingSeverity } from './finding';
import { KumaCapabilities } from '../kuma/_kuma-capabilities';
import { describe, Manifest, ManifestIndex, PodOwner, podTemplateOf, RouteBackend, servicePorts } from '../model/_manifests';
import { classOf, KONG_GATEWAY_CONTROLLER, KONG_INGRESS_CONTROLLER, parentGatewaysOf } from '../model/_route-owners';

/*
 * Which controller serves a route, from the set alone, and two rules that need it:
 * - KUMA023: an Ingress whose class nothing in the set serves, when the set declares its classes.
 * - KUMA024: a Kong route to a gRPC or TLS port without konghq.com/protocol. Kong's controller
 *   does not read a Service's appProtocol: it speaks the Service's konghq.com/protocol, default
 *   http (Kong/kubernetes-ingress-controller#4457, maintainer's answer; Kong's annotation
 *   reference, konghq.com/protocol).
 */

type Emit = (id: string, severity: FindingSeverity, m: Manifest, message: string, fix: string) => void;

/**
 * Class names a workload's ingress controller says it serves: Kong's CONTROLLER_INGRESS_CLASS env
 * (Kong's chart, in the gateway's pod or a separate controller Deployment), and the
 * --ingress-class / --providers.kubernetesingress.ingressclass flags of ingress-nginx and Traefik.
 */
function classesServedBy(pod: PodOwner, kongOnly = false): string[] {
  const spec = podTemplateOf(pod.manifest.obj)?.spec;
  const out: string[] = [];
  for (const c of [...spec?.containers ?? [], ...spec?.initContainers ?? []]) {
    for (const e of c.env ?? []) if (e?.name === 'CONTROLLER_INGRESS_CLASS' && typeof e.value === 'string') out.push(e.value);
    if (kongOnly) continue;
    for (const a of [...c.args ?? [], ...c.command ?? []]) {
      const m = typeof a === 'string' ? a.match(/^--(?:ingress-class|providers\.kubernetesingress\.ingressclass)=(.+)$/) : null;
      if (m) out.push(m[1]);
    }
  }
  return out;
}

/** The controller of a route, when the set says: `kong` for Kong's, else the controller string. */
function kongServes(index: ManifestIndex, route: any, kongClasses: Set<string>): string | undefined {
  if (route.kind === 'Ingress') {
    const cls = classOf(index, route);
    if (cls === undefined) return undefined;
    const ic = index.ingressClasses.get(cls.name);
    if (ic?.obj.spec?.controller === KONG_INGRESS_CONTROLLER) return `its class ${cls.name} (${cls.how}) is IngressClass ${cls.name} of controller ${KONG_INGRESS_CONTROLLER}`;
    if (ic === undefined && kongClasses.has(cls.name)) return `its class ${cls.name} (${cls.how}) is the one a Kong controller of the set serves (CONTROLLER_INGRESS_CLASS)`;
    return undefined;
  }
  const kong = parentGatewaysOf(index, route).find((p) => p.controller === KONG_GATEWAY_CONTROLLER);
  return kong === undefined ? undefined : `its parent Gateway ${kong.namespace}/${kong.name} is of GatewayClass ${kong.className}, controller ${KONG_GATEWAY_CONTROLLER}`;
}

/** The Kong protocol a Service port's Kuma appProtocol calls for, if not http. */
function kongProtocolFor(appProtocol: unknown): string | undefined {
  if (appProtocol === 'grpc') return 'grpc';
  if (appProtocol === 'tls') return 'https (grpcs for gRPC over TLS)';
  return undefined;
}

/** KUMA023 and KUMA024. */
export function ingressClassFindings(index: ManifestIndex, caps: KumaCapabilities, backends: RouteBackend[], emit: Emit): void {
  const gateways = index.pods.filter((p) => index.isGateway(p, caps));
  if (gateways.length === 0) return; // routes of a set without a delegated gateway are not Kuma's business
  const served = new Set(index.pods.flatMap((p) => classesServedBy(p)));

  // KUMA023: the set declares its IngressClasses, and an Ingress names another one.
  if (index.ingressClasses.size > 0) {
    const known = [...index.ingressClasses.keys()].sort();
    for (const ing of index.ingresses) {
      const cls = classOf(index, ing.obj);
      if (cls === undefined || index.ingressClasses.has(cls.name) || served.has(cls.name)) continue;
      emit('KUMA023', FindingSeverity.WARNING, ing,
        `names ingress class ${cls.name} (${cls.how}), but the set's IngressClasses are ${known.join(', ')} and none of its delegated gateways serves ${cls.name}: no controller of these files routes this Ingress (unless one installed elsewhere serves ${cls.name})`,
        `Set spec.ingressClassName to the class of the gateway that should route it (${known.join(', ')}), or add IngressClass ${cls.name}.`);
    }
  }

  // KUMA024: Kong speaks http to a gRPC or TLS port unless the Service says otherwise.
  const kongClasses = new Set(index.pods.flatMap((p) => classesServedBy(p, true)));
  const reported = new Set<string>();
  for (const b of backends) {
    const svc = index.service(b.namespace, b.service);
    if (svc === undefined || svc.obj.spec?.type === 'ExternalName') continue;
    if (svc.obj.metadata?.annotations?.['konghq.com/protocol'] !== undefined) continue;
    const ports = servicePorts(svc.obj);
    const port = ports.find((p) => (b.port !== undefined && p.port === b.port) || (b.portName !== undefined && p.name === b.portName))
      ?? (b.port === undefined && b.portName === undefined && ports.length === 1 ? ports[0] : undefined);
    const protocol = kongProtocolFor(port?.appProtocol);
    if (protocol === undefined) continue;
    const why = kongServes(index, b.route.obj, kongClasses);
    const key = `${describe(b.route.obj)} ${describe(svc.obj)} ${port.port}`;
    if (why === undefined || reported.has(key)) continue;
    reported.add(key);
    emit('KUMA024', FindingSeverity.WARNING, b.route,
      `is routed by Kong (${why}) to ${describe(svc.obj)} port ${port.port}, whose appProtocol is ${port.appProtocol}, but the Service has no konghq.com/protocol: Kong's controller does not read appProtocol and speaks HTTP/1.1 to it`,
      `Annotate ${describe(svc.obj)} with konghq.com/protocol: ${protocol}.`);
  }
}
