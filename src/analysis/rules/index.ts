import { MeshServicesMode } from '../../mesh/mesh';
import { describe, Manifest, ManifestIndex, routeBackends } from '../../model/_manifests';
import { gatewayServiceTags } from '../../model/_policy-targets';
import { gatewayRouteBackends } from '../../model/_route-owners';
import { MeshFinding, MeshRule } from '../finding';
import { KUMA001 } from './kuma001-service-upstream-missing';
import { KUMA002 } from './kuma002-route-backend-service-upstream';
import { KUMA003 } from './kuma003-mesh-vip-port';
import { KUMA004 } from './kuma004-pod-injection-namespace-unlabelled';
import { KUMA005 } from './kuma005-gateway-annotation-on-workload';
import { KUMA006 } from './kuma006-gateway-annotation-value';
import { KUMA007 } from './kuma007-mesh-annotation';
import { KUMA008 } from './kuma008-gateway-mesh-mismatch';
import { KUMA009 } from './kuma009-gateway-identity';
import { KUMA010 } from './kuma010-mesh-vip-exclusive';
import { KUMA011 } from './kuma011-gateway-reachable-services';
import { KUMA012 } from './kuma012-duplicate-object';
import { KUMA013 } from './kuma013-annotation-not-read';
import { KUMA014 } from './kuma014-gateway-annotation-removed';
import { KUMA015 } from './kuma015-policy-from-removed';
import { KUMA016 } from './kuma016-legacy-targetref-kind';
import { KUMA017 } from './kuma017-targetref-by-name';
import { KUMA018 } from './kuma018-mesh-field-removed';
import { KUMA019 } from './kuma019-reachable-services-removed';
import { KUMA020 } from './kuma020-value-type';
import { KUMA021 } from './kuma021-label-syntax';
import { KUMA022 } from './kuma022-control-plane-namespace';
import { KUMA023 } from './kuma023-ingress-class-unserved';
import { KUMA024 } from './kuma024-kong-upstream-protocol';
import { KUMA025 } from './kuma025-gateway-inbound-policy';
import { KUMA026 } from './kuma026-gateway-not-permitted';
import { KUMA027 } from './kuma027-app-protocol-not-parsed';
import { KUMA028 } from './kuma028-pod-run-as-non-root';
import { KUMA029 } from './kuma029-service-account-token-missing';
import { KUMA030 } from './kuma030-route-port-missing';
import { KUMA031 } from './kuma031-route-to-unmeshed';
import { KUMA032 } from './kuma032-reachable-list-incomplete';
import { KUMA033 } from './kuma033-policy-roles-mixed';
import { KUMA034 } from './kuma034-gateway-policy-producer';
import { KUMA035 } from './kuma035-control-plane-owned-label';
import { KUMA036 } from './kuma036-reachable-backends-by-name';
import { KUMA037 } from './kuma037-mesh-identity-missing';
import { KUMA038 } from './kuma038-gateway-default-service-account';
import { KUMA039 } from './kuma039-gateway-passthrough-missing';
import { KUMA040 } from './kuma040-http-policy-on-tcp';
import { KUMA041 } from './kuma041-gateway-service-not-ignored';
import { AnalysisContext, RawFinding, Report, RuleContext, RuleDefinition } from './rule';
import { capabilitiesOf } from '../../kuma/_kuma-capabilities';
import { lazy } from '../../private/_lazy';

/*
 * The registry of the lint rules, as istio lists its analyzers in analyzers/all.go and kube-linter
 * its built-in checks: every rule of rules/ once, in the order they run. Findings come rule by
 * rule in this order, each rule's in the order of the set: the order is part of the output's
 * contract (tests, baselines and reviewers rely on it), so a new rule goes where its findings
 * belong, not necessarily last. test/rule-registry.test.ts checks that every rule file is here.
 */

/** Every rule, in the order they run. */
export const ALL_RULES: readonly RuleDefinition[] = [
  // what the gateway sends to: Services, routes, .mesh names
  KUMA001, KUMA003, KUMA010, KUMA002,
  // how pods are marked and meshed
  KUMA004, KUMA005, KUMA006, KUMA007, KUMA008, KUMA009,
  // keys Kuma does not read; objects outside the control plane's namespace; protocols
  KUMA013, KUMA022, KUMA027,
  // policies about the gateway, and the classes and routes it serves
  KUMA026, KUMA025, KUMA023, KUMA024, KUMA030, KUMA031, KUMA032, KUMA033, KUMA034,
  // identity, labels, passthrough and protocols of policies (Kuma 3.x first)
  KUMA035, KUMA036, KUMA037, KUMA038, KUMA041, KUMA040, KUMA039,
  // pods that cannot start; values the API server rejects
  KUMA028, KUMA029, KUMA020, KUMA021,
  // what keeps 2.x manifests from working on Kuma 3.x
  KUMA014, KUMA019, KUMA018, KUMA015, KUMA016, KUMA017,
  // derived reachable services, last: every other finding is known by then; duplicates
  KUMA011, KUMA012,
];

