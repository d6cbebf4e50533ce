import { describe, Manifest, ManifestIndex, PodOwner, podTemplateOf, RouteBackend, routeBackends } from './_manifests';
import { runsKongIngressController } from '../kuma/_gateway-pod-rules';

/*
 * Which routes a delegated gateway of the set serves, as Kubernetes hands them out: an Ingress to
 * the controller of its class (spec.ingressClassName, the legacy kubernetes.io/ingress.class
 * annotation, or the default IngressClass), an HTTPRoute to the controller of its parent
 * Gateway's GatewayClass. A gateway's controller is known from what it runs (Kong's chart:
 * CONTROLLER_INGRESS_CLASS and the kong / kubernetes-ingress-controller images; ingress-nginx:
 * --ingress-class, --controller-class and its controller image; Traefik: its image and
 * --providers.kubernetesingress.ingressclass), with each product's default class and controller
 * names (Kong: kong, ingress-controllers.konghq.com/kong, konghq.com/kic-gateway-controller;
 * ingress-nginx: nginx, k8s.io/ingress-nginx; Traefik: traefik, traefik.io/ingress-controller,
 * traefik.io/gateway-controller). A gateway whose product is not known may serve any route, so a
 * route is excluded only when every gateway is known not to serve it. A backend that is a
 * gateway's own Service (a chart exposing its proxy through an Ingress) is the gateway, not one of
 * its upstreams.
 */

/** spec.controller of Kong's IngressClass (Kong's chart and KIC's docs). */
export const KONG_INGRESS_CONTROLLER = 'ingress-controllers.konghq.com/kong';
/** spec.controllerName of Kong's GatewayClass (KIC's --gateway-api-controller-name default). */
export const KONG_GATEWAY_CONTROLLER = 'konghq.com/kic-gateway-controller';

/** The legacy class annotation, still read by Kong, ingress-nginx and Traefik. */
const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
/** The annotation that makes an IngressClass the cluster's default. */
const DEFAULT_CLASS = 'ingressclass.kubernetes.io/is-default-class';

/** The class an Ingress names (spec, else the legacy annotation), or the set's default class. */
export function classOf(index: ManifestIndex, ingress: any): { name: string; how: string } | undefined {
  const named = ingress.spec?.ingressClassName ?? ingress.metadata?.annotations?.[CLASS_ANNOTATION];
  if (typeof named === 'string' && named !== '') return { name: named, how: ingress.spec?.ingressClassName !== undefined ? 'spec.ingressClassName' : CLASS_ANNOTATION };
  const defaults = [...index.ingressClasses.values()].filter((c) => c.obj.metadata?.annotations?.[DEFAULT_CLASS] === 'true');
  return defaults.length === 1 ? { name: defaults[0].obj.metadata.name, how: 'the default IngressClass' } : undefined;
}

/** A parent of an HTTPRoute, as far as the set resolves it. */
export interface ParentGateway { readonly namespace: string; readonly name: string; readonly className?: string; readonly controller?: string }

/**
 * The parents of an HTTPRoute, each with the controller of its Gateway's GatewayClass when the
 * set has both (a parent that is not a Gateway, or not resolved in the set, has none).
 */
export function parentGatewaysOf(index: ManifestIndex, route: any): ParentGateway[] {
  return (route.spec?.parentRefs ?? []).map((ref: any) => {
    const namespace = ref.namespace ?? route.metadata?.namespace;
    if ((ref.group ?? 'gateway.networking.k8s.io') !== 'gateway.networking.k8s.io' || (ref.kind ?? 'Gateway') !== 'Gateway') return { namespace, name: ref.name };
    const className = index.gatewayApiGateways.get(`${namespace}/${ref.name}`)?.obj.spec?.gatewayClassName;
    const gc = className === undefined ? undefined : index.gatewayClasses.get(className);
    return { namespace, name: ref.name, className, controller: gc?.obj.spec?.controllerName };
  });
}

/** What a gateway's pods run, when it is recognisable. */
interface Product {
  readonly name: string;
  /** IngressClass spec.controller values it serves. */
  readonly ingressControllers: string[];
  /** Ingress class names it serves when the IngressClass is not in the set. */
  readonly classes: string[];
  /** GatewayClass spec.controllerName values it serves. */
  readonly gatewayControllers: string[];
}

