import { describe, Manifest } from '../../model/_manifests';
import { FindingSeverity } from '../finding';
import { hasServiceUpstream, routeHasServiceUpstream, servicesLackingUpstream } from './_service-upstream';
import { RuleDefinition } from './rule';

export const KUMA002: RuleDefinition = {
  id: 'KUMA002',
  name: 'route-backend-service-upstream',
  severity: FindingSeverity.ERROR,
  fixable: true,
  summary: 'An Ingress or HTTPRoute routed by a delegated gateway has a backend Service that nothing tells the controller to reach by its ClusterIP (no Service annotations, no nginx Ingress annotation, no IngressClassParameters serviceUpstream).',
  severityNote: 'An error when the Service\'s namespace is in the files or declared with `--namespace-label`; a warning when it is not, since Kuma adds the annotations itself if that namespace turns out to be labelled for injection.',
  rationale: 'Kong and ingress-nginx balance over a Service\'s endpoints (pod IPs) unless the Service, the Ingress or its class tells them to use the ClusterIP, so the delegated gateway\'s sidecar never sees the request as a mesh outbound: it goes out without mTLS or mesh policies and fails where the backend requires mTLS. Kuma adds the Service annotations itself only in namespaces labelled for injection.',
  restsOn: 'Reads the Ingresses and HTTPRoutes a delegated gateway of the set serves (by IngressClass controller, class name or parent GatewayClass; a gateway whose product is not recognised may serve any route), their backend Services in the set, the Ingress annotation `nginx.ingress.kubernetes.io/service-upstream`, Kong IngressClassParameters and the backend namespace\'s `kuma.io/sidecar-injection` label. Runs on every `--kuma-version`; silent for ExternalName backends, for the gateway\'s own Services, for namespaces whose label reads as enabled, and for a Service KUMA001 already reports.',
  fix: 'Annotate the backend Service with both service-upstream annotations set to `"true"`, or route it through a Kong IngressClass whose IngressClassParameters set `serviceUpstream: true`; `cdk8s-kuma lint --fix` adds the annotations.',
  exampleFlags: ['--kuma-version', '2.14'],
  sources: [
    'https://developer.konghq.com/mesh/delegated-gateways/',
    'https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#service-upstream',
    'Kong/charts charts/kong/crds/custom-resource-definitions.yaml@kong-3.4.1 (IngressClassParameters spec.serviceUpstream)',
    'kumahq/kuma#11994',
  ],
  check: (ctx, report) => {
    const { index } = ctx;
    // one finding per Service: those KUMA001 reports, and the first route to each
    const flagged = new Set<Manifest>(servicesLackingUpstream(ctx).map((s) => s.service));
    for (const b of ctx.backends) {
      const svc = index.service(b.namespace, b.service);
      if (svc === undefined) continue;
      const o = svc.obj;
      if (o.spec?.type === 'ExternalName') continue;
      const via = ctx.servedBy.get(b);
      if (via === undefined || hasServiceUpstream(o) || flagged.has(svc)) continue;
      const ns = index.injection(o.metadata?.namespace);
      if (ns.servicesAnnotatedByKuma || routeHasServiceUpstream(index, b)) continue;
      flagged.add(svc);
      report(b.route,
        `routes to ${describe(o)}, which carries no service-upstream annotations${ns.known ? '' : ' (its namespace is not in the set, so Kuma may add them if it is labelled for injection)'}, and neither the route nor its class tells the controller to use the ClusterIP; a delegated gateway serves the route: ${via}`,
        {
          api: 'Annotate the Service (GatewayFlavour.useServiceUpstream()), or use a Kong IngressClass with serviceUpstream (KongIngressClass).',
          cli: 'Annotate the Service with ingress.kubernetes.io/service-upstream and nginx.ingress.kubernetes.io/service-upstream "true" (cdk8s-kuma lint --fix adds them), or give its Kong IngressClass IngressClassParameters with serviceUpstream: true.',
        },
        { at: b.path, severity: ns.known ? FindingSeverity.ERROR : FindingSeverity.WARNING, autoFix: { kind: 'service-upstream', service: svc } });
    }
  },
};
