import type { EditOp } from './_rules';
import { FindingSeverity } from './finding';
import { KUMA_SERVICE_TAG, meshServicePortName } from '../kuma/_addresses';
import { KumaCapabilities } from '../kuma/_kuma-capabilities';
import { byLabels, reachableBackendsAnnotation } from '../kuma/_reachable-backends';
import { GatewayMarking } from '../kuma/gateway-marking';
import { KumaAnnotation, KumaLabel } from '../kuma/well-known';
import { Manifest, ManifestIndex, podMetadataPath, podTemplateOf } from '../model/_manifests';

/*
 * What keeps 2.x manifests from working on Kuma 3.x (kumahq/kuma#18662; annotations.go at v2.14.3 vs 348b6528bc; Kuma's UPGRADE.md for
 * 3.0, test/conformance/kuma/crds/3.0 schemas): each blocker has its own rule, and the mechanical
 * ones carry the edit that resolves them. Run with `--kuma-version 3.0` before upgrading: Kong's
 * kuma3-preflight audits a running control plane, these audit the manifests before anything is
 * applied.
 */

type Emit = (id: string, severity: FindingSeverity, m: Manifest, message: string, fix: string, edit?: { target: Manifest; ops: EditOp[] }) => void;

/** A `kuma.io/service` value of a Service port: `<name>_<namespace>_svc_<port>` (`util.ServiceTag`). */

const POLICY_TOP_KINDS_3X = ['Mesh', 'Dataplane'];
const POLICY_TO_KINDS_3X = ['Mesh', 'MeshService', 'MeshExternalService', 'MeshMultiZoneService', 'MeshHTTPRoute'];

