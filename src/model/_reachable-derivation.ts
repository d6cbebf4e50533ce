import { describe, ManifestIndex, RouteBackend, servicePorts } from './_manifests';
import { kumaServiceTag } from '../kuma/_addresses';
import { BackendRef, backendRefOfHostname, DNS_LABEL } from '../kuma/_reachable-backends';

/*
 * What a delegated gateway's routes send to, as the two lists Kuma's sidecar reads its outbounds
 * from (KUMA011). Every backend must be in the list, or the gateway loses that route once the list
 * is written: a route to another zone (an ExternalName to a `.mesh` VIP or a `.mesh.local` name)
 * as much as one to a local Service.
 *
 * - `kuma.io/transparent-proxying-reachable-services` (2.x) lists `kuma.io/service` values, matched
 *   exactly (kumahq/kuma v2.14.3 pkg/xds/sync/dataplane_proxy_builder.go). A `.mesh` VIP answers for
 *   `<service>.mesh` and for the service with `_` written as `.` (pkg/xds/topology/dns.go
 *   VIPOutbounds), so `web.shop.svc.80.mesh` is `web_shop_svc_80`. When the list is set and
 *   `kuma.io/reachable-backends` is not, every MeshService outbound is dropped, so a gateway that
 *   routes to a `.mesh.local` name cannot be given this list alone.
 * - `kuma.io/reachable-backends` (3.x) lists MeshService / MeshMultiZoneService /
 *   MeshExternalService refs by name or by labels (pkg/plugins/runtime/k8s/controllers/
 *   pod_converter.go ReachableBackendRefs). A ref by name is resolved in the sidecar's own zone
 *   (pkg/xds/context/destination_index.go processRef), so a MeshService of another zone is named by
 *   the labels its synced copy keeps: kuma.io/display-name, k8s.kuma.io/namespace, kuma.io/zone
 *   (pkg/kds/context/context.go HashSuffixMapper). Its hostnames come from Kuma's default
 *   HostnameGenerators (pkg/defaults/hostname_generator.go): `<name>.<namespace>.svc.<zone>.mesh.local`,
 *   `<name>.svc.<zone>.mesh.local` (Universal), `<name>.mzsvc.mesh.local`, `<name>.extsvc.mesh.local`.
 */

/** One backend in one of the two forms, or why it has none. */
export type DerivedBackend =
  | { readonly service: string }
  | { readonly ref: BackendRef }
  | { readonly unlisted: string };

const K8S_VIP = new RegExp(`^(${DNS_LABEL})\\.(${DNS_LABEL})\\.svc\\.(\\d+)$`);

/** The `kuma.io/service` a `.mesh` VIP name stands for, or why it cannot be told. */
function vipService(name: string): { service: string } | { unlisted: string } {
  const base = name.slice(0, -'.mesh'.length);
  const k8s = K8S_VIP.exec(base);
  if (k8s !== null) return { service: `${k8s[1]}_${k8s[3]}_svc_${k8s[5]}` };
  if (base.includes('_') || !base.includes('.')) return { service: base };
  return { unlisted: `the .mesh name ${name} could stand for more than one kuma.io/service (Kuma answers for each service with "_" written as ".")` };
}

