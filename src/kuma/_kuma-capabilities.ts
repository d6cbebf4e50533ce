import { IConstruct } from 'constructs';
import { GatewayMarking } from './gateway-marking';
import { KumaVersion } from './kuma-version';
import { KumaAnnotation, KumaLabel } from './well-known';
import type * as Catalogue from '../imports/kuma-catalogue';
import { lazy } from '../private/_lazy';
import { DNS1035_LABEL, invalid } from '../private/_validation';

/*
 * What each Kuma version reads and writes, in one table. The kinds and annotation keys are Kuma's
 * own (src/imports/kuma-catalogue.ts, generated from kumahq/kuma's CRDs and
 * pkg/plugins/runtime/k8s/metadata/annotations.go of each release line); the rest is checked
 * against Kuma's test fixtures in test/conformance/.
 */

// Sources: kumahq/kuma pkg/plugins/runtime/k8s/metadata/labels.go (v2.14.3 and 348b6528bc)
/**
 * Keys Kuma declares in pkg/plugins/runtime/k8s/metadata/labels.go rather than annotations.go:
 * on master the mesh is a label only, so annotations.go no longer lists it.
 */
const LABEL_KEYS = [KumaLabel.MESH, KumaLabel.SIDECAR_INJECTION];

/** What a version's injector writes on a pod that its pod converter reads (`KumaCapabilities.injector`). */
export interface InjectorRules {
  /** It labels the pod `kuma.io/mesh` with its mesh (2.9 on, injector.go `injectKuma`). */
  readonly meshLabel: boolean;
  /**
   * The IP family is the pod's `kuma.io/transparent-proxying-ip-family-mode`, `dualstack` when unset
   * or empty (2.9 on, `NewAnnotations`); before, the control plane's setting and an IPv6 inbound port
   * (not predicted).
   */
  readonly ipFamilyFromPod: boolean;
  /** The Envoy admin port is the pod's `kuma.io/envoy-admin-port`, else 9901 (2.x); 3.x writes 9901 over it. */
  readonly adminPortFromPod: boolean;
}

/** The labels a version's pod converter computes for a Dataplane (`KumaCapabilities.dataplaneLabels`). */
export interface DataplaneLabelRules {
  /** The pod's labels (and the existing Dataplane's) are copied (2.10 on; 2.9 computes from none). */
  readonly podLabels: boolean;
  /** `kuma.io/display-name`: the pod's name (3.x). */
  readonly displayName: boolean;
  /** `kuma.io/proxy-type: sidecar` (2.10 ... 2.14; 3.x drops it). */
  readonly proxyType: boolean;
  /** `k8s.kuma.io/service-account` (2.12 on). */
  readonly serviceAccount: boolean;
  /** `kuma.io/workload`: the first workload label the pod has, else its ServiceAccount (2.13 on). */
  readonly workload: boolean;
  /** In zone mode `kuma.io/origin` is always set to `zone` (3.x), not only when the pod has none. */
  readonly zoneLabelsReplace: boolean;
}