/** The migration rules (KUMA014 - KUMA019) for the target version; none apply before 3.x. */
export function migrationFindings(index: ManifestIndex, caps: KumaCapabilities, emit: Emit): void {
  const v = caps.version.toString();
  // KUMA014: kuma.io/gateway on a pod.
  if (!caps.gatewayMarkings.includes(GatewayMarking.GATEWAY_ANNOTATION)) {
    for (const pod of index.pods) {
      const value = pod.annotations[KumaAnnotation.GATEWAY];
      if (value === undefined) continue;
      const spec = podTemplateOf(pod.manifest.obj)?.spec;
      const ports = [...spec?.containers ?? [], ...spec?.initContainers ?? []]
        .flatMap((c: any) => (c.ports ?? []).map((p: any) => p.containerPort))
        .filter((p: unknown) => Number.isInteger(p));
      const existing = String(pod.annotations[KumaAnnotation.EXCLUDE_INBOUND_PORTS] ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '');
      const merged = [...existing, ...ports.map(String).filter((p: string) => !existing.includes(p))];
      const meta = podMetadataPath(pod.manifest.obj)!;
      emit('KUMA014', FindingSeverity.ERROR, pod.manifest,
        `carries kuma.io/gateway: ${JSON.stringify(value)}, which Kuma ${v} removed (kumahq/kuma#18662): its pods become ordinary Dataplanes whose inbound traffic the sidecar takes`,
        ports.length > 0
          ? `Replace it with traffic.kuma.io/exclude-inbound-ports: "${merged.join(',')}" (its container ports), and mark its Services kuma.io/ignore: "true" unless they are mesh destinations.`
          : 'Replace it with traffic.kuma.io/exclude-inbound-ports listing the ports the gateway serves (its containers declare none), and mark its Services kuma.io/ignore: "true" unless they are mesh destinations.',
        ports.length === 0 ? undefined : {
          target: pod.manifest,
          ops: [
            { op: 'delete', path: [...meta, 'annotations', KumaAnnotation.GATEWAY] },
            { op: 'set', path: [...meta, 'annotations', KumaAnnotation.EXCLUDE_INBOUND_PORTS], value: merged.join(',') },
          ],
        });
    }
  }

  // KUMA019: reachable services by kuma.io/service name.
  if (!caps.metadataKeys.has(KumaAnnotation.REACHABLE_SERVICES)) {
    for (const pod of index.pods) {
      const value = pod.annotations[KumaAnnotation.REACHABLE_SERVICES];
      if (value === undefined) continue;
      const names = String(value).split(',').map((n) => n.trim()).filter((n) => n !== '');
      const refs = names.map((n) => KUMA_SERVICE_TAG.exec(n));
      const mechanical = refs.every((r) => r !== null) && pod.annotations[KumaAnnotation.REACHABLE_BACKENDS] === undefined;
      const yaml = refs.every((r) => r !== null)
        // by labels where Kuma reads refs by labels only (3.0, KUMA036)
        ? reachableBackendsAnnotation(refs.map((r) => ({ kind: 'MeshService', name: r![1], namespace: r![3], port: Number(r![5]) }))
          .map((ref) => (caps.reachableBackendsByLabels ? byLabels(ref) : ref))) : '';
      const meta = podMetadataPath(pod.manifest.obj)!;
      emit('KUMA019', FindingSeverity.ERROR, pod.manifest,
        `lists kuma.io/transparent-proxying-reachable-services, which Kuma ${v} removed: the sidecar would build outbounds for the whole mesh`,
        mechanical ? 'Replace it with kuma.io/reachable-backends listing the same Services as MeshService refs.'
          : `Replace it with kuma.io/reachable-backends (MeshService refs by ${caps.reachableBackendsByLabels ? 'the labels kuma.io/display-name and k8s.kuma.io/namespace' : 'name and namespace'}, and port).`,
        mechanical ? {
          target: pod.manifest,
          ops: [
            { op: 'delete', path: [...meta, 'annotations', KumaAnnotation.REACHABLE_SERVICES] },
            { op: 'set', path: [...meta, 'annotations', KumaAnnotation.REACHABLE_BACKENDS], value: yaml },
          ],
        } : undefined);
    }
  }

  for (const m of index.manifests) {
    const o = m.obj;
    if (o === null || typeof o !== 'object' || String(o.apiVersion) !== 'kuma.io/v1alpha1') continue;
    // KUMA018: Mesh fields 3.x removed.
    if (o.kind === 'Mesh') {
      for (const [field, present, why] of [
        ['meshServices', !caps.meshServicesModeField && o.spec?.meshServices !== undefined, 'every mesh behaves as Exclusive'],
        ['mtls', !caps.meshMtls && o.spec?.mtls !== undefined, 'identity comes from MeshIdentity and MeshTrust'],
      ] as const) {
        if (!present) continue;
        emit('KUMA018', FindingSeverity.ERROR, m, `sets spec.${field}, which Kuma ${v} removed (${why})`,
          field === 'mtls' ? 'Remove spec.mtls and declare a MeshIdentity and MeshTrust.' : 'Remove spec.meshServices (and move off .mesh names to MeshService hostnames).');
      }
      continue;
    }
    if (!caps.permissionRules) continue;
    const spec = o.spec ?? {};
    // KUMA015: `from`.
    if (Array.isArray(spec.from)) {
      emit('KUMA015', FindingSeverity.ERROR, m, `has spec.from, which Kuma ${v} removed from ${o.kind}: the API server prunes it and the policy loses its sources`,
        o.kind === 'MeshTrafficPermission' ? 'Use spec.rules with default.allow matching the clients\' SPIFFE IDs (GatewayTrafficPermission writes them).'
          : 'Move the configuration to spec.rules (inbound) or spec.to (outbound).');
    }
    // KUMA016: targetRef kinds 3.x does not have.
    const top = spec.targetRef;
    if (top?.kind !== undefined && !POLICY_TOP_KINDS_3X.includes(top.kind)) {
      const tags: Record<string, string> | undefined = top.kind === 'MeshSubset' ? top.tags : undefined;
      const mechanical = tags !== undefined && Object.keys(tags).length > 0 && tags['kuma.io/service'] === undefined;
      emit('KUMA016', FindingSeverity.ERROR, m,
        `selects its targets with targetRef kind ${top.kind}, which Kuma ${v} does not have at the top level (only ${POLICY_TOP_KINDS_3X.join(' and ')})`,
        mechanical ? 'Select the same Dataplanes by labels: { kind: Dataplane, labels: <the tags> }.'
          : 'Select the workloads with { kind: Dataplane, labels: ... } by labels you manage (kuma.io/service no longer exists).',
        mechanical ? { target: m, ops: [{ op: 'set', path: ['spec', 'targetRef'], value: { kind: 'Dataplane', labels: { ...tags } } }] } : undefined);
    }
    // KUMA016 / KUMA017: to[].targetRef.
    (Array.isArray(spec.to) ? spec.to : []).forEach((entry: any, i: number) => {
      const ref = entry?.targetRef;
      if (ref?.kind === undefined) return;
      if (!POLICY_TO_KINDS_3X.includes(ref.kind)) {
        emit('KUMA016', FindingSeverity.ERROR, m, `has to[${i}].targetRef kind ${ref.kind}, which Kuma ${v} does not have there`,
          'Target a MeshService, MeshExternalService or MeshMultiZoneService by labels.');
        return;
      }
      if (ref.name === undefined && ref.namespace === undefined) return;
      const relabelled = labelRef(index, ref);
      emit('KUMA017', FindingSeverity.ERROR, m,
        `names to[${i}].targetRef by name (${[ref.namespace, ref.name].filter((x) => x !== undefined).join('/')}), which Kuma ${v}'s CRD prunes: the policy silently loses this target`,
        relabelled !== undefined
          ? `Select it by labels: ${JSON.stringify(relabelled)}.`
          : 'Select it by labels (kuma.io/display-name, k8s.kuma.io/namespace) and sectionName, the name of the MeshService port.',
        relabelled === undefined ? undefined : { target: m, ops: [{ op: 'set', path: ['spec', 'to', i, 'targetRef'], value: relabelled }] });
    });
  }
}

/**
 * A name-based `to[].targetRef` as labels, when it is mechanical: a MeshService by name and
 * namespace (its `sectionName` kept), or a `kuma.io/service` whose Service is in the set (the port
 * becomes its MeshService port name).
 */
function labelRef(index: ManifestIndex, ref: any): any {
  const tag = typeof ref.name === 'string' && ref.namespace === undefined ? KUMA_SERVICE_TAG.exec(ref.name) : null;
  if (tag !== null) {
    const svc = index.service(tag[3], tag[1]);
    const port = (svc?.obj.spec?.ports ?? []).find((p: any) => String(p.port) === tag[5]);
    if (port === undefined) return undefined;
    return { kind: ref.kind, labels: { [KumaLabel.DISPLAY_NAME]: tag[1], [KumaLabel.NAMESPACE]: tag[3] }, sectionName: meshServicePortName(port) };
  }
  if (typeof ref.name !== 'string' || typeof ref.namespace !== 'string') return undefined;
  return {
    kind: ref.kind,
    labels: { [KumaLabel.DISPLAY_NAME]: ref.name, [KumaLabel.NAMESPACE]: ref.namespace },
    ...ref.sectionName === undefined ? {} : { sectionName: ref.sectionName },
  };
}

