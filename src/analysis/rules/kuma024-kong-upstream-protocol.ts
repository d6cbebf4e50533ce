import { describe, ManifestIndex, servicePorts } from '../../model/_manifests';
import { classesServedBy, classOf, KONG_GATEWAY_CONTROLLER, KONG_INGRESS_CONTROLLER, parentGatewaysOf } from '../../model/_route-owners';
import { FindingSeverity } from '../finding';
import { RuleDefinition } from './rule';

/*
 * KUMA024: a Kong route to a gRPC or TLS port without konghq.com/protocol. Kong's controller
 * does not read a Service's appProtocol: it speaks the Service's konghq.com/protocol, default
 * http (Kong/kubernetes-ingress-controller#4457, maintainer's answer; Kong's annotation
 * reference, konghq.com/protocol).
 */

export const KUMA024: RuleDefinition = {
  id: 'KUMA024',
  name: 'kong-upstream-protocol',
  severity: FindingSeverity.WARNING,
  fixable: false,
  summary: 'A route Kong serves (by its IngressClass or GatewayClass) sends to a Service port whose appProtocol is grpc or tls, and the Service has no konghq.com/protocol: Kong\'s controller does not read appProtocol and speaks HTTP/1.1 (Kong/kubernetes-ingress-controller#4457).',
  rationale: 'Kong\'s ingress controller does not read a Service port\'s `appProtocol`: it speaks the Service\'s `konghq.com/protocol`, HTTP by default, so a gRPC or TLS upstream gets HTTP/1.1 in clear and the requests fail.',
  restsOn: 'Reads routes Kong serves (an IngressClass of controller `ingress-controllers.konghq.com/kong`, a class a Kong controller of the set declares in `CONTROLLER_INGRESS_CLASS`, or a parent Gateway of GatewayClass controller `konghq.com/kic-gateway-controller`) and the backend Service port they use (by number, by name, or the only port). Runs on every `--kuma-version` when the set has a delegated gateway; silent when the Service carries `konghq.com/protocol` or the port\'s `appProtocol` is neither `grpc` nor `tls`.',
  fix: 'Annotate the Service `konghq.com/protocol: grpc` for gRPC, or `https` for TLS (`grpcs` for gRPC over TLS).',
  exampleFlags: ['--kuma-version', '2.14'],
  sources: [
    'Kong/kubernetes-ingress-controller#4457',
    'https://developer.konghq.com/kubernetes-ingress-controller/reference/annotations',
  ],
  check: (ctx, report) => {
    const { index } = ctx;
    if (ctx.gateways.length === 0) return;
    // KUMA024: Kong speaks http to a gRPC or TLS port unless the Service says otherwise.
    const kongClasses = new Set(index.pods.flatMap((p) => classesServedBy(p, true)));
    const reported = new Set<string>();
    for (const b of ctx.backends) {
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
      report(b.route,
        `is routed by Kong (${why}) to ${describe(svc.obj)} port ${port.port}, whose appProtocol is ${port.appProtocol}, but the Service has no konghq.com/protocol: Kong's controller does not read appProtocol and speaks HTTP/1.1 to it`,
        `Annotate ${describe(svc.obj)} with konghq.com/protocol: ${protocol}.`, { at: b.path });
    }
  },
};

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