/** One Kuma version's capabilities: what Kuma reads and writes, and how the library writes for it. */
export interface KumaCapabilities {
  readonly version: KumaVersion;
  /** The `kuma.io/v1alpha1` kinds its CRDs serve. */
  readonly servedKinds: ReadonlySet<string>;
  /** The served kinds that are policies (namespaced, top-level spec.targetRef), from the CRDs. */
  readonly policyKinds: ReadonlySet<string>;
  /** The annotation and label keys its Kubernetes plugin declares. */
  readonly metadataKeys: ReadonlySet<string>;
  /** The ways a delegated gateway can be marked, the default first. */
  readonly gatewayMarkings: readonly GatewayMarking[];
  // Sources: kumahq/kuma-website app/_src/reference/kubernetes-annotations.md (kuma.io/mesh: lte:2.7.x annotation, gte:2.8.x label)
  /** Whether the pod *annotation* `kuma.io/mesh` is written as well as the label (up to 2.7; the docs show the label from 2.8). */
  readonly meshAnnotation: boolean;
  // Sources: kumahq/kuma pkg/plugins/runtime/k8s/util/util.go (MeshOfByLabelOrAnnotation@v2.14.3, MeshOfByLabel@348b6528bc)
  /** Whether Kuma ignores a `kuma.io/mesh` *annotation* altogether (3.x reads labels only); 2.8 - 2.14 read it with a deprecation warning. */
  readonly meshAnnotationIgnored: boolean;
  // Sources: kumahq/kuma-website app/_src/guides/gateway-delegated.md (lte:2.8.x policies in kuma-system, gte:2.9.x in the workload namespace)
  /** Whether policies about a workload's traffic live in its namespace (2.9+) rather than the control plane's. */
  readonly policiesInWorkloadNamespace: boolean;
  /**
   * Whether Kuma computes a role for every policy (`kuma.io/policy-role`: producer, consumer,
   * workload-owner, system) and refuses a policy that mixes producer and consumer items (2.9+:
   * kumahq/kuma v2.9.13 pkg/core/resources/model/resource.go ComputePolicyRole).
   */
  readonly policyRoles: boolean;
  /**
   * Whether a `to[]` item naming a MeshHTTPRoute counts as a producer item, as one naming a
   * MeshService does (2.11+: kumahq/kuma v2.11.8 pkg/core/resources/model/resource.go
   * ComputePolicyRole, `case common_api.MeshService, common_api.MeshHTTPRoute`).
   */
  readonly httpRouteProducerItems: boolean;
  /**
   * Whether a sidecar gets no outbound without `kuma.io/reachable-backends`, unless the control
   * plane is told otherwise (3.0: kumahq/kuma PR #18831 "default reachableBackends to empty";
   * REPORTED for the release, see KumaControlPlaneOptions.restrictOutbound).
   */
  readonly restrictsOutboundByDefault: boolean;
  /**
   * Whether `kuma.io/reachable-backends` refs select by labels only (3.0: kumahq/kuma PR #18832;
   * REPORTED for the release): a ref by `name`/`namespace` resolves to nothing.
   */
  readonly reachableBackendsByLabels: boolean;
  /**
   * Whether a global control plane can run on Kubernetes, so that its objects (MeshMultiZoneService)
   * are Kubernetes objects: 2.x; Kuma 3.0's kuma-cp refuses `mode=global` with
   * `environment=kubernetes` (kumahq/kuma UPGRADE.md, "Upgrade to 3.0.0"; PR #17508).
   */
  readonly globalOnKubernetes: boolean;
  /**
   * Whether a sidecar that no MeshPassthrough selects drops traffic to destinations outside the
   * mesh (3.0: kumahq/kuma issue #18801 "Default passthrough to None"; Kong's kuma-migrator docs;
   * REPORTED for the release). 2.x passes it through by default.
   */
  readonly passthroughNoneByDefault: boolean;
  /** Whether a workload is selected by a `Dataplane` targetRef with `labels` (2.10+; crds/2.10 adds the kind) rather than a `MeshSubset` of tags. */
  readonly dataplaneTargetRef: boolean;
  /**
   * Whether MeshTrafficPermission lets a client in by `rules` matching its SPIFFE ID (3.x:
   * `from` is removed, and meshes deny by default under MeshIdentity) rather than `from`.
   */
  readonly permissionRules: boolean;
  /**
   * Whether `to[].targetRef` selects a MeshService by `labels` only: the 3.0-dev CRDs declare
   * `kind`, `labels` and `sectionName` (kuma.io_meshtimeouts.yaml); `name`/`namespace` are pruned.
   */
  readonly upstreamRefByLabels: boolean;
  /**
   * Whether a policy's `targetRef` can name a MeshService resource (`namespace`, `sectionName`):
   * the MeshTimeout/MeshRetry/MeshCircuitBreaker CRDs declare them from 2.8 (crds/2.8); 2.6 and 2.7
   * only have `name` (a `kuma.io/service`), so MeshService mode cannot be targeted there.
   */
  readonly meshServiceRefs: boolean;
  /**
   * Whether Dataplanes carry inbound tags (`kuma.io/service`, ...) and a delegated gateway a
   * `kuma.io/service` identity. Kuma's 3.0-dev pod converter fixtures carry none
   * (controllers/testdata/01.dataplane.yaml, 03.dataplane.yaml: `gateway: {}`).
   */
  readonly inboundTags: boolean;
  /**
   * Which labels Kuma computes for the Dataplane its pod converter makes, beyond the pod's own,
   * `kuma.io/mesh`, the zone-mode labels and `k8s.kuma.io/namespace` (kumahq/kuma
   * pkg/core/resources/model/resource.go `ComputeLabels` at 2.9.0 ... v2.13.0, called by
   * pod_converter.go `PodToDataplane`; pkg/core/resources/labels/compute.go `Compute` at v2.14.3
   * and 348b6528bc). Undefined before 2.9, where the converter computes none (2.8's webhook
   * defaulter adds some; not modelled).
   */
  readonly dataplaneLabels?: DataplaneLabelRules;
  /**
   * Whether a Dataplane's `transparentProxying` carries the redirect ports, IP family and reachable
   * services, read when the pod's transparent proxy is enabled (2.x, pod_converter.go `dataplaneFor`
   * at v2.14.3); in 3.x it carries only `directAccessServices` and `reachableBackends`, read whenever
   * the pod has them (348b6528bc).
   */
  readonly transparentProxyPorts: boolean;
  /**
   * What Kuma's injector writes that its pod converter reads (kumahq/kuma
   * pkg/plugins/runtime/k8s/webhooks/injector/injector.go; 3.x:
   * pkg/transparentproxy/kubernetes/kubernetes_config.go `ConfigToAnnotations`, 348b6528bc).
   */
  readonly injector: InjectorRules;
  /**
   * Labels Kuma stores as annotations of the Kubernetes object, their values being too long for
   * labels, and reads back as labels (pkg/plugins/resources/k8s/store.go `SplitLabelsAndAnnotations`,
   * 2.10.0: display-name; 2.12.0: and the ServiceAccount; v2.13.0: and the workload).
   */
  readonly labelsStoredAsAnnotations: readonly string[];
  /** Whether `<service>.mesh` VIPs exist (2.x, outside Exclusive mode; removed in 3.x, UPGRADE.md). */
  readonly meshVips: boolean;
  /** Whether the Mesh has `meshServices.mode` (2.x with MeshServices; 3.x always behaves as Exclusive and drops the field). */
  readonly meshServicesModeField: boolean;
  /** Whether the Mesh has builtin `mtls` (2.x; 3.x takes identity from MeshIdentity and MeshTrust). */
  readonly meshMtls: boolean;
  /** Whether Mesh, Zone, MeshService, MeshExternalService and MeshMultiZoneService names must be RFC 1035 labels (3.x, UPGRADE.md). */
  readonly rfc1035Names: boolean;
  /**
   * Whether a zone's public address for cross-zone MeshService traffic comes from a
   * MeshZoneAddress (3.x). Kuma's UPGRADE.md: "MeshZoneAddress does not exist before 3.0.0" (the
   * 2.14 chart ships its CRD, but 2.x takes the address from the ZoneIngress).
   */
  readonly meshZoneAddress: boolean;
}