function flag(args: string[], name: string): string | undefined {
  for (const a of args) {
    const m = a.match(new RegExp(`^--${name.replace(/\./g, '\\.')}=(.+)$`));
    if (m) return m[1];
  }
  return undefined;
}

/** The product a gateway's pods run: Kong, ingress-nginx or Traefik; undefined when not recognisable. */
export function productOf(pod: PodOwner): Product | undefined {
  const spec = podTemplateOf(pod.manifest.obj)?.spec;
  const list = (v: unknown): any[] => (Array.isArray(v) ? v : []);
  const containers: any[] = [...list(spec?.containers), ...list(spec?.initContainers)];
  const images = containers.map((c) => String(c?.image ?? ''));
  const env = new Map<string, string>(containers.flatMap((c) => list(c?.env).filter((e: any) => typeof e?.name === 'string').map((e: any) => [e.name, String(e.value ?? '')])));
  const args: string[] = containers.flatMap((c) => [...list(c?.command), ...list(c?.args)]).filter((a) => typeof a === 'string');
  const image = (re: RegExp) => images.some((i) => re.test(i));
  if (env.has('CONTROLLER_INGRESS_CLASS') || [...env.keys()].some((k) => k.startsWith('KONG_')) || image(/(^|\/)(kong|kong-gateway|kubernetes-ingress-controller)(:|@|$)/)) {
    return {
      name: 'Kong',
      ingressControllers: [KONG_INGRESS_CONTROLLER],
      classes: [env.get('CONTROLLER_INGRESS_CLASS') ?? 'kong'],
      gatewayControllers: [env.get('CONTROLLER_GATEWAY_API_CONTROLLER_NAME') ?? KONG_GATEWAY_CONTROLLER],
    };
  }
  if (image(/ingress-nginx\/controller/) || args.includes('/nginx-ingress-controller')) {
    return {
      name: 'ingress-nginx',
      ingressControllers: [flag(args, 'controller-class') ?? 'k8s.io/ingress-nginx'],
      classes: [flag(args, 'ingress-class') ?? 'nginx'],
      gatewayControllers: [],
    };
  }
  if (image(/(^|\/)traefik(:|@|$)/)) {
    return {
      name: 'Traefik',
      ingressControllers: ['traefik.io/ingress-controller'],
      classes: [flag(args, 'providers.kubernetesingress.ingressclass') ?? 'traefik'],
      gatewayControllers: ['traefik.io/gateway-controller'],
    };
  }
  return undefined;
}

/**
 * Whether a gateway's pods run Kong's ingress controller alone (Kong's `ingress` chart splits it
 * from the proxy, and marks both Deployments as gateways): it reads the routes of its class and
 * configures the proxy pods through Kong's admin API, but sends no route traffic itself, so no
 * permission or policy for a route's traffic is about it. Known by the controller image without a
 * Kong proxy image or any KONG_ environment variable (Kong/charts charts/ingress: the controller
 * container has CONTROLLER_* variables, the gateway container KONG_*).
 */
export function isKongControllerOnly(pod: PodOwner): boolean {
  const spec = podTemplateOf(pod.manifest.obj)?.spec;
  const containers: any[] = Array.isArray(spec?.containers) ? spec.containers : [];
  const images = containers.map((c) => String(c?.image ?? ''));
  if (!runsKongIngressController(images)) return false;
  if (images.some((i) => /(^|\/)(kong|kong-gateway)(:|@|$)/.test(i))) return false;
  return !containers.some((c) => (Array.isArray(c?.env) ? c.env : []).some((e: any) => typeof e?.name === 'string' && e.name.startsWith('KONG_')));
}

/** Who serves a route, and the facts that rest on. */
export interface RouteServers {
  /** The gateways that serve it, or may (a gateway whose product is not known may serve any route). */
  readonly gateways: PodOwner[];
  /** Why, for a finding to quote. */
  readonly via: string;
}

/**
 * Which of the given gateways serve each route (an Ingress or HTTPRoute object), computed once per
 * route: undefined for a route none of them serves.
 */
