import { kumaServiceTag } from '../../kuma/_addresses';
import { KumaCapabilities } from '../../kuma/_kuma-capabilities';
import { KumaLabel } from '../../kuma/well-known';
import { describe, Manifest, ManifestIndex, PodOwner, RouteBackend, routeBackends } from '../../model/_manifests';
import { gatewayServiceTags, targetRefSelects } from '../../model/_policy-targets';
import { isKongControllerOnly, productOf, routeServers } from '../../model/_route-owners';
import type { RawFinding } from '../rules/rule';

/*
 * What Kuma will do with the traffic of a set, as a graph: each delegated gateway, the routes it
 * serves (model/_route-owners.ts), the Services they send to, the workloads behind them and the
 * cross-zone names they resolve to; on each route -> Service edge the policies that apply to the
 * gateway's traffic (MeshTrafficPermission, MeshTimeout, MeshRetry, MeshCircuitBreaker, matched as
 * model/_policy-targets.ts matches them); and every finding of the analysis on the node or edge it
 * is about. Rendered by ./_graph-formats.ts.
 */

/** A finding as the graph carries it. */
export interface GraphFinding {
  readonly ruleId: string;
  readonly severity: string;
  readonly object: string;
  readonly message: string;
}

export type GraphNodeKind = 'gateway' | 'route' | 'service' | 'workload' | 'mesh-target' | 'object';

export interface GraphNode {
  /** A stable id made of the kind, namespace and name. */
  readonly id: string;
  readonly kind: GraphNodeKind;
  /** `<kind> <namespace>/<name>`, or the host name of a mesh target. */
  readonly object: string;
  /** `file#document` (the lint) or the construct path (an app). */
  readonly source?: string;
  /** What Kuma makes of it, a line each. */
  readonly details: string[];
  readonly findings: GraphFinding[];
}

export type GraphEdgeKind = 'serves' | 'routes-to' | 'selects' | 'resolves-to';

/** A policy that applies to an edge's traffic. */
export interface GraphPolicy {
  readonly kind: string;
  /** `<namespace>/<name>`. */
  readonly name: string;
  /** What it says of this traffic (`Allow`, `rules`, ...), when it says something short. */
  readonly effect?: string;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: GraphEdgeKind;
  /** The port, the class or the selector the edge rests on. */
  readonly label: string;
  readonly policies: GraphPolicy[];
  readonly findings: GraphFinding[];
}

export interface TrafficGraph {
  readonly version: string;
  readonly nodes: GraphNode[];
  readonly edges: GraphEdge[];
}

const POLICY_KINDS = ['MeshTrafficPermission', 'MeshTimeout', 'MeshRetry', 'MeshCircuitBreaker'];
const ALLOW = new Set(['Allow', 'AllowWithShadowDeny']);