// Sources: kumahq/kuma#18662, kumahq/kuma#18603
/**
 * Keys Kuma removed after the 3.0 development snapshot the catalogue was generated from:
 * `kuma.io/gateway` (kumahq/kuma PR #18662, merged 2026-09-10).
 */
const REMOVED_AFTER_SNAPSHOT: Record<string, readonly string[]> = { '3.0': ['kuma.io/gateway'] };

/** Kuma's catalogue (~100 KB of generated lists), loaded with the first version looked up. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kumaCatalogue = lazy(() => require('../imports/kuma-catalogue') as typeof Catalogue);

/** Each version's row, built the first time it is asked for. */
const TABLE = new Map<KumaVersion, KumaCapabilities>();

function buildCapabilities(version: KumaVersion): KumaCapabilities {
  const { KUMA_ANNOTATION_CATALOGUE, KUMA_SERVED_KINDS, KUMA_POLICY_KINDS } = kumaCatalogue();
  const v = version.toString();
  const at = (major: number, minor: number) => version.atLeast(major, minor);
  const removed = new Set(REMOVED_AFTER_SNAPSHOT[v] ?? []);
  return {
    version,
    servedKinds: new Set(KUMA_SERVED_KINDS[v]),
    policyKinds: new Set(KUMA_POLICY_KINDS[v]),
    metadataKeys: new Set([...KUMA_ANNOTATION_CATALOGUE[v], ...LABEL_KEYS].filter((k) => !removed.has(k))),
    gatewayMarkings: at(3, 0) ? [GatewayMarking.EXCLUDED_INBOUND_PORTS]
      : at(2, 14) ? [GatewayMarking.GATEWAY_ANNOTATION, GatewayMarking.EXCLUDED_INBOUND_PORTS]
        : [GatewayMarking.GATEWAY_ANNOTATION],
    meshAnnotation: !at(2, 8),
    meshAnnotationIgnored: at(3, 0),
    policiesInWorkloadNamespace: at(2, 9),
    policyRoles: at(2, 9),
    httpRouteProducerItems: at(2, 11),
    passthroughNoneByDefault: at(3, 0),
    globalOnKubernetes: !at(3, 0),
    restrictsOutboundByDefault: at(3, 0),
    reachableBackendsByLabels: at(3, 0),
    dataplaneTargetRef: at(2, 10),
    permissionRules: at(3, 0),
    upstreamRefByLabels: at(3, 0),
    meshServiceRefs: at(2, 8),
    inboundTags: !at(3, 0),
    dataplaneLabels: !at(2, 9) ? undefined : {
      podLabels: at(2, 10),
      displayName: at(3, 0),
      proxyType: at(2, 10) && !at(3, 0),
      serviceAccount: at(2, 12),
      workload: at(2, 13),
      zoneLabelsReplace: at(3, 0),
    },
    transparentProxyPorts: !at(3, 0),
    injector: { meshLabel: at(2, 9), ipFamilyFromPod: at(2, 9), adminPortFromPod: !at(3, 0) },
    labelsStoredAsAnnotations: [
      ...at(2, 10) ? [KumaLabel.DISPLAY_NAME] : [],
      ...at(2, 12) ? ['k8s.kuma.io/service-account'] : [],
      ...at(2, 13) ? ['kuma.io/workload'] : [],
    ],
    meshVips: !at(3, 0),
    meshServicesModeField: !at(3, 0),
    meshMtls: !at(3, 0),
    rfc1035Names: at(3, 0),
    meshZoneAddress: at(3, 0),
  };
}