export function routeServers(index: ManifestIndex, gateways: PodOwner[]): (route: any) => RouteServers | undefined {
  const known = gateways.map((g) => ({ g, p: productOf(g) }));
  const unknownOnes = known.filter((k) => k.p === undefined);
  const unknown = unknownOnes.map((k) => describe(k.g.manifest.obj));
  const names = (list: typeof known) => list.map((k) => `${describe(k.g.manifest.obj)} (${k.p!.name})`).join(', ');
  const mayServe = unknown.length > 0 ? `the controller of ${unknown.join(', ')} is not known, so it may serve it` : undefined;
  const cache = new Map<any, RouteServers | undefined>();
  const compute = (route: any): RouteServers | undefined => {
    let via: string | undefined;
    let serving: typeof known = [];
    if (route.kind === 'Ingress') {
      const cls = classOf(index, route);
      if (cls === undefined) {
        via = 'it names no ingress class and the set has no default IngressClass, so any controller that takes class-less Ingresses may serve it';
        serving = known;
      } else {
        const ic = index.ingressClasses.get(cls.name);
        const controller = ic?.obj.spec?.controller;
        serving = known.filter((k) => k.p !== undefined
          && (ic !== undefined ? k.p.ingressControllers.includes(controller) : k.p.classes.includes(cls.name)));
        if (serving.length > 0) {
          via = ic !== undefined
            ? `its class ${cls.name} (${cls.how}) is IngressClass ${cls.name} of controller ${controller}, which ${names(serving)} runs`
            : `its class ${cls.name} (${cls.how}) is the one ${names(serving)} serves`;
        } else {
          via = mayServe;
        }
        serving = [...serving, ...unknownOnes];
      }
    } else {
      via = mayServe;
      serving = unknownOnes;
      const parents = parentGatewaysOf(index, route);
      let resolved = parents.length > 0;
      for (const parent of parents) {
        if (parent.className === undefined || !index.gatewayClasses.has(parent.className)) { resolved = false; continue; }
        const byController = known.filter((k) => k.p !== undefined && k.p.gatewayControllers.includes(parent.controller!));
        if (byController.length > 0) {
          via = `its parent Gateway ${parent.namespace}/${parent.name} is of GatewayClass ${parent.className}, controller ${parent.controller}, which ${names(byController)} runs`;
          serving = [...byController, ...unknownOnes];
          break;
        }
      }
      // a parent the set does not resolve could be any gateway's
      if (!resolved && serving === unknownOnes) {
        via ??= 'its parent Gateway or GatewayClass is not in the set, so any of the gateways may serve it';
        serving = known;
      }
    }
    return via === undefined ? undefined : { via, gateways: serving.map((k) => k.g) };
  };
  return (route) => {
    if (!cache.has(route)) cache.set(route, compute(route));
    return cache.get(route);
  };
}

/**
 * The backends (of `backends`, the set's route backends) of the routes the given gateways serve,
 * their own Services excluded, each with the facts the ownership rests on, for a finding to quote.
 */
export function gatewayRouteBackends(index: ManifestIndex, gateways: PodOwner[],
  backends: RouteBackend[] = routeBackends(index)): Map<RouteBackend, string> {
  const out = new Map<RouteBackend, string>();
  if (gateways.length === 0) return out;
  const serversOf = routeServers(index, gateways);
  const own = new Set(gateways);
  const isOwn = new Map<Manifest, boolean>();
  for (const b of backends) {
    const via = serversOf(b.route.obj)?.via;
    if (via === undefined) continue;
    // the gateway's own Service (its proxy exposed through an Ingress) is not one of its upstreams
    const svc = index.service(b.namespace, b.service);
    if (svc !== undefined) {
      if (!isOwn.has(svc)) isOwn.set(svc, index.selectedPods(svc.obj).some((p) => own.has(p)));
      if (isOwn.get(svc)) continue;
    }
    out.set(b, via);
  }
  return out;
}

/**
 * Class names a workload's ingress controller says it serves: Kong's CONTROLLER_INGRESS_CLASS env
 * (Kong's chart, in the gateway's pod or a separate controller Deployment), and the
 * --ingress-class / --providers.kubernetesingress.ingressclass flags of ingress-nginx and Traefik.
 */
export function classesServedBy(pod: PodOwner, kongOnly = false): string[] {
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