/** The graph of a set, with `findings` (the analysis's, active and suppressed alike as the caller chooses) placed on it. */
export function trafficGraph(index: ManifestIndex, caps: KumaCapabilities, findings: readonly RawFinding[]): TrafficGraph {
  const nodes = new Map<string, GraphNode>();
  const byManifest = new Map<Manifest, string>();
  const edges: GraphEdge[] = [];
  const usedIds = new Set<string>();
  const idFor = (prefix: string, obj: any): string => {
    const parts = [prefix, obj?.metadata?.namespace, obj?.metadata?.name].filter((x) => typeof x === 'string' && x !== '');
    const base = parts.join('_').replace(/[^A-Za-z0-9_]/g, '_');
    let id = base;
    for (let n = 2; usedIds.has(id); n++) id = `${base}_${n}`;
    usedIds.add(id);
    return id;
  };
  const addNode = (m: Manifest | undefined, kind: GraphNodeKind, id: string, object: string, details: string[]): string => {
    nodes.set(id, { id, kind, object, ...m?.source === undefined ? {} : { source: m.source }, details, findings: [] });
    if (m !== undefined) byManifest.set(m, id);
    return id;
  };
  const mesh = (p: PodOwner) => index.meshOf(p, !caps.meshAnnotationIgnored).mesh;
  const meshState = (p: PodOwner): string => {
    const meshed = index.meshed(p);
    return meshed === true ? `meshed, mesh ${mesh(p)}` : meshed === false ? 'not meshed' : `meshed: not known (namespace ${p.namespace} is not in the set)`;
  };

  // gateways
  const gateways = index.pods.filter((p) => index.isGateway(p, caps));
  for (const g of gateways) {
    const product = productOf(g);
    const details = [`delegated gateway${product === undefined ? '' : ` (${product.name})`}`, meshState(g)];
    if (isKongControllerOnly(g)) details.push('Kong\'s controller only: configures the proxy, sends no route traffic');
    addNode(g.manifest, 'gateway', idFor('gw', g.manifest.obj), describe(g.manifest.obj), details);
  }

  // routes, and who serves them
  const backends = routeBackends(index);
  // routes in the set's order, those without a Service backend too (a finding may be about one)
  const withBackends = new Set(backends.map((b) => b.route));
  const routes = [...withBackends, ...[...index.ingresses, ...index.httpRoutes].filter((r) => !withBackends.has(r))];
  for (const r of routes) addNode(r, 'route', idFor('route', r.obj), describe(r.obj), []);
  // who serves each route, computed once per route (model/_route-owners.ts)
  const serversOf = routeServers(index, gateways);
  for (const r of routes) {
    const servers = serversOf(r.obj);
    for (const g of servers?.gateways ?? []) {
      edges.push({ from: byManifest.get(g.manifest)!, to: byManifest.get(r)!, kind: 'serves', label: serveLabel(servers!.via), policies: [], findings: [] });
    }
  }

  // Services, the workloads they select, the mesh names they resolve to
  const serviceIds = new Map<string, string>();
  const serviceNode = (b: RouteBackend): string => {
    const key = `${b.namespace}/${b.service}`;
    const known = serviceIds.get(key);
    if (known !== undefined) return known;
    const svc = index.service(b.namespace, b.service);
    const obj = svc?.obj ?? { kind: 'Service', metadata: { namespace: b.namespace, name: b.service } };
    const id = addNode(svc, 'service', idFor('svc', obj), describe(obj), svc === undefined ? ['not in the set'] : serviceDetails(svc.obj));
    serviceIds.set(key, id);
    if (svc === undefined) return id;
    const host = svc.obj.spec?.type === 'ExternalName' ? String(svc.obj.spec?.externalName ?? '') : '';
    if (/\.mesh(\.local)?\.?$/.test(host)) {
      const target = `mesh_${host.replace(/[^A-Za-z0-9_]/g, '_')}`;
      if (!nodes.has(target)) {
        usedIds.add(target);
        addNode(undefined, 'mesh-target', target, host, [crossZoneDetail(host)]);
      }
      edges.push({ from: id, to: target, kind: 'resolves-to', label: 'ExternalName', policies: [], findings: [] });
    }
    for (const p of index.selectedPods(svc.obj)) {
      const w = byManifest.get(p.manifest) ?? addNode(p.manifest, 'workload', idFor('wl', p.manifest.obj), describe(p.manifest.obj), [meshState(p)]);
      edges.push({ from: id, to: w, kind: 'selects', label: 'selector', policies: [], findings: [] });
    }
    return id;
  };
  const policies = index.manifests.filter((m) => String(m.obj?.apiVersion ?? '').startsWith('kuma.io/') && POLICY_KINDS.includes(m.obj?.kind));
  const backendEdges = new Map<RouteBackend, GraphEdge>();
  const routeEdges = new Map<string, GraphEdge>();
  // a gateway's kuma.io/service (2.x), by which a policy may select it
  const tagOf = gatewayServiceTags(index, caps);
  const policiesOf = policyMatcher(index, caps, policies, tagOf);
  for (const b of backends) {
    const to = serviceNode(b);
    const port = b.port !== undefined ? `port ${b.port}` : b.portName !== undefined ? `port ${b.portName}` : 'no port';
    const edge: GraphEdge = {
      from: byManifest.get(b.route)!,
      to,
      kind: 'routes-to',
      label: port,
      policies: policiesOf(b, serversOf(b.route.obj)?.gateways ?? []),
      findings: [],
    };
    // one edge per route and Service port: a route naming the same backend twice draws it once
    const key = `${edge.from} ${edge.to} ${edge.label}`;
    const drawn = routeEdges.get(key);
    if (drawn !== undefined) {
      backendEdges.set(b, drawn);
      continue;
    }
    routeEdges.set(key, edge);
    edges.push(edge);
    backendEdges.set(b, edge);
  }

  // findings: on the backend edge a route finding's key is under, on the edges of a policy it is
  // about, else on its object's node (a node of its own for an object the graph has no other use for)
  const backendsOfRoute = new Map<Manifest, RouteBackend[]>();
  for (const b of backends) pushTo(backendsOfRoute, b.route, b);
  const edgesOfPolicy = new Map<string, GraphEdge[]>();
  for (const e of edges) for (const p of e.policies) pushTo(edgesOfPolicy, `${p.kind} ${p.name}`, e);
  for (const f of findings) {
    const gf: GraphFinding = { ruleId: f.ruleId, severity: f.severity, object: f.object, message: f.message };
    const target = f.target;
    if (target !== undefined && f.at !== undefined) {
      const b = (backendsOfRoute.get(target) ?? []).find((x) => x.path.every((k, i) => f.at![i] === k));
      if (b !== undefined) {
        backendEdges.get(b)!.findings.push(gf);
        continue;
      }
    }
    const policyEdges = target === undefined ? [] : edgesOfPolicy.get(`${target.obj?.kind} ${target.obj?.metadata?.namespace ?? ''}/${target.obj?.metadata?.name}`) ?? [];
    if (policyEdges.length > 0) {
      for (const e of policyEdges) e.findings.push(gf);
      continue;
    }
    let id = target === undefined ? undefined : byManifest.get(target);
    if (id === undefined) {
      id = target === undefined ? `object_${f.object.replace(/[^A-Za-z0-9_]/g, '_')}` : idFor(`obj_${String(target.obj?.kind)}`, target.obj);
      if (!nodes.has(id)) addNode(target, 'object', id, f.object, []);
    }
    nodes.get(id)!.findings.push(gf);
  }
  return { version: caps.version.toString(), nodes: [...nodes.values()], edges };
}

