/** One entry of the `refs:` list of `kuma.io/reachable-backends`. */
export interface BackendRef {
  readonly kind: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly port?: number;
  readonly labels?: Record<string, string>;
}

// Sources: kumahq/kuma@v2.14.3 pkg/plugins/runtime/k8s/controllers/pod_converter.go (ReachableBackendRefs);
// pkg/plugins/runtime/k8s/metadata/annotations.go (KumaReachableBackends); kumahq/kuma#10869
/**
 * The value of `kuma.io/reachable-backends`: a `refs:` list in YAML. Strings are
 * written as JSON strings, which YAML reads as double-quoted scalars, so no name such as "yes" or
 * "1.0" changes type. Written by the gateway and by the analysis' fixes alike.
 */
export function reachableBackendsAnnotation(refs: BackendRef[]): string {
  const lines = ['refs:'];
  for (const ref of refs) {
    lines.push(`- kind: ${ref.kind}`);
    if (ref.name !== undefined) lines.push(`  name: ${JSON.stringify(ref.name)}`);
    if (ref.namespace !== undefined) lines.push(`  namespace: ${JSON.stringify(ref.namespace)}`);
    if (ref.port !== undefined) lines.push(`  port: ${ref.port}`);
    if (ref.labels !== undefined) {
      lines.push('  labels:');
      for (const [key, value] of Object.entries(ref.labels)) lines.push(`    ${JSON.stringify(key)}: ${JSON.stringify(value)}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** A stable key and order for refs. */
export function refKey(r: BackendRef): string {
  return `${r.kind}\0${r.namespace ?? ''}\0${r.name ?? ''}\0${JSON.stringify(Object.entries(r.labels ?? {}).sort())}\0${r.port ?? ''}`;
}

/** Each ref once, in `refKey` order: a list that is byte-stable whatever order its refs came in. */
export function sortedRefs(refs: BackendRef[]): BackendRef[] {
  const byKey = new Map(refs.map((r) => [refKey(r), r]));
  return [...byKey.keys()].sort().map((k) => byKey.get(k)!);
}

/** The `refs` of a `kuma.io/reachable-backends` value, or undefined when it is not that YAML. */
export function parseBackendRefs(text: string): BackendRef[] | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const doc = require('yaml').parse(text);
    const refs = doc?.refs;
    if (doc === null || typeof doc !== 'object' || (refs !== undefined && !Array.isArray(refs))) return undefined;
    return (refs ?? []).filter((r: any) => r !== null && typeof r === 'object' && typeof r.kind === 'string');
  } catch {
    return undefined;
  }
}

/**
 * A `name`/`namespace` ref as Kuma 3.0 reads it: by the labels every MeshService,
 * MeshMultiZoneService and MeshExternalService carries, `kuma.io/display-name` (its name) and
 * `k8s.kuma.io/namespace` (kumahq/kuma PR #18832 maps `name` and `namespace` to them; master
 * 348b6528bc pkg/core/resources/labels/compute.go computes them on every resource).
 */
export function byLabels(ref: BackendRef): BackendRef {
  if (ref.name === undefined) return ref;
  // a MeshMultiZoneService comes from the global control plane (Universal on 3.x) and a
  // MeshExternalService lives in the control plane's namespace (allowed_on_system_namespace_only):
  // neither is named by the namespace a ref by name defaults to
  const namespaced = ref.kind === 'MeshService' && ref.namespace !== undefined;
  const labels: Record<string, string> = { 'kuma.io/display-name': ref.name, ...namespaced ? { 'k8s.kuma.io/namespace': ref.namespace! } : {}, ...ref.labels };
  return { kind: ref.kind, port: ref.port, labels };
}

/** An RFC 1123 label, as a pattern to build the hostname patterns from. */
export const DNS_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const SERVICE_HOSTNAME = new RegExp(`^(${DNS_LABEL})\\.(${DNS_LABEL})\\.svc\\.(${DNS_LABEL})\\.mesh\\.local$`);
const UNIVERSAL_HOSTNAME = new RegExp(`^(${DNS_LABEL})\\.svc\\.(${DNS_LABEL})\\.mesh\\.local$`);
const MULTI_ZONE_HOSTNAME = new RegExp(`^(${DNS_LABEL})\\.mzsvc\\.mesh\\.local$`);
const EXTERNAL_HOSTNAME = new RegExp(`^(${DNS_LABEL})\\.extsvc\\.mesh\\.local$`);

/**
 * The `kuma.io/reachable-backends` ref of a `.mesh.local` hostname, by the labels Kuma keeps on
 * the resource the hostname stands for, never by name: a ref by name is resolved in the sidecar's
 * own zone (kumahq/kuma v2.14.3 pkg/xds/context/destination_index.go processRef), while a
 * MeshService synced from another zone keeps its original name and namespace only in the labels
 * kuma.io/display-name and k8s.kuma.io/namespace, and its zone in kuma.io/zone
 * (pkg/kds/context/context.go HashSuffixMapper). The hostnames are those of Kuma's default
 * HostnameGenerators (pkg/defaults/hostname_generator.go). Undefined for any other name.
 */
export function backendRefOfHostname(hostname: string, port: number | undefined): BackendRef | undefined {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  const m = SERVICE_HOSTNAME.exec(name);
  if (m !== null) return { kind: 'MeshService', port, labels: { 'kuma.io/display-name': m[1], 'k8s.kuma.io/namespace': m[3], 'kuma.io/zone': m[5] } };
  const u = UNIVERSAL_HOSTNAME.exec(name);
  if (u !== null) return { kind: 'MeshService', port, labels: { 'kuma.io/display-name': u[1], 'kuma.io/zone': u[3] } };
  const z = MULTI_ZONE_HOSTNAME.exec(name);
  if (z !== null) return { kind: 'MeshMultiZoneService', port, labels: { 'kuma.io/display-name': z[1] } };
  const e = EXTERNAL_HOSTNAME.exec(name);
  if (e !== null) return { kind: 'MeshExternalService', labels: { 'kuma.io/display-name': e[1] } };
  return undefined;
}
