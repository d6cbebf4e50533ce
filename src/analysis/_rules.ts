import { Chart } from 'cdk8s';
import { ControlPlaneFact, controlPlaneFindings } from './_control-plane';
import { gatewayInboundFindings, gatewayServiceTags } from './_gateway-inbound';
import { gatewayPermissionFindings } from './_gateway-permission';
import { gatewayServiceFindings } from './_gateway-services';
import { identityFindings } from './_identity-rules';
import { ingressClassFindings } from './_ingress-classes';
import { l7OnTcpFindings } from './_l7-on-tcp';
import { migrationFindings } from './_migration';
import { passthroughFindings } from './_passthrough';
import { CniOf, podStartFindings } from './_pod-start';
import { policyRoleFindings } from './_policy-roles';
import { reachableCoverageFindings } from './_reachable-coverage';
import { routeTargetFindings } from './_route-targets';
import { FindingSeverity, MeshFinding, MeshRule } from './finding';
import { capabilitiesOf, removedIn, unreadKeyReason } from '../kuma/_kuma-capabilities';
import { byLabels, reachableBackendsAnnotation, sortedRefs } from '../kuma/_reachable-backends';
import { GatewayMarking } from '../kuma/gateway-marking';
import { KumaProtocol } from '../kuma/kuma-protocol';
import { KumaVersion } from '../kuma/kuma-version';
import { KumaAnnotation, KumaLabel, ServiceAnnotation } from '../kuma/well-known';
import { MeshServicesMode } from '../mesh/mesh';
import { ServiceUpstream } from '../mesh/service-upstream';
import { predictDataplane, servicesSelectingPod } from '../model/_dataplane';
import { describe, Manifest, ManifestIndex, PodOwner, podMetadataPath, podTemplateOf, podView, RouteBackend, routeBackends, workloadOfPodOwner } from '../model/_manifests';
import { DerivedBackend, derivedBackend, describeRef } from '../model/_reachable-derivation';
import { gatewayRouteBackends } from '../model/_route-owners';

/** A fix the analyzer can apply to the app's objects. */
export type Fix =
  | { readonly kind: 'service-upstream'; readonly service: Manifest }
  | { readonly kind: 'reachable-services'; readonly gateway: PodOwner; readonly services: string[] }
  | { readonly kind: 'edit'; readonly target: Manifest; readonly ops: EditOp[] };

/** One change of a migration fix, at a path inside the manifest. */
export type EditOp =
  | { readonly op: 'set'; readonly path: ReadonlyArray<string | number>; readonly value: unknown }
  | { readonly op: 'delete'; readonly path: ReadonlyArray<string | number> };

/** A finding plus the fix that resolves it, if there is a safe one. */
export interface RawFinding extends MeshFinding {
  readonly autoFix?: Fix;
  /** The fix worded for the lint command, where it differs from the API's (`fix`). */
  readonly cliFix?: string;
}

/** Options of the analysis. */
export interface AnalysisContext {
  readonly version: KumaVersion;
  readonly meshServicesMode?: MeshServicesMode;
  /** Where the control plane of a manifest's cluster runs, when something says so. */
  readonly controlPlane?: (m: Manifest) => ControlPlaneFact | undefined;
  /** Whether the control plane of a manifest's cluster runs Kuma CNI, when something says so. */
  readonly cni?: CniOf;
}