/** Adds `value` to the list of `key`. */
function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function serveLabel(via: string): string {
  // "its class kong (spec.ingressClassName) is IngressClass kong of ..." -> "class kong"
  const cls = via.match(/^its class (\S+)/);
  if (cls) return `class ${cls[1]}`;
  const parent = via.match(/^its parent Gateway (\S+)/);
  if (parent) return `Gateway ${parent[1]}`;
  return 'may serve';
}

function serviceDetails(svc: any): string[] {
  const out: string[] = [];
  if (svc.spec?.type === 'ExternalName') out.push(`ExternalName ${svc.spec?.externalName}`);
  const upstream = svc.metadata?.annotations?.['ingress.kubernetes.io/service-upstream'] ?? svc.metadata?.annotations?.['nginx.ingress.kubernetes.io/service-upstream'];
  if (upstream === 'true') out.push('service-upstream');
  if (svc.metadata?.annotations?.['kuma.io/ignore'] === 'true') out.push('kuma.io/ignore');
  return out;
}

function crossZoneDetail(host: string): string {
  return /\.mesh\.local\.?$/.test(host) ? 'MeshService or MeshMultiZoneService host name' : '.mesh VIP (kuma.io/service)';
}

/**
 * The policies of the set that apply to the traffic of a backend's gateways to its Service, by kind
 * then name; outbound policies are indexed by the Services their `to` names, and each answer is
 * kept per Service and gateways (a tree of routes asks for the same many times).
 */
