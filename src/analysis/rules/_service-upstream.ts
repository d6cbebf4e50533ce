import { RuleContext } from './rule';
import { KumaLabel, ServiceAnnotation } from '../../kuma/well-known';
import { ServiceUpstream } from '../../mesh/service-upstream';
import { Manifest, ManifestIndex, RouteBackend } from '../../model/_manifests';

/*
 * What KUMA001 and KUMA002 share: whether a Service, a route or its class tells the controller to
 * send to the Service's ClusterIP (kumahq/kuma#11994), and the Services KUMA001 reports, which
 * KUMA002 then leaves alone (one finding per Service).
 */

/** Whether the Service carries both service-upstream annotations. */
export function hasServiceUpstream(service: any): boolean {
  return ServiceUpstream._KEYS.every((k) => service.metadata?.annotations?.[k] === ServiceUpstream.VALUE);
}

/** Whether the route itself, or its IngressClass, makes the controller use ClusterIPs. */
export function routeHasServiceUpstream(index: ManifestIndex, b: RouteBackend): boolean {
  const route = b.route.obj;
  if (route.kind !== 'Ingress') return false;
  if (route.metadata?.annotations?.[ServiceAnnotation.NGINX_SERVICE_UPSTREAM] === ServiceUpstream.VALUE) return true;
  const cls = index.ingressClasses.get(route.spec?.ingressClassName ?? '')?.obj;
  const params = cls?.spec?.parameters;
  if (params?.kind !== 'IngressClassParameters') return false;
  return index.ingressClassParameters.some((p) => p.obj.metadata?.name === params.name
    && p.obj.metadata?.namespace === params.namespace && p.obj.spec?.serviceUpstream === true);
}

/** A Service of meshed pods without service-upstream where Kuma will not add it (KUMA001). */
export interface ServiceLackingUpstream {
  readonly service: Manifest;
  /** The namespace's kuma.io/sidecar-injection label, if it has one. */
  readonly namespaceLabel?: string;
}

/** The Services KUMA001 reports, computed once per analysis. */
export function servicesLackingUpstream(ctx: RuleContext): ServiceLackingUpstream[] {
  return ctx.shared('services-lacking-upstream', () => {
    const { index, caps, backends } = ctx;
    const out: ServiceLackingUpstream[] = [];
    for (const svc of index.services) {
      const o = svc.obj;
      if (o.spec?.type === 'ExternalName' || hasServiceUpstream(o)) continue;
      if (o.metadata?.annotations?.[ServiceAnnotation.KUMA_IGNORE] === 'true') continue;
      const pods = index.selectedPods(o).filter((p) => !index.isGateway(p, caps));
      const meshed = pods.map((p) => index.meshed(p));
      if (!meshed.some((m) => m !== false)) continue;
      // meshed must be known: a namespace the set neither has nor declares says nothing
      const ns = index.injection(o.metadata?.namespace);
      if (!ns.known || ns.servicesAnnotatedByKuma || !meshed.some((m) => m === true)) continue;
      // routed only through classes that make the controller use the ClusterIP (a Kong
      // IngressClass with IngressClassParameters serviceUpstream: true, Kong Mesh's recommended setup)
      const routedTo = backends.filter((b) => b.namespace === o.metadata?.namespace && b.service === o.metadata?.name);
      if (routedTo.length > 0 && routedTo.every((b) => routeHasServiceUpstream(index, b))) continue;
      out.push({ service: svc, namespaceLabel: index.namespaceLabels(o.metadata?.namespace)?.[KumaLabel.SIDECAR_INJECTION] });
    }
    return out;
  });
}