/** The rule catalogue: ids are stable. */
export const RULES: MeshRule[] = [
  {
    id: 'KUMA001',
    name: 'service-upstream-missing',
    fixable: true,
    description: 'A Service that selects meshed pods lacks ingress.kubernetes.io/service-upstream and nginx.ingress.kubernetes.io/service-upstream, and its namespace is not labelled for injection, so Kuma does not add them: a delegated gateway sends to pod IPs and bypasses the mesh (kumahq/kuma#11994).',
  },
  {
    id: 'KUMA002',
    name: 'route-backend-service-upstream',
    fixable: true,
    description: 'An Ingress or HTTPRoute routed by a delegated gateway has a backend Service that nothing tells the controller to reach by its ClusterIP (no Service annotations, no nginx Ingress annotation, no IngressClassParameters serviceUpstream).',
  },
  {
    id: 'KUMA003',
    name: 'mesh-vip-port',
    fixable: false,
    description: 'A route sends to an ExternalName Service pointing at a .mesh name on a port other than 80, the only port .mesh VIPs listen on.',
  },
  {
    id: 'KUMA004',
    name: 'pod-injection-namespace-unlabelled',
    fixable: false,
    description: 'Pods carry kuma.io/sidecar-injection: enabled in a namespace without the kuma.io/sidecar-injection label: Kuma\'s pod webhook requires the namespace label to exist, so they run without a sidecar.',
  },
  {
    id: 'KUMA005',
    name: 'gateway-annotation-on-workload',
    fixable: false,
    description: 'kuma.io/gateway is on the workload\'s metadata, where Kuma never reads it; it belongs on the pod template.',
  },
  {
    id: 'KUMA006',
    name: 'gateway-annotation-value',
    fixable: false,
    description: 'kuma.io/gateway on a pod template has a value that does not make a delegated gateway for the target version (2.x: only "enabled"; 3.0: a true boolean).',
  },
  {
    id: 'KUMA007',
    name: 'mesh-annotation',
    fixable: false,
    description: 'kuma.io/mesh is an annotation: deprecated since 2.8 and ignored by 3.0; the mesh is a label.',
  },
  {
    id: 'KUMA008',
    name: 'gateway-mesh-mismatch',
    fixable: false,
    description: 'A route sends to pods in a mesh in which no delegated gateway of the set runs.',
  },
  {
    id: 'KUMA009',
    name: 'gateway-identity',
    fixable: false,
    description: 'Kuma names a delegated gateway after the first port of the alphabetically first Service selecting its pods (kumahq/kuma#12765); here that is not its proxy Service.',
  },
  {
    id: 'KUMA010',
    name: 'mesh-vip-exclusive',
    fixable: false,
    description: 'An ExternalName Service points at a .mesh name while the mesh runs meshServices.mode Exclusive, where .mesh VIPs are not served.',
  },
  {
    id: 'KUMA011',
    name: 'gateway-reachable-services',
    fixable: true,
    description: 'A delegated gateway lists no reachable services (3.x: reachable backends); the ones its routes send to can be derived (MeshAnalyzer fix mode only, with exactly one gateway).',
  },
  {
    id: 'KUMA012',
    name: 'duplicate-object',
    fixable: false,
    description: 'Two objects of one chart (or of the linted files) share API group, kind, namespace and name: one silently replaces the other when applied.',
  },
  {
    id: 'KUMA013',
    name: 'annotation-not-read',
    fixable: false,
    description: 'A kuma.io/ or traffic.kuma.io/ annotation that Kuma\'s annotation catalogue for the target version does not have (removed, not yet added, or misspelt): Kuma ignores it.',
  },
  {
    id: 'KUMA014',
    name: 'gateway-annotation-removed',
    fixable: true,
    description: 'Kuma 3.x: kuma.io/gateway on a pod. Kuma 3.x removed it; the gateway must keep its listener ports out of inbound redirection (traffic.kuma.io/exclude-inbound-ports).',
  },
  {
    id: 'KUMA015',
    name: 'policy-from-removed',
    fixable: false,
    description: 'Kuma 3.x: a policy with spec.from, which 3.x removed (MeshTrafficPermission uses rules matching SPIFFE IDs).',
  },
  {
    id: 'KUMA016',
    name: 'legacy-targetref-kind',
    fixable: true,
    description: 'Kuma 3.x: a targetRef kind 3.x does not have there (top level: Mesh and Dataplane only; MeshSubset, MeshService, MeshServiceSubset are gone).',
  },
  {
    id: 'KUMA017',
    name: 'targetref-by-name',
    fixable: true,
    description: 'Kuma 3.x: a to[].targetRef by name/namespace, which the 3.x CRDs prune: select by labels (kuma.io/display-name, k8s.kuma.io/namespace) and sectionName.',
  },
  {
    id: 'KUMA018',
    name: 'mesh-field-removed',
    fixable: false,
    description: 'Kuma 3.x: a Mesh with spec.mtls or spec.meshServices, which 3.x removed.',
  },
  {
    id: 'KUMA019',
    name: 'reachable-services-removed',
    fixable: true,
    description: 'Kuma 3.x: kuma.io/transparent-proxying-reachable-services, which 3.x removed: list kuma.io/reachable-backends instead.',
  },
  {
    id: 'KUMA020',
    name: 'value-type',
    fixable: false,
    description: 'A label, annotation or env value that is not a string, or a port that is not an integer, as kubectl reads the YAML (1.1: unquoted true, yes, 8080): the API server rejects the object.',
  },
  {
    id: 'KUMA021',
    name: 'label-syntax',
    fixable: false,
    description: 'A label or annotation key, or a label value, that Kubernetes rejects (qualified names, 63-character label values).',
  },
  {
    id: 'KUMA022',
    name: 'control-plane-namespace',
    fixable: false,
    description: 'An object Kuma reads only from its control plane\'s namespace (kuma-system, kong-mesh-system for Kong Mesh) is elsewhere: a ContainerPatch (the injector does not find it and injection fails) or, before Kuma 2.9, a policy (the webhook refuses it).',
  },
  {
    id: 'KUMA023',
    name: 'ingress-class-unserved',
    fixable: false,
    description: 'An Ingress names an ingress class that is not among the IngressClasses of the set and that no controller of the set serves, while the set has a delegated gateway: no gateway of these files routes it.',
  },
  {
    id: 'KUMA024',
    name: 'kong-upstream-protocol',
    fixable: false,
    description: 'A route Kong serves (by its IngressClass or GatewayClass) sends to a Service port whose appProtocol is grpc or tls, and the Service has no konghq.com/protocol: Kong\'s controller does not read appProtocol and speaks HTTP/1.1 (Kong/kubernetes-ingress-controller#4457).',
  },
  {
    id: 'KUMA025',
    name: 'gateway-inbound-policy',
    fixable: false,
    description: 'Kuma 2.x: a policy with spec.from or spec.rules whose top-level targetRef selects a delegated gateway (MeshSubset tags, Dataplane labels, or its MeshService): the gateway has no inbound listeners, so the policy does nothing for it (kumahq/kuma#12107).',
  },
  {
    id: 'KUMA026',
    name: 'gateway-not-permitted',
    fixable: false,
    description: 'Kuma 2.x: a delegated gateway routes to pods of a mesh whose Mesh (in the set) runs mTLS, and no MeshTrafficPermission in the set allows the gateway in: Kuma denies its requests unless a permission elsewhere does (kumahq/kuma#995, #5087).',
  },
  {
    id: 'KUMA027',
    name: 'app-protocol-not-parsed',
    fixable: false,
    description: 'A Service of meshed pods gives a port the appProtocol kubernetes.io/h2c (or h2c), which Kuma does not parse: it treats the port as tcp, where http2 was meant.',
  },
  {
    id: 'KUMA028',
    name: 'pod-run-as-non-root',
    fixable: true,
    description: 'Meshed pods set securityContext.runAsNonRoot: true at pod level: without Kuma CNI (the default install) Kuma\'s injector adds the kuma-init container as runAsUser 0, which the kubelet then refuses to start, so the pods never start.',
  },
  {
    id: 'KUMA029',
    name: 'service-account-token-missing',
    fixable: true,
    description: 'Meshed pods mount no service-account token (automountServiceAccountToken: false on the pod or its ServiceAccount, no kuma.io/service-account-token-volume): the sidecar authenticates to the control plane with it, and kuma-dp exits without it.',
  },
  {
    id: 'KUMA030',
    name: 'route-port-missing',
    fixable: false,
    description: 'An Ingress or HTTPRoute sends to a Service port (number or name) that the Service does not have: the route reaches no endpoint and the gateway answers 503.',
  },
  {
    id: 'KUMA031',
    name: 'route-to-unmeshed',
    fixable: false,
    description: 'A route a delegated gateway serves sends to pods known not to be meshed (their namespace is labelled disabled or not at all, and they do not opt in): the traffic leaves the mesh in plaintext, outside mTLS and every mesh policy.',
  },
  {
    id: 'KUMA032',
    name: 'reachable-list-incomplete',
    fixable: false,
    description: 'A delegated gateway lists its reachable services or backends, and a route it serves sends to one the list leaves out: Kuma builds no outbound for it, so the requests leave through passthrough in plaintext, or fail (always, for a .mesh or .mesh.local name, which resolves only through an outbound).',
  },
  {
    id: 'KUMA033',
    name: 'policy-roles-mixed',
    fixable: false,
    description: 'A policy mixes producer to[] items (a MeshService named by its name, or in 3.x by kuma.io/display-name only, in the policy\'s own namespace) with consumer items, or (2.x) has both from and to: Kuma 2.9+ refuses it at admission.',
  },
  {
    id: 'KUMA034',
    name: 'gateway-policy-producer',
    fixable: false,
    description: 'An outbound policy aimed at a delegated gateway names only MeshServices of its own namespace, so Kuma computes it as a producer policy: it applies to every proxy with the gateway\'s labels in every namespace and is synced to every zone.',
  },
  {
    id: 'KUMA035',
    name: 'control-plane-owned-label',
    fixable: false,
    description: 'A label Kuma\'s control plane computes (kuma.io/display-name, kuma.io/zone, kuma.io/env, k8s.kuma.io/namespace, kuma.io/policy-role, k8s.kuma.io/service-account, kuma.io/workload, ...) is written on a Kuma resource, a meshed pod or a Service of meshed pods: Kuma 3.0 refuses a value that differs from the computed one; 2.x overwrites it or keeps the wrong value.',
  },
  {
    id: 'KUMA036',
    name: 'reachable-backends-by-name',
    fixable: true,
    description: 'kuma.io/reachable-backends names a backend by name/namespace, which Kuma 3.0 resolves to nothing (refs select by labels only; reported for the release), so the sidecar gets no outbound for it.',
  },
  {
    id: 'KUMA037',
    name: 'mesh-identity-missing',
    fixable: false,
    description: 'Kuma 3.x MeshTrafficPermissions of a mesh that no MeshIdentity in the files covers: permissions apply only to proxies a MeshIdentity matches, and a mesh without one serves plaintext and lets every client in.',
  },
  {
    id: 'KUMA038',
    name: 'gateway-default-service-account',
    fixable: false,
    description: 'A Kuma 3.x delegated gateway runs under its namespace\'s default ServiceAccount, and a permission lets in that SPIFFE ID, which every pod of the namespace without an account of its own shares: the permission lets them all in.',
  },
  {
    id: 'KUMA039',
    name: 'gateway-passthrough-missing',
    fixable: false,
    description: 'A Kuma 3.x delegated gateway sends traffic outside the mesh (its controller watches the Kubernetes API; a route sends to an external ExternalName host) and no MeshPassthrough selects it: a 3.0 sidecar drops such traffic (passthrough off by default, reported for the release).',
  },
  {
    id: 'KUMA040',
    name: 'http-policy-on-tcp',
    fixable: false,
    description: 'A MeshTimeout\'s http settings, or a MeshRetry\'s http or grpc section, for an upstream whose ports Kuma treats as plain TCP (no appProtocol it knows): the outbound has no HTTP layer, so they do nothing.',
  },
  {
    id: 'KUMA041',
    name: 'gateway-service-not-ignored',
    fixable: true,
    description: 'A Service selects the pods of a Kuma 3.x delegated gateway and is not annotated kuma.io/ignore: "true": Kuma makes a MeshService of it whose endpoints are the gateway\'s pods and gives the gateway inbounds for its ports.',
  },
];