function policyMatcher(index: ManifestIndex, caps: KumaCapabilities, policies: Manifest[],
  tagOf: (g: PodOwner) => string | undefined): (b: RouteBackend, gateways: PodOwner[]) => GraphPolicy[] {
  const permissions = policies.filter((p) => p.obj.kind === 'MeshTrafficPermission');
  // outbound policies by what a `to` names: '*' (Mesh), a kuma.io/service, `<ns>/<name>` of a MeshService
  const byTarget = new Map<string, Set<Manifest>>();
  const add = (key: string, p: Manifest) => byTarget.set(key, (byTarget.get(key) ?? new Set()).add(p));
  for (const p of policies) {
    if (p.obj.kind === 'MeshTrafficPermission') continue;
    for (const t of Array.isArray(p.obj.spec?.to) ? p.obj.spec.to : []) {
      const ref = t?.targetRef;
      if (ref?.kind === 'Mesh') add('*', p);
      if (ref?.kind !== 'MeshService') continue;
      if (typeof ref.name === 'string') {
        add(ref.name, p);
        add(`${ref.namespace ?? p.obj.metadata?.namespace}/${ref.name}`, p);
      } else if (ref.labels !== null && typeof ref.labels === 'object' && typeof ref.labels['kuma.io/display-name'] === 'string') {
        add(`${ref.labels['k8s.kuma.io/namespace'] ?? p.obj.metadata?.namespace}/${ref.labels['kuma.io/display-name']}`, p);
      }
    }
  }
  const cache = new Map<string, GraphPolicy[]>();
  const ids = new Map<PodOwner, number>();
  return (b, gateways) => {
    const svc = index.service(b.namespace, b.service);
    if (svc === undefined || gateways.length === 0) return [];
    const key = `${b.namespace}/${b.service} ${gateways.map((g) => ids.get(g) ?? ids.set(g, ids.size).get(g)).join(',')}`;
    if (!cache.has(key)) {
      const tags: string[] = (svc.obj.spec?.ports ?? []).map((p: any) => kumaServiceTag(b.service, String(b.namespace), p?.port));
      const candidates = new Set([...permissions, ...['*', `${b.namespace}/${b.service}`, ...tags].flatMap((k) => [...byTarget.get(k) ?? []])]);
      cache.set(key, policiesOn(index, caps, svc, tags, gateways, policies.filter((p) => candidates.has(p)), tagOf));
    }
    return cache.get(key)!;
  };
}