/** The Kuma backend a route backend reaches, in the form `mode` lists. */
export function derivedBackend(index: ManifestIndex, b: RouteBackend, mode: 'services' | 'backends'): DerivedBackend | undefined {
  const svc = index.service(b.namespace, b.service)?.obj;
  // a backend the set does not describe cannot be listed: say so rather than leave it out
  if (svc === undefined) return { unlisted: `Service ${b.namespace === undefined ? '' : `${b.namespace}/`}${b.service} is not in these files, so what Kuma names it is not known` };
  if (svc.spec?.type !== 'ExternalName') {
    const target = backendServicePort(index, b);
    const namespace = svc.metadata?.namespace;
    if (target === undefined && (b.port !== undefined || b.portName !== undefined)) {
      const has = servicePorts(svc).map((p) => (p.name === undefined ? String(p.port) : `${p.port} (${p.name})`)).join(', ');
      return { unlisted: `the route's port ${b.port ?? b.portName} is not a port of ${describe(svc)} (its ports: ${has || 'none'}), so the route reaches nothing: use one of its ports in the route` };
    }
    if (target === undefined || namespace === undefined) return { unlisted: `the port of ${describe(svc)} that the route uses is not known` };
    const name = svc.metadata?.name;
    return mode === 'services' ? { service: kumaServiceTag(name, namespace, target.port) } : { ref: { kind: 'MeshService', name, namespace, port: target.port } };
  }
  const target = String(svc.spec?.externalName ?? '').toLowerCase().replace(/\.$/, '');
  const what = `${describe(svc)} (${target})`;
  if (target.endsWith('.mesh')) {
    if (mode === 'backends') return { unlisted: `${what} is a .mesh VIP, which kuma.io/reachable-backends cannot list` };
    return vipService(target);
  }
  if (!target.endsWith('.mesh.local')) return undefined; // outside the mesh: not an outbound of either list
  if (mode === 'services') {
    return { unlisted: `${what} is a MeshService hostname, which kuma.io/transparent-proxying-reachable-services cannot list, and with that list alone Kuma drops every MeshService outbound` };
  }
  const ref = backendRefOfHostname(target, b.port);
  if (ref !== undefined) return { ref };
  return { unlisted: `${what} is a .mesh.local name that none of Kuma's default HostnameGenerators makes, so the backend it stands for is not known` };
}

/** A ref as findings name it: `MeshService shop/web port 80`, `MeshService kuma.io/display-name=payments,... port 8080`. */
export function describeRef(r: BackendRef): string {
  const who = r.name !== undefined ? `${r.namespace}/${r.name}` : Object.entries(r.labels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
  return `${r.kind} ${who}${r.port === undefined ? '' : ` port ${r.port}`}`;
}

/** The ClusterIP Service a route backend names, and the Service port it uses (by number, by name, or the only one). */
export function backendServicePort(index: ManifestIndex, b: RouteBackend): { service: any; port: number } | undefined {
  const service = index.service(b.namespace, b.service)?.obj;
  if (service === undefined || service.spec?.type === 'ExternalName') return undefined;
  const ports = servicePorts(service);
  // A port that is no Service port but one's targetPort (the container port) reaches that Service
  // port, as ingress-nginx resolves it (KUMA030 accepts it): Kuma names the outbound after the
  // Service port, never the container port. A port the Service does not have reaches nothing
  // (KUMA030): there is no outbound to name.
  if (b.port !== undefined) {
    const port = ports.find((p) => p.port === b.port)?.port ?? ports.find((p) => p.targetPort === b.port)?.port;
    return Number.isInteger(port) ? { service, port } : undefined;
  }
  const port = b.portName !== undefined
    ? ports.find((p) => p.name === b.portName)?.port ?? ports.find((p) => p.targetPort === b.portName)?.port
    : ports.length === 1 ? ports[0].port : undefined;
  return Number.isInteger(port) ? { service, port } : undefined;
}

/**
 * Whether a listed ref takes in a derived backend: the same kind, the same name and namespace (a
 * listed name without namespace is in the gateway's), or every listed label on the backend (a local
 * MeshService is labelled with its own name and namespace), and no port or the same port. A label
 * the derivation cannot tell (the zone of a local Service) counts as matching: no finding rests on
 * a guess.
 */
export function refTakesIn(listed: BackendRef, derived: BackendRef, gatewayNamespace: string | undefined): boolean {
  if (listed.kind !== derived.kind) return false;
  if (listed.port !== undefined && derived.port !== undefined && Number(listed.port) !== derived.port) return false;
  if (listed.name !== undefined) {
    return derived.name === listed.name && (listed.namespace ?? gatewayNamespace) === derived.namespace;
  }
  const own: Record<string, string> = derived.labels ?? { 'kuma.io/display-name': derived.name!, 'k8s.kuma.io/namespace': derived.namespace! };
  // a label the derivation does not know (the zone of a local Service, a label copied from the
  // Service) may well match: only the known ones can tell a ref out
  return Object.entries(listed.labels ?? {}).every(([k, v]) => own[k] === undefined || own[k] === String(v));
}
