import { Report, RuleDefinition } from './rule';
import { KUMA_SERVICE_TAG } from '../../kuma/_addresses';
import { meshServiceProtocol, protocolTagFor } from '../../kuma/_protocol-tag';
import { describe, ManifestIndex, servicePorts } from '../../model/_manifests';
import { FindingSeverity } from '../finding';

/*
 * KUMA040 http-policy-on-tcp: a MeshTimeout's `http` settings, or a MeshRetry's `http` or `grpc`
 * section, for an upstream port Kuma treats as `tcp` (no `appProtocol`, no
 * `<port>.service.kuma.io/protocol`, or tcp/tls/kafka/mysql: ProtocolTagFor, src/kuma/_protocol-tag.ts).
 * (A MeshService port takes the Service port's appProtocol only: kumahq/kuma
 * pkg/plugins/runtime/k8s/controllers/meshservice_controller.go.)
 * The outbound of such a port has no HTTP connection manager, so they do nothing: Kuma's meshtimeout
 * configurer applies http.* on the HTTP connection manager only, and meshretry's configurer the
 * section of the outbound's protocol only (kumahq/kuma v2.14.3
 * pkg/plugins/policies/meshtimeout/plugin/xds/configurer.go, meshretry/plugin/xds/configurer.go).
 * The upstream is resolved in the set: a 3.x MeshService by kuma.io/display-name and
 * k8s.kuma.io/namespace, a 2.x one by name and namespace, a kuma.io/service name
 * `<name>_<namespace>_svc_<port>`; `sectionName` narrows it to one port (its name, or its number).
 */

export const KUMA040: RuleDefinition = {
  id: 'KUMA040',
  name: 'http-policy-on-tcp',
  severity: FindingSeverity.WARNING,
  fixable: false,
  summary: 'A MeshTimeout\'s http settings, or a MeshRetry\'s http or grpc section, for an upstream whose ports Kuma treats as plain TCP (no appProtocol it knows): the outbound has no HTTP layer, so they do nothing.',
  rationale: 'Kuma treats a port without an `appProtocol` it knows, or with tcp, tls, kafka or mysql, as plain TCP, and the outbound then has no HTTP connection manager; MeshTimeout\'s `http` settings and MeshRetry\'s `http` and `grpc` sections apply only there, so they do nothing and only `connectionTimeout`, `idleTimeout` or MeshRetry\'s `tcp` section take effect.',
  restsOn: 'Reads MeshTimeouts and MeshRetries whose `to[].targetRef` names a MeshService the files resolve (by the labels `kuma.io/display-name` and `k8s.kuma.io/namespace`, by name and namespace, or a 2.x `kuma.io/service` name, narrowed by `sectionName`) and the ports of its Service; a MeshService port takes the `appProtocol` only, a `kuma.io/service` name also `<port>.service.kuma.io/protocol`. Runs on every `--kuma-version`; silent when any selected port speaks http, http2 or grpc.',
  fix: 'Give the Service port the protocol its clients speak (`appProtocol: http`, `http2` or `grpc`), or drop the HTTP settings for this upstream.',
  exampleFlags: ['--kuma-version', '3.0'],
  sources: [
    'kumahq/kuma pkg/plugins/policies/meshtimeout/plugin/xds/configurer.go@v2.14.3',
    'kumahq/kuma pkg/plugins/policies/meshretry/plugin/xds/configurer.go@v2.14.3',
    'kumahq/kuma pkg/plugins/runtime/k8s/controllers/meshservice_controller.go@v2.14.3',
    'kumahq/kuma pkg/plugins/runtime/k8s/controllers/inbound_converter.go@v2.14.3',
  ],
  check: (ctx, report) => l7OnTcpFindings(ctx.index, report),
};

const L7 = new Set(['http', 'http2', 'grpc']);

/** The Service and its ports a `to[].targetRef` names, when the set has them. */
function upstreamOf(index: ManifestIndex, ref: any, policyNamespace: string | undefined):
{ service: any; ports: any[]; legacy: boolean } | undefined {
  if (ref?.kind !== 'MeshService') return undefined;
  let name: string | undefined;
  let namespace: string | undefined;
  let section: string | undefined = ref.sectionName === undefined ? undefined : String(ref.sectionName);
  let legacy = false;
  if (ref.labels !== undefined && ref.labels !== null) {
    name = ref.labels['kuma.io/display-name'];
    namespace = ref.labels['k8s.kuma.io/namespace'] ?? policyNamespace;
  } else if (typeof ref.name === 'string' && ref.namespace !== undefined) {
    name = ref.name;
    namespace = ref.namespace;
  } else if (typeof ref.name === 'string') {
    const m = KUMA_SERVICE_TAG.exec(ref.name);
    if (m === null) return undefined;
    [name, namespace, section] = [m[1], m[3], m[5]];
    legacy = true;
  }
  if (name === undefined) return undefined;
  const service = index.service(namespace, name)?.obj;
  if (service === undefined || service.spec?.type === 'ExternalName') return undefined;
  const all = servicePorts(service);
  const ports = section === undefined ? all : all.filter((p) => p.name === section || String(p.port) === section);
  return ports.length === 0 ? undefined : { service, ports, legacy };
}

/** KUMA040 for every MeshTimeout and MeshRetry of the set. */
function l7OnTcpFindings(index: ManifestIndex, report: Report): void {
  for (const m of index.manifests) {
    const o = m.obj;
    if (o?.apiVersion !== 'kuma.io/v1alpha1' || (o.kind !== 'MeshTimeout' && o.kind !== 'MeshRetry')) continue;
    for (const [i, item] of (Array.isArray(o.spec?.to) ? o.spec.to : []).entries()) {
      const conf = item?.default ?? {};
      const l7 = o.kind === 'MeshTimeout' ? (conf.http !== undefined ? ['http'] : []) : ['http', 'grpc'].filter((k) => conf[k] !== undefined);
      if (l7.length === 0) continue;
      const upstream = upstreamOf(index, item.targetRef, o.metadata?.namespace);
      if (upstream === undefined) continue;
      // a MeshService port's protocol is the Service port's appProtocol, else tcp (kumahq/kuma
      // meshservice_controller.go); a kuma.io/service's reads the port annotation too (ProtocolTagFor)
      const protocolOf = (p: any) => (upstream.legacy ? protocolTagFor(upstream.service, p) : meshServiceProtocol(p));
      const tcp = upstream.ports.filter((p) => !L7.has(protocolOf(p)));
      if (tcp.length !== upstream.ports.length) continue; // some port speaks HTTP: the settings apply there
      const what = tcp.map((p) => `${p.port} (${protocolOf(p)})`).join(', ');
      report(m,
        `sets ${l7.map((k) => `to[${i}].default.${k}`).join(' and ')} for ${describe(upstream.service)}, whose port${tcp.length > 1 ? 's' : ''} ${what} Kuma treats as plain TCP (no appProtocol it knows): the outbound has no HTTP layer, so ${o.kind === 'MeshTimeout' ? 'only connectionTimeout and idleTimeout apply' : 'only the tcp section applies'}`,
        'Give the Service port the protocol its clients speak (appProtocol: http, http2 or grpc), or drop the HTTP settings for this upstream.', { at: ['spec', 'to', i, 'default'] });
    }
  }
}