/** The policies (of `policies`) that apply to the traffic of `gateways` to `svc`, by kind then name. */
function policiesOn(index: ManifestIndex, caps: KumaCapabilities, svc: Manifest, tags: string[], gateways: PodOwner[],
  policies: Manifest[], tagOf: (g: PodOwner) => string | undefined): GraphPolicy[] {
  const senders = gateways.filter((g) => !isKongControllerOnly(g));
  const pods = index.selectedPods(svc.obj);
  const meshOfPod = (p: PodOwner) => index.meshOf(p, !caps.meshAnnotationIgnored).mesh;
  const meshOfPolicy = (m: Manifest) => m.obj.metadata?.labels?.[KumaLabel.MESH] ?? 'default';
  const out: GraphPolicy[] = [];
  // how a targetRef selects: 'unknown' is a kind or name the manifests cannot resolve (it may apply)
  const selects = (ref: any, ns: string | undefined, pod: PodOwner, tag: string | undefined) => targetRefSelects(index, ref ?? { kind: 'Mesh' }, ns, pod, tag, true);
  const maybe = (how: (string | undefined)[]) => (how.some((h) => h !== undefined && h !== 'unknown') ? 'yes' : how.includes('unknown') ? 'maybe' : 'no');
  for (const p of policies) {
    const ns = p.obj.metadata?.namespace;
    const spec = p.obj.spec ?? {};
    const name = `${ns ?? ''}/${p.obj.metadata?.name}`;
    if (p.obj.kind === 'MeshTrafficPermission') {
      // inbound: its targetRef selects the Service's pods; 2.x: a `from` selects the gateway; 3.x: rules
      const inMesh = pods.filter((pod) => meshOfPod(pod) === meshOfPolicy(p));
      const on = maybe(inMesh.flatMap((pod) => [undefined, ...tags].map((t) => selects(spec.targetRef, ns, pod, t))));
      if (on === 'no') continue;
      const hedge = on === 'maybe' ? ', may apply: its targetRef is not resolved from the manifests' : '';
      if (caps.permissionRules) {
        // 3.x: rules allow or deny SPIFFE IDs (a `from` is dropped by 3.x, KUMA015): the IDs it names, for the reviewer to match with the gateway's
        const rules: any[] = Array.isArray(spec.rules) ? spec.rules : [];
        if (rules.length === 0) continue;
        const ids = (key: string) => rules.flatMap((r: any) => (Array.isArray(r?.default?.[key]) ? r.default[key] : []))
          .map((m: any) => String(m?.spiffeID?.value ?? JSON.stringify(m ?? null)));
        const effect = [ids('allow').length > 0 ? `allows ${ids('allow').join(', ')}` : undefined, ids('deny').length > 0 ? `denies ${ids('deny').join(', ')}` : undefined]
          .filter((x) => x !== undefined).join('; ');
        out.push({ kind: p.obj.kind, name, effect: `${effect === '' ? 'rules' : effect}${hedge}` });
        continue;
      }
      const fromSender = (f: any) => senders.some((g) => selects(f?.targetRef, ns, g, tagOf(g)) !== undefined);
      const from = (Array.isArray(spec.from) ? spec.from : []).find(fromSender);
      const action = ALLOW.has(from?.default?.action) ? 'Allow' : String(from?.default?.action ?? '');
      if (from !== undefined) out.push({ kind: p.obj.kind, name, effect: `${action}${hedge}` });
      continue;
    }
    // outbound: its targetRef selects a gateway (none: the whole mesh) and a `to` names the Service
    const fromGateway = maybe(senders.filter((g) => meshOfPod(g) === meshOfPolicy(p)).map((g) => selects(spec.targetRef, ns, g, tagOf(g))));
    if (fromGateway === 'no') continue;
    const to = (Array.isArray(spec.to) ? spec.to : []).some((t: any) => toSelects(t?.targetRef, ns, svc.obj, tags));
    if (to) out.push({ kind: p.obj.kind, name, ...fromGateway === 'maybe' ? { effect: 'may apply: its targetRef is not resolved from the manifests' } : {} });
  }
  return out.sort((x, y) => (POLICY_KINDS.indexOf(x.kind) - POLICY_KINDS.indexOf(y.kind)) || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
}

/** Whether a `to[].targetRef` names the Service: the whole mesh, its kuma.io/service, its MeshService by name or by labels. */
function toSelects(ref: any, policyNamespace: string | undefined, svc: any, tags: string[]): boolean {
  if (ref === null || typeof ref !== 'object') return false;
  if (ref.kind === 'Mesh') return true;
  if (ref.kind !== 'MeshService') return false;
  const name = svc.metadata?.name;
  const namespace = svc.metadata?.namespace;
  if (typeof ref.name === 'string') return tags.includes(ref.name) || (ref.name === name && (ref.namespace ?? policyNamespace) === namespace);
  const labels = ref.labels;
  if (labels === null || typeof labels !== 'object') return false;
  return labels['kuma.io/display-name'] === name && (labels['k8s.kuma.io/namespace'] ?? policyNamespace) === namespace;
}