/** The capabilities of a supported version. */
export function capabilitiesOf(version: KumaVersion): KumaCapabilities {
  let row = TABLE.get(version);
  if (row === undefined) {
    row = buildCapabilities(version);
    TABLE.set(version, row);
  }
  return row;
}

/** The oldest supported version whose CRDs serve `kind`, if any. */
export function firstVersionServing(kind: string): KumaVersion | undefined {
  return KumaVersion.supported.find((v) => capabilitiesOf(v).servedKinds.has(kind));
}

/** The supported versions whose CRDs serve `kind`, as text ("2.9 to 3.0"). */
export function versionsServing(kind: string): string {
  const versions = KumaVersion.supported.filter((v) => capabilitiesOf(v).servedKinds.has(kind));
  if (versions.length === 0) return 'no supported version';
  return versions.length === 1 ? versions[0].toString() : `${versions[0]} to ${versions[versions.length - 1]}`;
}

/**
 * The key if `version` does not declare it but an older supported version did: Kuma removed it
 * (3.0 drops `kuma.io/virtual-probes`, `kuma.io/transparent-proxying-reachable-services`, ...).
 * Returns the last version that declared it.
 */
export function removedIn(version: KumaVersion, key: string): KumaVersion | undefined {
  if (capabilitiesOf(version).metadataKeys.has(key)) return undefined;
  const older = KumaVersion.supported.filter((v) => !v.atLeast(version.major, version.minor) && capabilitiesOf(v).metadataKeys.has(key));
  return older[older.length - 1];
}

/** The oldest supported version that declares `key`, if any. */
export function firstVersionDeclaring(key: string): KumaVersion | undefined {
  return KumaVersion.supported.find((v) => capabilitiesOf(v).metadataKeys.has(key));
}

/**
 * Refuses a Kuma kind that the version `scope` targets does not serve: its CRD is not installed
 * there, so the API server rejects the object.
 */
export function checkKindServed(scope: IConstruct, kind: string, fix?: string): void {
  const version = KumaVersion.of(scope);
  if (capabilitiesOf(version).servedKinds.has(kind)) return;
  throw invalid(scope, 'KumaVersion', version.toString(),
    `does not serve ${kind}: Kuma's CRDs have that kind in ${versionsServing(kind)}`,
    fix ?? `Target a version that has it (KumaVersion.use()), or drop the ${kind}.`);
}