/** The findings as the public API gives them: without the fix the analyzer applies. */
export function withoutFixes(findings: RawFinding[]): MeshFinding[] {
  return findings.map(({ autoFix: _fix, cliFix: _cli, ...f }) => f);
}

/** The findings as the lint command reports them: each fix worded for the command line. */
export function forCommandLine(findings: RawFinding[]): MeshFinding[] {
  return findings.map(({ autoFix: _fix, cliFix, ...f }) => ({ ...f, fix: cliFix ?? f.fix }));
}

const ruleName = (id: string) => RULES.find((r) => r.id === id)!.name;

/** The Kubernetes-standard names of cleartext HTTP/2 (KEP-3726), which Kuma calls http2. */
const H2C = new Set(['kubernetes.io/h2c', 'h2c']);

/** A fix, or the API's and the lint command's wording of it. */
export type FixText = string | { readonly api: string; readonly cli: string };

function finding(id: string, severity: FindingSeverity, m: Manifest, message: string, fix: FixText, autoFix?: Fix): RawFinding {
  const [api, cli] = typeof fix === 'string' ? [fix, undefined] : [fix.api, fix.cli];
  const source = m.source ?? m.construct?.node.path;
  return { ruleId: id, rule: ruleName(id), severity, object: describe(m.obj), source, message, fix: api, autoFix, cliFix: cli };
}

function hasUpstream(service: any): boolean {
  return ServiceUpstream._KEYS.every((k) => service.metadata?.annotations?.[k] === ServiceUpstream.VALUE);
}