/** The rules by id. */
export const RULES_BY_ID: ReadonlyMap<string, RuleDefinition> = new Map(ALL_RULES.map((r) => [r.id, r]));

/** Every rule, by id (as the catalogue, the docs and SARIF list them). */
export const RULES_IN_ID_ORDER: readonly RuleDefinition[] = [...ALL_RULES].sort((a, b) => (a.id < b.id ? -1 : 1));

/** The catalogue as the public API gives it (`MeshAnalysis.rules`), by id. */
export const RULES: MeshRule[] = RULES_IN_ID_ORDER.map((r) => ({ id: r.id, name: r.name, fixable: r.fixable, description: r.summary }));

/** The findings as the public API gives them: without the fix the analyzer applies. */
export function withoutFixes(findings: RawFinding[]): MeshFinding[] {
  return findings.map(({ autoFix: _fix, cliFix: _cli, target: _t, at: _a, suppressed: _s, ...f }) => f);
}

/** The findings as the lint command reports them: each fix worded for the command line. */
export function forCommandLine(findings: RawFinding[]): MeshFinding[] {
  return findings.map(({ autoFix: _fix, cliFix, target: _t, at: _a, suppressed: _s, ...f }) => ({ ...f, fix: cliFix ?? f.fix }));
}

/** Runs every rule on the set. */
export function analyze(index: ManifestIndex, actx: AnalysisContext): RawFinding[] {
  // A set with nothing of Kuma in it (a Traefik quick-start, an app without a mesh) is not Kuma's,
  // but for the values the API server refuses on Kuma's own keys.
  const kumaSignal = index.hasKumaSignal();
  const ctx = ruleContext(index, actx, kumaSignal);
  const findings: RawFinding[] = [];
  for (const rule of ALL_RULES) if (kumaSignal || rule.withoutKumaSignal === true) rule.check(ctx, reporter(rule, findings));
  return findings;
}

/** The context every rule reads, with the facts several share computed once. */
function ruleContext(index: ManifestIndex, actx: AnalysisContext, kumaSignal: boolean): RuleContext {
  const caps = capabilitiesOf(actx.version);
  // computed on first read: a set without a Kuma signal runs only rules that read none of them
  const gateways = lazy(() => index.pods.filter((p) => index.isGateway(p, caps)));
  const backends = lazy(() => routeBackends(index));
  // the backends of the routes the set's delegated gateways serve (by class, parentRefs), with why
  const servedBy = lazy(() => gatewayRouteBackends(index, gateways(), backends()));
  const shared = new Map<string, unknown>();
  // the default mesh's services mode: in Exclusive a 2.x sidecar has MeshService outbounds only
  const mode: MeshServicesMode | undefined = actx.meshServicesMode ?? index.meshes.get('default')?.obj.spec?.meshServices?.mode;
  return {
    ...actx,
    index,
    kumaSignal,
    caps,
    get gateways() { return gateways(); },
    get backends() { return backends(); },
    get servedBy() { return servedBy(); },
    exclusive: mode === MeshServicesMode.EXCLUSIVE,
    serviceTagOf: gatewayServiceTags(index, caps),
    shared: <T>(key: string, compute: () => T): T => {
      if (!shared.has(key)) shared.set(key, compute());
      return shared.get(key) as T;
    },
  };
}

/** How `rule` reports into `findings`: its default severity unless its severityNote allows another. */
function reporter(rule: RuleDefinition, findings: RawFinding[]): Report {
  return (m: Manifest, message, fix, options = {}) => {
    const severity = options.severity ?? rule.severity;
    if (severity !== rule.severity && rule.severityNote === undefined) {
      throw new Error(`internal error: ${rule.id} reported ${severity}, but its definition has no severityNote for a severity other than ${rule.severity}`);
    }
    const [api, cli] = typeof fix === 'string' ? [fix, undefined] : [fix.api, fix.cli];
    findings.push({
      ruleId: rule.id,
      rule: rule.name,
      severity,
      object: describe(m.obj),
      source: m.source ?? m.construct?.node.path,
      message,
      fix: api,
      autoFix: options.autoFix ?? (options.edit === undefined ? undefined : { kind: 'edit', ...options.edit }),
      cliFix: cli,
      target: m,
      at: options.at ?? (options.edit?.target === m ? options.edit.ops[0]?.path : undefined),
    });
  };
}