/**
 * Why Kuma `version` does not read the annotation or label `key`, if it does not: it is not in
 * that version's catalogue (annotations.go, labels.go). Says whether Kuma removed it or added it later.
 */
export function unreadKeyReason(version: KumaVersion, key: string): string | undefined {
  if (capabilitiesOf(version).metadataKeys.has(key)) return undefined;
  const last = removedIn(version, key);
  if (last !== undefined) return `is not read by Kuma ${version}: Kuma's annotation catalogue (annotations.go) has it up to ${last} only`;
  const first = firstVersionDeclaring(key);
  if (first !== undefined) return `is not read by Kuma ${version}: Kuma's annotation catalogue (annotations.go) has it from ${first} on`;
  return `is not a key Kuma ${version} reads: no supported version's annotation catalogue (annotations.go) has it`;
}

/**
 * The README's version table, one row per supported version, from this table (a test checks the
 * README against it).
 */
export function versionTableRows(): string[] {
  const header = [
    '| version | gateway marked by | mesh on pods | gateway\'s policies live in | workloads selected by | gateway let in by | upstream in `to[]` | reachable list | outbounds without a list | mTLS from | traffic leaving the mesh | `.mesh` VIPs | MeshServices | identity tags |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  return [...header, ...KumaVersion.supported.map((version) => {
    const c = capabilitiesOf(version);
    const marking = c.gatewayMarkings.map((m, i) => `${i > 0 ? 'or, by choice, ' : ''}${m === GatewayMarking.GATEWAY_ANNOTATION ? '`kuma.io/gateway: enabled`' : '`traffic.kuma.io/exclude-inbound-ports`'}`).join(' ');
    const reach = [KumaAnnotation.REACHABLE_SERVICES, KumaAnnotation.REACHABLE_BACKENDS].filter((k) => c.metadataKeys.has(k))
      .map((k) => (k === KumaAnnotation.REACHABLE_SERVICES ? 'services' : 'backends')).join(' or ');
    return `| ${[
      version.toString(),
      marking,
      c.meshAnnotation ? 'label and annotation' : c.meshAnnotationIgnored ? 'label (annotation ignored)' : 'label (annotation deprecated)',
      c.policiesInWorkloadNamespace ? 'the workload\'s namespace' : 'the control plane namespace',
      c.dataplaneTargetRef ? '`Dataplane` by labels' : '`MeshSubset` of tags',
      c.permissionRules ? '`rules` allowing its SPIFFE ID' : '`from` its tags',
      c.upstreamRefByLabels ? 'MeshService by labels' : c.meshServiceRefs ? '`kuma.io/service`; MeshService by name in Exclusive' : '`kuma.io/service`',
      reach,
      c.restrictsOutboundByDefault ? 'none (reported): derived at synth, by labels' : 'every service',
      c.meshMtls ? (c.servedKinds.has('MeshIdentity') ? '`Mesh.mtls` or MeshIdentity' : '`Mesh.mtls`') : 'MeshIdentity only',
      c.passthroughNoneByDefault ? 'dropped without a MeshPassthrough (reported)' : 'passed through',
      c.meshVips ? 'yes, but not in Exclusive' : 'removed',
      c.meshServicesModeField ? (c.servedKinds.has('MeshService') ? '`meshServices.mode`' : 'none') : 'always (Exclusive)',
      c.inboundTags ? '`kuma.io/service`' : 'none: labels',
    ].join(' | ')} |`;
  })];
}


/**
 * Kuma 3.x requires the names of Mesh, Zone, MeshService, MeshExternalService and
 * MeshMultiZoneService to be RFC 1035 labels (at most 63 characters, a lowercase letter first):
 * they are rendered into DNS hostnames (Kuma's UPGRADE.md for 3.0). Earlier versions accept more.
 */
export function checkNameForVersion(scope: IConstruct, field: string, value: string, what: string): void {
  const version = KumaVersion.of(scope);
  if (!capabilitiesOf(version).rfc1035Names || (value.length <= 63 && DNS1035_LABEL.test(value))) return;
  throw invalid(scope, field, value, `is not an RFC 1035 label, which Kuma ${version} requires of ${what} names (they become DNS labels)`,
    'Use at most 63 lowercase letters, digits and \'-\', starting with a letter and ending with a letter or digit.');
}