/** Runs every rule. */
export function analyze(index: ManifestIndex, ctx: AnalysisContext): RawFinding[] {
  // A set with nothing of Kuma in it (a Traefik quick-start, an app without a mesh) is not Kuma's.
  if (!index.hasKumaSignal()) return [];
  const caps = capabilitiesOf(ctx.version);
  const findings: RawFinding[] = [];
  // what the rule modules report through
  const emit = (id: string, severity: FindingSeverity, m: Manifest, message: string, fix: FixText) =>
    findings.push(finding(id, severity, m, message, fix));
  const gateways = index.pods.filter((p) => index.isGateway(p, caps));
  const backends = routeBackends(index);
  // the backends of the routes the set's delegated gateways serve (by class, parentRefs), with why
  const servedBy = gatewayRouteBackends(index, gateways, backends);
  const served = [...servedBy.keys()];
  const viaOf = (b: RouteBackend) => servedBy.get(b);
  // the default mesh's services mode: in Exclusive a 2.x sidecar has MeshService outbounds only
  const exclusive = (ctx.meshServicesMode ?? modeOfMesh(index, 'default')) === MeshServicesMode.EXCLUSIVE;

  // KUMA001: Services of meshed pods without service-upstream, where Kuma will not add it.
  const flagged = new Set<Manifest>();
  for (const svc of index.services) {
    const o = svc.obj;
    if (o.spec?.type === 'ExternalName' || hasUpstream(o)) continue;
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
    flagged.add(svc);
    const nsLabel = index.namespaceLabels(o.metadata?.namespace)?.[KumaLabel.SIDECAR_INJECTION];
    findings.push(finding('KUMA001', FindingSeverity.ERROR, svc,
      `selects meshed pods (their kuma.io/sidecar-injection: enabled label), but namespace ${o.metadata?.namespace} is ${nsLabel === undefined ? 'not labelled kuma.io/sidecar-injection' : `labelled kuma.io/sidecar-injection=${nsLabel}`}, so Kuma does not add ingress.kubernetes.io/service-upstream and nginx.ingress.kubernetes.io/service-upstream; a delegated gateway would send to pod IPs and bypass the mesh`,
      {
        api: 'Add both annotations with the value "true" (MeshService, ServiceUpstream.annotate() or MeshAnalyzer fix mode).',
        cli: 'Add both annotations with the value "true" (cdk8s-kuma lint --fix adds them).',
      },
      { kind: 'service-upstream', service: svc }));
  }

  for (const b of backends) {
    const svc = index.service(b.namespace, b.service);
    if (svc === undefined) continue;
    const o = svc.obj;
    if (o.spec?.type === 'ExternalName') {
      const name = String(o.spec.externalName ?? '');
      const vip = name.endsWith('.mesh');
      // KUMA003: .mesh VIPs listen on port 80 only.
      if (vip && b.port !== undefined && b.port !== 80) {
        findings.push(finding('KUMA003', FindingSeverity.ERROR, b.route,
          `sends to ${describe(o)} (${name}) on port ${b.port}, but .mesh VIPs listen on port 80 only, whatever the service's port`,
          { api: 'Use port 80 in the route (CrossZoneExternalName.toIngressBackend() does).', cli: 'Use port 80 in the route.' }));
      }
      // KUMA010: .mesh VIPs are not served in Exclusive mode.
      if (vip && (exclusive || !caps.meshVips)) {
        findings.push(finding('KUMA010', FindingSeverity.ERROR, svc,
          `points at ${name}, but the mesh runs meshServices.mode Exclusive${!caps.meshVips ? ` (every ${ctx.version} mesh does)` : ''}, where .mesh VIPs are not served`,
          'Point it at the MeshService hostname <name>.<namespace>.svc.<zone>.mesh.local or <name>.mzsvc.mesh.local, with the real port.'));
      }
      continue;
    }
    // KUMA002: route backends that nothing sends to by ClusterIP.
    const via = viaOf(b);
    if (via === undefined || hasUpstream(o) || flagged.has(svc)) continue;
    const ns = index.injection(o.metadata?.namespace);
    if (ns.servicesAnnotatedByKuma || routeHasServiceUpstream(index, b)) continue;
    flagged.add(svc);
    findings.push(finding('KUMA002', ns.known ? FindingSeverity.ERROR : FindingSeverity.WARNING, b.route,
      `routes to ${describe(o)}, which carries no service-upstream annotations${ns.known ? '' : ' (its namespace is not in the set, so Kuma may add them if it is labelled for injection)'}, and neither the route nor its class tells the controller to use the ClusterIP; a delegated gateway serves the route: ${via}`,
      {
        api: 'Annotate the Service (GatewayFlavour.useServiceUpstream()), or use a Kong IngressClass with serviceUpstream (KongIngressClass).',
        cli: 'Annotate the Service with ingress.kubernetes.io/service-upstream and nginx.ingress.kubernetes.io/service-upstream "true" (cdk8s-kuma lint --fix adds them), or give its Kong IngressClass IngressClassParameters with serviceUpstream: true.',
      },
      { kind: 'service-upstream', service: svc }));
  }

  for (const pod of index.pods) {
    const m = pod.manifest;
    // KUMA004: pod-level opt-in in a namespace without the label.
    const ns = index.injection(pod.namespace);
    if (pod.labels[KumaLabel.SIDECAR_INJECTION] === 'enabled' && ns.known && !ns.allowsPodOptIn) {
      findings.push(finding('KUMA004', FindingSeverity.ERROR, m,
        `labels its pods kuma.io/sidecar-injection: enabled, but namespace ${pod.namespace} has no kuma.io/sidecar-injection label, so Kuma's pod webhook never fires and the pods run without a sidecar`,
        `Label namespace ${pod.namespace} kuma.io/sidecar-injection=enabled (or disabled, to keep injection per workload).`));
    }
    // KUMA005: the gateway annotation on the workload.
    if (pod.workloadAnnotations[KumaAnnotation.GATEWAY] !== undefined) {
      findings.push(finding('KUMA005', FindingSeverity.ERROR, m,
        'carries kuma.io/gateway on its own metadata, where Kuma never reads it', 'Move the annotation to the pod template (spec.template.metadata.annotations).'));
    }
    // KUMA006: a gateway value that is not delegated (2.x; 3.x removed the key: KUMA014).
    const gw = pod.annotations[KumaAnnotation.GATEWAY];
    if (gw !== undefined && gw !== 'enabled' && caps.gatewayMarkings.includes(GatewayMarking.GATEWAY_ANNOTATION)) {
      // Sources: kumahq/kuma@v2.14.3 pkg/plugins/runtime/k8s/controllers/pod_converter.go dataplaneFor;
      // pkg/plugins/runtime/k8s/controllers/pod_controller.go Reconcile; pkg/transparentproxy/kubernetes/kubernetes.go GetEnabled
      const what = gw === 'provided'
        ? 'which Kuma\'s pod converter takes for a provided gateway, not a delegated one, and its injector refuses as a boolean ("annotation kuma.io/gateway has wrong value")'
        : gw === 'builtin'
          ? 'which makes Kuma build a builtin gateway (MeshGateway) Dataplane for the pods, not a delegated gateway'
          : 'which Kuma\'s pod converter refuses ("invalid delegated gateway type"), so the pods get no Dataplane at all';
      findings.push(finding('KUMA006', FindingSeverity.ERROR, m,
        `has kuma.io/gateway: ${JSON.stringify(gw)} on its pod template, ${what}; "enabled" is the only delegated value in Kuma 2.x`,
        'Set it to "enabled".'));
    }
    // KUMA007: kuma.io/mesh as an annotation.
    if (pod.annotations[KumaLabel.MESH] !== undefined && !caps.meshAnnotation) {
      findings.push(finding('KUMA007', caps.meshAnnotationIgnored ? FindingSeverity.ERROR : FindingSeverity.WARNING, m,
        `sets kuma.io/mesh as a pod annotation, which Kuma ${caps.meshAnnotationIgnored ? `${ctx.version} ignores` : '2.8+ treats as deprecated'}`, 'Set kuma.io/mesh as a pod label.'));
    }
  }
  for (const ns of index.namespaces.values()) {
    if (ns.obj.metadata?.annotations?.[KumaLabel.MESH] !== undefined && !caps.meshAnnotation) {
      findings.push(finding('KUMA007', caps.meshAnnotationIgnored ? FindingSeverity.ERROR : FindingSeverity.WARNING, ns,
        `sets kuma.io/mesh as a namespace annotation, which Kuma ${caps.meshAnnotationIgnored ? `${ctx.version} ignores` : '2.8+ treats as deprecated'}`, 'Set kuma.io/mesh as a namespace label.'));
    }
  }

  // KUMA008: routes to a mesh no gateway is in (the mesh as Kuma resolves it: labels, and in 2.x
  // the deprecated annotations, kumahq/kuma-website#952).
  const readsAnnotation = !caps.meshAnnotationIgnored;
  const gatewayMeshes = new Map(gateways.map((g) => [index.meshOf(g, readsAnnotation).mesh, `${describe(g.manifest.obj)} by ${index.meshOf(g, readsAnnotation).how}`]));
  if (gateways.length > 0) {
    for (const b of served) {
      const svc = index.service(b.namespace, b.service);
      if (svc === undefined) continue;
      const meshes = new Map<string, string>();
      for (const p of index.selectedPods(svc.obj).filter((x) => index.meshed(x) !== false)) {
        const m = index.meshOf(p, readsAnnotation);
        if (!meshes.has(m.mesh)) meshes.set(m.mesh, m.how);
      }
      for (const [mesh, how] of meshes) {
        if (!gatewayMeshes.has(mesh)) {
          findings.push(finding('KUMA008', FindingSeverity.ERROR, b.route,
            `routes to ${describe(svc.obj)}, whose pods are in mesh ${mesh} (by ${how}), but the delegated gateways are in ${[...gatewayMeshes].map(([m, why]) => `${m} (${why})`).join(', ')}`,
            'Put the gateway and the services it routes to in the same mesh, with the kuma.io/mesh label on both (an annotation is deprecated, and ignored by Kuma 3.x), or route across meshes through a MeshExternalService.'));
        }
      }
    }
  }

  // KUMA009: the predicted gateway identity (2.x: Kuma 3.x gateways carry no kuma.io/service tag).
  if (capabilitiesOf(ctx.version).inboundTags) {
    const services = index.services.map((s) => s.obj);
    for (const gw of gateways) {
      const pod = podView(gw);
      const selecting = servicesSelectingPod(pod, services);
      if (selecting.length < 2) continue;
      const proxy = selecting.find((s) => s.spec?.type === 'LoadBalancer') ?? selecting.find((s) => /proxy/.test(String(s.metadata?.name)));
      if (proxy === undefined) continue;
      const identity = predictDataplane(pod, selecting, { inboundTags: true, workload: workloadOfPodOwner(gw) }).gateway?.tags;
      const named = identity?.['k8s.kuma.io/service-name'];
      if (identity === undefined || named === undefined || named === proxy.metadata?.name) continue;
      const before = selecting.slice(0, selecting.indexOf(proxy)).map((s) => s.metadata?.name);
      findings.push(finding('KUMA009', FindingSeverity.WARNING, gw.manifest,
        `will be named ${identity['kuma.io/service']} by Kuma (first port of the alphabetically first Service selecting its pods), not after its proxy Service ${proxy.metadata?.name}; policies that target the gateway by kuma.io/service will miss`,
        {
          api: `Annotate ${before.join(', ')} with kuma.io/ignore: "true" (DelegatedGateway.ignoreService()), or target the gateway by labels.`,
          cli: `Annotate ${before.join(', ')} with kuma.io/ignore: "true", or target the gateway by labels.`,
        }));
    }
  }

  // KUMA013: keys on pods, Services and Namespaces that the target version's Kuma does not read.
  findings.push(...unreadKeys(index, ctx.version));

  // KUMA022: control-plane objects outside the control plane's namespace.
  controlPlaneFindings(index, caps, ctx.controlPlane, emit);

  // KUMA027: an appProtocol Kuma does not parse where it has the protocol meant (kubernetes.io/h2c).
  // Sources: kumahq/kuma pkg/plugins/runtime/k8s/controllers/inbound_converter.go@v2.14.3 ProtocolTagFor (an unknown appProtocol is ignored)
  for (const svc of index.services) {
    const ports = (svc.obj.spec?.ports ?? []).filter((p: any) => H2C.has(String(p?.appProtocol)));
    if (ports.length === 0 || !index.selectedPods(svc.obj).some((p) => index.meshed(p) === true)) continue;
    for (const port of ports) {
      const meant = 'http2';
      findings.push(finding('KUMA027', FindingSeverity.WARNING, svc,
        `gives port ${port.port} appProtocol ${port.appProtocol}, which Kuma does not parse (it reads ${Object.values(KumaProtocol).join(', ')}): it ignores it and treats the port as tcp, so HTTP/2 policies (routes, retries, timeouts per request) do not apply to the meshed pods behind it`,
        { api: `Set appProtocol: ${meant} (MeshService's KumaProtocol.HTTP2 in an app).`, cli: `Set appProtocol: ${meant}.` }));
    }
  }

  // KUMA026: a 2.x mesh with mTLS and no permission letting the gateway in.
  const serviceTagOf = gatewayServiceTags(index, caps);
  gatewayPermissionFindings(index, caps, gateways, served, serviceTagOf, emit);

  // KUMA025: inbound policies aimed at a 2.x delegated gateway, which has no inbounds.
  gatewayInboundFindings(index, caps, gateways, serviceTagOf, emit);

  // KUMA023, KUMA024: Ingress classes nothing serves; Kong's protocol to gRPC and TLS ports.
  ingressClassFindings(index, caps, backends, emit);

  // KUMA030, KUMA031: route ports the Service does not have; gateway routes into unmeshed pods.
  routeTargetFindings(index, backends, viaOf, emit);
  // KUMA032: a gateway's reachable list that leaves out a backend of its routes.
  reachableCoverageFindings(index, caps, gateways, backends, servedBy, exclusive, emit);

  // KUMA033, KUMA034: policies Kuma refuses for mixed roles; gateway policies Kuma makes producer policies.
  policyRoleFindings(index, caps, gateways, ctx.controlPlane, emit);

  // KUMA035 - KUMA038: control-plane-owned labels, reachable backends by name, permissions without identity, shared gateway identity.
  identityFindings(index, caps, gateways, (id, severity, m, message, fix, editFix) =>
    findings.push(finding(id, severity, m, message, fix, editFix === undefined ? undefined : { kind: 'edit', ...editFix })));

  // KUMA041: Services of 3.x gateways that Kuma would make mesh destinations.
  gatewayServiceFindings(index, caps, gateways, (id, severity, m, message, fix, editFix) =>
    findings.push(finding(id, severity, m, message, fix, editFix === undefined ? undefined : { kind: 'edit', ...editFix })));

  // KUMA040: HTTP timeouts and retries for upstreams Kuma treats as TCP.
  l7OnTcpFindings(index, emit);

  // KUMA039: gateways whose traffic outside the mesh a 3.0 sidecar drops.
  passthroughFindings(index, caps, gateways, emit);

  // KUMA028, KUMA029: meshed pods that cannot start once Kuma's injector has changed them.
  podStartFindings(index, caps, ctx.cni, (id, severity, m, message, fix, editFix) =>
    findings.push(finding(id, severity, m, message, fix, editFix === undefined ? undefined : { kind: 'edit', ...editFix })));

  // KUMA020, KUMA021: values Kubernetes itself rejects.
  findings.push(...valueChecks(index));

  // KUMA014 - KUMA019: what keeps 2.x manifests from working on Kuma 3.x.
  migrationFindings(index, caps, (id, severity, m, message, fix, editFix) =>
    findings.push(finding(id, severity, m, message, fix, editFix === undefined ? undefined : { kind: 'edit', ...editFix })));

  // KUMA011: derive a single gateway's reachable services (2.x) or backends (3.x: the
  // kuma.io/service list is gone) from the routes (fix mode only), every backend or none.
  const gw1 = gateways.length === 1 ? gateways[0] : undefined;
  const listsReachable = (g: PodOwner) =>
    g.annotations[KumaAnnotation.REACHABLE_SERVICES] !== undefined || g.annotations[KumaAnnotation.REACHABLE_BACKENDS] !== undefined;
  // in meshServices.mode Exclusive: the backends list
  const mode = caps.metadataKeys.has(KumaAnnotation.REACHABLE_SERVICES) && !exclusive ? 'services'
    : caps.metadataKeys.has(KumaAnnotation.REACHABLE_BACKENDS) ? 'backends' : undefined;
  if (gw1 !== undefined && !listsReachable(gw1) && mode !== undefined) {
    const derived = served.map((b) => derivedBackend(index, b, mode)).filter((d): d is DerivedBackend => d !== undefined);
    const unlisted = [...new Set(derived.flatMap((d) => 'unlisted' in d ? [d.unlisted] : []))];
    // a list without one of the backends would cut the gateway off from it: no fix then
    const notFixed = unlisted.length === 0 ? '' : `; not derived, because a list without every backend would cut the gateway off from the others: ${unlisted.join('; ')}`;
    if (mode === 'services') {
      const names = [...new Set(derived.flatMap((d) => 'service' in d ? [d.service] : []))].sort();
      if (names.length > 0 || unlisted.length > 0) {
        findings.push(finding('KUMA011', FindingSeverity.WARNING, gw1.manifest,
          `lists no reachable services, so its sidecar builds outbounds for the whole mesh; its routes send to ${names.join(', ') || 'no kuma.io/service it can list'}${notFixed}`,
          unlisted.length > 0 ? {
            api: 'Set reachableBackends (Kuma 2.9+: MeshService hostnames by their labels) together with reachableServices, or leave both unset.',
            cli: 'List every backend: kuma.io/reachable-backends (Kuma 2.9+, MeshServices by labels) together with kuma.io/transparent-proxying-reachable-services, or leave both unset.',
          } : {
            api: 'Set reachableServices on the gateway, or run MeshAnalyzer with fix: true to derive them.',
            cli: 'List them in kuma.io/transparent-proxying-reachable-services on the pod template (cdk8s-kuma lint --fix writes them).',
          },
          unlisted.length > 0 ? undefined : { kind: 'reachable-services', gateway: gw1, services: names }));
      }
    } else {
      // Kuma 3.0 reads refs by labels only (kumahq/kuma PR #18832, reported for the release)
      const shaped = derived.flatMap((d) => 'ref' in d ? [caps.reachableBackendsByLabels ? byLabels(d.ref) : d.ref] : []);
      const refs = sortedRefs(shaped);
      if (refs.length > 0 || unlisted.length > 0) {
        const yaml = reachableBackendsAnnotation(refs);
        // Kuma 3.0 gives a sidecar without the list no outbound at all (kumahq/kuma PR #18831,
        // reported for the release), unless its control plane is told to allow all outbound traffic
        const restricted = caps.restrictsOutboundByDefault;
        findings.push(finding('KUMA011', restricted ? FindingSeverity.ERROR : FindingSeverity.WARNING, gw1.manifest,
          `lists no reachable backends, so ${restricted
            ? `its sidecar gets no outbound on a control plane that restricts outbound traffic (Kuma ${ctx.version}'s default, as reported for the release: kumahq/kuma PR #18831; not if the control plane sets restrictOutbound: false), and its routes fail`
            : 'its sidecar builds outbounds for the whole mesh'}; its routes send to ${refs.map(describeRef).join(', ') || 'no backend it can list'}${notFixed}`,
          unlisted.length > 0 ? {
            api: 'Point the routes at MeshService hostnames (<name>.<namespace>.svc.<zone>.mesh.local) and set reachableBackends, or leave it unset.',
            cli: 'Point the routes at MeshService hostnames and list them in kuma.io/reachable-backends, or leave it unset.',
          } : {
            api: restricted ? 'Leave deriveReachableBackends on (DelegatedGateway derives them on Kuma 3.x), set reachableBackends, or run MeshAnalyzer with fix: true.'
              : 'Set reachableBackends on the gateway, or run MeshAnalyzer with fix: true to derive them.',
            cli: 'List them in kuma.io/reachable-backends on the pod template (cdk8s-kuma lint --fix writes them).',
          },
          unlisted.length > 0 ? undefined
            : { kind: 'edit', target: gw1.manifest, ops: [{ op: 'set', path: [...podMetadataPath(gw1.manifest.obj)!, 'annotations', KumaAnnotation.REACHABLE_BACKENDS], value: yaml }] }));
      }
    }
  }
  findings.push(...duplicates(index));
  return findings;
}

/**
 * KUMA013: a `kuma.io/` or `traffic.kuma.io/` annotation that Kuma's annotation catalogue for the
 * target version does not have (kumahq/kuma annotations.go per release line, copied into
 * src/imports/kuma-catalogue.ts): Kuma ignores it, so the setting it stands for silently does not
 * happen. Labels are left alone: users put their own `*.kuma.io/` labels on workloads as tags.
 */
function unreadKeys(index: ManifestIndex, version: KumaVersion): RawFinding[] {
  const findings: RawFinding[] = [];
  const check = (m: Manifest, where: string, annotations: Record<string, unknown>) => {
    for (const key of Object.keys(annotations ?? {}).sort()) {
      // kuma.io/mesh, kuma.io/gateway and reachable services have rules of their own (KUMA007, KUMA005/006/014, KUMA019).
      if (!/^(traffic\.)?kuma\.io\//.test(key) || key === KumaLabel.MESH || key === KumaAnnotation.GATEWAY || key === KumaAnnotation.REACHABLE_SERVICES) continue;
      const reason = unreadKeyReason(version, key);
      if (reason === undefined) continue;
      findings.push(finding('KUMA013', FindingSeverity.WARNING, m,
        `${where} annotation ${key} ${reason}, so it has no effect`,
        removedIn(version, key) !== undefined
          ? `Remove it, or replace it with what Kuma ${version} reads instead (${replacementOf(key)}).`
          : 'Remove it, or target the Kuma version that reads it (--kuma-version).'));
    }
  };
  for (const pod of index.pods) check(pod.manifest, 'pod', pod.annotations);
  for (const svc of index.services) check(svc, 'Service', svc.obj.metadata?.annotations);
  for (const ns of index.namespaces.values()) check(ns, 'Namespace', ns.obj.metadata?.annotations);
  // kuma.io/sidecar-injection is in the catalogue as a label: as an annotation no supported Kuma
  // reads it (labels only since 2.2, kumahq/kuma pkg/plugins/runtime/k8s/webhooks/injector), so a
  // namespace "enabled" that way injects nothing.
  for (const ns of index.namespaces.values()) {
    const value = ns.obj.metadata?.annotations?.[KumaLabel.SIDECAR_INJECTION];
    if (value === undefined) continue;
    const labelled = ns.obj.metadata?.labels?.[KumaLabel.SIDECAR_INJECTION] !== undefined;
    findings.push(finding('KUMA013', labelled ? FindingSeverity.WARNING : FindingSeverity.ERROR, ns,
      `annotation ${KumaLabel.SIDECAR_INJECTION} ${JSON.stringify(value)} is not read by any supported Kuma version (injection is a label)${labelled ? '' : ', and the namespace has no such label, so Kuma injects none of its pods'}`,
      'Make it the label kuma.io/sidecar-injection and remove the annotation.'));
  }
  return findings;
}

// Sources: kumahq/kuma UPGRADE.md@348b6528bc ("Upgrade to `3.0.0`"); pkg/plugins/runtime/k8s/metadata/annotations.go v2.14.3 vs 348b6528bc;
// kumahq/kuma#18662
/** What replaces a key Kuma removed (UPGRADE-3.0-dev.md). */
function replacementOf(key: string): string {
  switch (key) {
    case KumaAnnotation.REACHABLE_SERVICES: return 'kuma.io/reachable-backends';
    case KumaLabel.MESH: return 'the kuma.io/mesh label';
    case KumaAnnotation.VIRTUAL_PROBES: return 'kuma.io/application-probe-proxy-port';
    case 'prometheus.metrics.kuma.io/port':
    case 'prometheus.metrics.kuma.io/path': return 'a MeshMetric policy';
    default: return 'see Kuma\'s UPGRADE.md';
  }
}

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function shown(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return `the YAML boolean ${v}`;
  if (typeof v === 'number') return `the YAML number ${v}`;
  return Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : JSON.stringify(v);
}

/** Why a label key is not a Kubernetes qualified name, if it is not (k8s.io/apimachinery validation). */
function labelKeyProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return 'has more than one "/"';
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
  if (prefix !== undefined && (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) return 'has a prefix that is not a DNS subdomain';
  if (name.length > 63 || !QUALIFIED_NAME.test(name)) return 'has a name part that is not a qualified name (at most 63 letters, digits, \'-\', \'_\' and \'.\', alphanumeric at both ends)';
  return undefined;
}

/**
 * KUMA020: values Kubernetes types as strings (label and annotation values, env values) or
 * integers (ports) written as something else, read as YAML 1.1 the way kubectl reads it: an
 * unquoted `true`, `yes` or `8080` is not a string, and the API server rejects the object.
 * KUMA021: label keys and values Kubernetes rejects.
 */
function valueChecks(index: ManifestIndex): RawFinding[] {
  const findings: RawFinding[] = [];
  const typeError = (m: Manifest, field: string, v: unknown, wants: string, fix: string) => findings.push(finding('KUMA020', FindingSeverity.ERROR, m,
    `sets ${field} to ${shown(v)}, but Kubernetes takes only ${wants} there, so the API server rejects the object`, fix));
  // the same few keys recur on every object: check each once per analysis
  const keyProblems = new Map<string, string | undefined>();
  const keyProblemOf = (key: string) => {
    if (!keyProblems.has(key)) keyProblems.set(key, labelKeyProblem(key));
    return keyProblems.get(key);
  };
  const metadata = (m: Manifest, meta: any, where: string) => {
    for (const kind of ['labels', 'annotations'] as const) {
      const map = meta?.[kind];
      if (map === null || typeof map !== 'object' || Array.isArray(map)) continue;
      for (const [key, v] of Object.entries(map)) {
        const field = () => `${where}.${kind}["${key}"]`;
        if (typeof v !== 'string') {
          typeError(m, field(), v, 'strings', `Quote the value in the YAML (${typeof v === 'boolean' || typeof v === 'number' ? `"${String(v)}"` : 'a string'}).`);
          continue;
        }
        const keyProblem = keyProblemOf(key);
        if (keyProblem !== undefined) {
          findings.push(finding('KUMA021', FindingSeverity.ERROR, m, `has the ${kind === 'labels' ? 'label' : 'annotation'} key ${JSON.stringify(key)} in ${where}, which ${keyProblem}, so the API server rejects the object`,
            'Use a key such as "example.com/name".'));
        } else if (kind === 'labels' && (v.length > 63 || !LABEL_VALUE.test(v))) {
          findings.push(finding('KUMA021', FindingSeverity.ERROR, m, `sets ${field()} to ${JSON.stringify(v)}, which is not a label value (at most 63 letters, digits, '-', '_' and '.', alphanumeric at both ends), so the API server rejects the object`,
            'Use a valid label value, or move the value to an annotation.'));
        }
      }
    }
  };
  for (const m of index.manifests) {
    const o = m.obj;
    if (o === null || typeof o !== 'object') continue;
    metadata(m, o.metadata, 'metadata');
    const path = podMetadataPath(o);
    const template = podTemplateOf(o);
    if (path !== undefined && path.length > 1) metadata(m, template?.metadata, path.join('.'));
    const spec = template?.spec;
    for (const [group, containers] of [['containers', spec?.containers], ['initContainers', spec?.initContainers]] as const) {
      (Array.isArray(containers) ? containers : []).forEach((c: any, i: number) => {
        (Array.isArray(c?.env) ? c.env : []).forEach((e: any, j: number) => {
          if (e !== null && typeof e === 'object' && 'value' in e && typeof e.value !== 'string' && e.value !== null) {
            typeError(m, `${group}[${i}].env[${j}] (${e.name}) value`, e.value, 'strings', `Quote the value in the YAML ("${String(e.value)}").`);
          }
        });
        (Array.isArray(c?.ports) ? c.ports : []).forEach((p: any, j: number) => {
          if (p?.containerPort !== undefined && !Number.isInteger(p.containerPort)) {
            typeError(m, `${group}[${i}].ports[${j}].containerPort`, p.containerPort, 'integers', 'Write the port as a number, without quotes.');
          }
        });
      });
    }
    if (o.apiVersion === 'v1' && o.kind === 'Service') {
      (Array.isArray(o.spec?.ports) ? o.spec.ports : []).forEach((p: any, j: number) => {
        if (p?.port !== undefined && !Number.isInteger(p.port)) typeError(m, `spec.ports[${j}].port`, p.port, 'integers', 'Write the port as a number, without quotes.');
      });
    }
  }
  return findings;
}

/**
 * KUMA012: objects with the same identity. In an app, only within a chart: the charts of one app
 * may go to different clusters (one file per chart, e.g. a zone each).
 */
function duplicates(index: ManifestIndex): RawFinding[] {
  const findings: RawFinding[] = [];
  const seen = new Map<string, Manifest>();
  const chartPaths = new Map<Chart, string>();
  const chartPath = (c: Chart) => {
    let p = chartPaths.get(c);
    if (p === undefined) chartPaths.set(c, p = c.node.path);
    return p;
  };
  for (const m of index.manifests) {
    const o = m.obj;
    const name = o?.metadata?.name;
    if (typeof o?.kind !== 'string' || typeof name !== 'string') continue;
    const api = String(o.apiVersion ?? '');
    const group = api.includes('/') ? api.slice(0, api.indexOf('/')) : '';
    const chart = m.construct === undefined ? '' : chartPath(Chart.of(m.construct));
    const key = `${chart}\0${group}\0${o.kind}\0${o.metadata?.namespace ?? ''}\0${name}`;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, m);
      continue;
    }
    findings.push(finding('KUMA012', FindingSeverity.ERROR, m,
      `has the same API group, kind, namespace and name as ${first.source ?? first.construct?.node.path ?? describe(first.obj)}: kubectl apply keeps only the last one written, kustomize refuses the set and Argo CD reports a RepeatedResourceWarning`,
      {
        api: 'Give one of them another name, or declare the object once and import it where it is needed (for example MeshNamespace.fromNamespaceName()).',
        cli: 'Give one of them another name, or keep one copy (files for different clusters belong in different folders, each linted on its own).',
      }));
  }
  return findings;
}

function modeOfMesh(index: ManifestIndex, name: string): MeshServicesMode | undefined {
  return index.meshes.get(name)?.obj.spec?.meshServices?.mode;
}

/** Whether the route itself, or its IngressClass, makes the controller use ClusterIPs. */
function routeHasServiceUpstream(index: ManifestIndex, b: RouteBackend): boolean {
  const route = b.route.obj;
  if (route.kind !== 'Ingress') return false;
  if (route.metadata?.annotations?.[ServiceAnnotation.NGINX_SERVICE_UPSTREAM] === ServiceUpstream.VALUE) return true;
  const cls = index.ingressClasses.get(route.spec?.ingressClassName ?? '')?.obj;
  const params = cls?.spec?.parameters;
  if (params?.kind !== 'IngressClassParameters') return false;
  return index.ingressClassParameters.some((p) => p.obj.metadata?.name === params.name
    && p.obj.metadata?.namespace === params.namespace && p.obj.spec?.serviceUpstream === true);
}
