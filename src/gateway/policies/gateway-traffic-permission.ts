import { Construct } from 'constructs';
import { isAnalyzed } from '../../private/_analyzer-present';
import { recordPolicyUpstream } from '../_gateway-outbounds';
import { checkPolicyScope, policyMetadata, policyName, workloadPlacement } from './_gateway-policy';
import type * as kuma from '../../imports/kuma.io';
import { capabilitiesOf, checkNameForVersion } from '../../kuma/_kuma-capabilities';
import { kumaL1 } from '../../kuma/_kuma-l1';
import { addValidationOncePerSynth } from '../../kuma/_synth-session';
import { KumaControlPlane } from '../../mesh/kuma-control-plane';
import { MeshIdentity } from '../../mesh/mesh-identity';
import { IMeshService, MeshService } from '../../mesh/mesh-service';
import { checkDns1123Label, checkDns1123Subdomain, checkTrustDomain, checkZoneName, invalid } from '../../private/_validation';
import { warn } from '../../private/_warnings';
import type { GatewayIdentity } from '../gateway-identity';
import type { IDelegatedGatewayRef } from '../gateway-ref';

/** What a gateway is let into: one Service's workload, or every workload of a namespace. */
export class GatewayPermissionTarget {
  /**
   * The workload behind one Service, selected by the Service's selector labels.
   *
   * @param port the Service port, for Kuma up to 2.8 where the permission names a `kuma.io/service`
   * @default - the Service's only TCP port
   */
  public static service(service: IMeshService, port?: number): GatewayPermissionTarget {
    return new GatewayPermissionTarget(service, undefined, port);
  }

  /** Every workload of a namespace. */
  public static namespace(name: string): GatewayPermissionTarget {
    return new GatewayPermissionTarget(undefined, name, undefined);
  }

  private constructor(
    /** @internal */ public readonly _service: IMeshService | undefined,
    /** @internal */ public readonly _namespace: string | undefined,
    /** @internal */ public readonly _port: number | undefined) {}
}

/** Options of `DelegatedGateway.allowTo()`. */
export interface GatewayTrafficPermissionOptions {
  /**
   * Where the policy is created: the construct (typically the Chart, so the YAML file) of the team
   * that owns the upstream, so that it is reviewed and deployed with that team's service. The
   * policy's namespace is still the one Kuma requires for the version.
   *
   * @default - the gateway (its chart)
   */
  readonly placeIn?: Construct;

  /**
   * The MeshTrafficPermission name.
   *
   * @default - `<gateway workload>-to-<target>`: the target Service's name, or the namespace's (for
   * example `kong-to-web`)
   */
  readonly name?: string;

  /**
   * The zone the gateway runs in. Required for Kuma 3.0, whose permissions match the gateway's
   * SPIFFE ID, which contains it.
   *
   * @default - the gateway's zone (its control plane's, `KumaControlPlane.use({ zone })`, or its
   *            attributes'); none is refused for 3.0
   */
  readonly zone?: string;

  /**
   * The trust domain of the gateway's identity, when the MeshIdentity does not use Kuma's default
   * template (Kuma 3.0).
   *
   * @default - `<mesh>.<zone>.mesh.local`
   */
  readonly trustDomain?: string;
}

/** Properties of a `GatewayTrafficPermission`. */
export interface GatewayTrafficPermissionProps extends GatewayTrafficPermissionOptions {
  /** The gateway let in. */
  readonly gateway: IDelegatedGatewayRef;
  /** What it is let into. */
  readonly target: GatewayPermissionTarget;
}

// Sources: kumahq/kuma-website app/_src/guides/gateway-delegated.md (per-version blocks); kumahq/kuma UPGRADE.md@348b6528bc ("Upgrade to `3.0.0`")
/**
 * A MeshTrafficPermission that lets a delegated gateway into a workload or a namespace, in the shape
 * the target Kuma version reads (`KumaVersion.use`). Without one, a mesh with mTLS answers the
 * gateway `403 RBAC: access denied`:
 *
 * - up to 2.8: in the control plane namespace, `targetRef` the `kuma.io/service` (MeshService kind);
 * - 2.9: in the workload's namespace, `targetRef` a `MeshSubset` of its tags;
 * - 2.10 to 2.14: in the workload's namespace, `targetRef` a `Dataplane` by labels;
 * - 2.x: `from` a `MeshSubset` of the gateway's tags, `action: Allow`;
 * - 3.0: `spec.from` is removed; `rules` allow the gateway's SPIFFE ID
 * (developer.konghq.com/mesh/policies/meshtrafficpermission_experimental).
 */
export class GatewayTrafficPermission extends Construct {
  /** The MeshTrafficPermission. */
  public readonly resource: kuma.MeshTrafficPermission;

  constructor(scope: Construct, id: string, props: GatewayTrafficPermissionProps) {
    super(scope, id);
    checkPolicyScope(this, props.placeIn, props.gateway);
    const { gateway, target } = props;
    // read first, as it always was: the gateway's identity may warn (its labels) or refuse
    const identity = gateway.identity;
    if (props.name !== undefined) checkDns1123Subdomain(this, 'name', props.name);
    const { namespace, targetRef } = this.placement(props);
    const spec = this.spec(props, identity, targetRef);
    this.warnWithoutIdentity(gateway);
    const name = policyName(this, 'MeshTrafficPermission', gateway, target._service?.name ?? target._namespace!, namespace, props.name);
    this.resource = new (kumaL1().MeshTrafficPermission)(this, 'Resource', { metadata: policyMetadata(name, namespace, gateway.mesh), spec });
    this.node.defaultChild = this.resource;
  }

  /** Where the permission lives, and the workloads it selects (its target). */
  private placement(props: GatewayTrafficPermissionProps): { namespace: string; targetRef: kuma.MeshTrafficPermissionSpecTargetRef } {
    const { gateway, target } = props;
    const version = gateway.version;
    const service = target._service;
    // one App is one cluster's output folder: a workload of another App runs in another cluster
    if (service !== undefined && service.node.root !== this.node.root) {
      throw invalid(this, 'target', service.node.path,
        'is a Service of another App (another cluster\'s output folder), so this permission would be applied in a cluster where its workload does not run',
        'Write the permission in that App: DelegatedGateway.fromGatewayAttributes(<a chart of that App>, id, gateway.toAttributes()).allowTo(...).');
    }
    // the gateway sends to what it is let into: its reachable backends list it (deriveReachableBackends)
    if (service !== undefined) recordPolicyUpstream(gateway, { service, port: target._port });
    if (service !== undefined) {
      if (!capabilitiesOf(version).policiesInWorkloadNamespace) {
        return {
          namespace: gateway.controlPlaneNamespace,
          targetRef: {
            kind: kumaL1().MeshTrafficPermissionSpecTargetRefKind.MESH_SERVICE,
            name: service.kumaService(service.servicePort(target._port)),
          },
        };
      }
      const labels = service instanceof MeshService ? service._policyLabels(this) : service.selectorLabels;
      if (labels === undefined || Object.keys(labels).length === 0) {
        throw invalid(this, 'target', service.node.path, 'has no known selector labels, which the permission selects its workload by',
          'Give the Service a selector, or pass selectorLabels to MeshService.fromServiceAttributes().');
      }
      if (service.namespace === undefined) {
        throw invalid(this, 'target', service.node.path, 'has no known namespace, where the permission must live', 'Set the Service\'s namespace.');
      }
      return workloadPlacement(version, service.namespace, gateway.controlPlaneNamespace, labels);
    }
    const ns = target._namespace!;
    checkDns1123Label(this, 'target namespace', ns);
    return workloadPlacement(version, ns, gateway.controlPlaneNamespace, { 'k8s.kuma.io/namespace': ns });
  }

  /** Who is let in: the gateway's SPIFFE ID (Kuma 3.x rules), or its Dataplane tags (2.x from). */
  private spec(props: GatewayTrafficPermissionProps, identity: GatewayIdentity,
    targetRef: kuma.MeshTrafficPermissionSpecTargetRef): kuma.MeshTrafficPermissionSpec {
    const { gateway } = props;
    const version = gateway.version;
    // the zone the gateway runs in: the option must agree with what the gateway knows of it
    if (props.zone !== undefined && gateway.zone !== undefined && props.zone !== gateway.zone) {
      throw invalid(this, 'zone', props.zone, `contradicts the zone ${gateway.node.path} runs in (${JSON.stringify(gateway.zone)}, from its control plane or attributes)`,
        'Remove zone: the permission takes the gateway\'s.');
    }
    const zone = props.zone ?? gateway.zone;
    if (zone !== undefined) checkZoneName(this, 'zone', zone);
    // a permission written in another zone than the gateway's (its cluster's control plane zone)
    const here = KumaControlPlane.of(this).zone;
    const remote = zone !== undefined && here !== undefined && zone !== here;
    if (capabilitiesOf(version).permissionRules) {
      if (zone === undefined) {
        throw invalid(this, 'zone', undefined, 'is required for Kuma 3.0: permissions match the gateway by its SPIFFE ID, which contains the zone',
          'Pass the zone the gateway runs in, or set it once with KumaControlPlane.use(app, { zone }).');
      }
      checkNameForVersion(this, 'zone', zone, 'Zone');
      if (props.trustDomain !== undefined) checkTrustDomain(this, 'trustDomain', props.trustDomain);
      if (props.trustDomain !== undefined && gateway.trustDomain !== undefined && props.trustDomain !== gateway.trustDomain) {
        throw invalid(this, 'trustDomain', props.trustDomain, `contradicts the trust domain of ${gateway.node.path} (${JSON.stringify(gateway.trustDomain)}, from its control plane or attributes)`,
          'Remove trustDomain: the permission takes the gateway\'s.');
      }
      const spiffeId = {
        type: kumaL1().MeshTrafficPermissionSpecRulesDefaultAllowSpiffeIdType.EXACT,
        value: identity.spiffeId(zone, props.trustDomain ?? gateway.trustDomain),
      };
      return { targetRef, rules: [{ default: { allow: [{ spiffeId }] } }] };
    }
    return {
      targetRef,
      from: [{
        // Kuma 2.x: the gateway's Dataplane tags; from another zone, with that zone's kuma.io/zone
        targetRef: { kind: kumaL1().MeshTrafficPermissionSpecFromTargetRefKind.MESH_SUBSET, tags: remote ? { ...identity.tags, 'kuma.io/zone': zone! } : identity.tags },
        default: { action: kumaL1().MeshTrafficPermissionSpecFromDefaultAction.ALLOW },
      }],
    };
  }

  /** Kuma 3.x: without a MeshIdentity the mesh is plaintext and permissions do nothing. */
  private warnWithoutIdentity(gateway: IDelegatedGatewayRef): void {
    const version = gateway.version;
    if (capabilitiesOf(version).permissionRules) {
      addValidationOncePerSynth(this, () => {
        // (the MeshAnalyzer reports it as KUMA037 where the app runs one)
        if (!MeshIdentity.existsFor(this, gateway.mesh) && !isAnalyzed(this)) {
          warn(this, `lets ${gateway.node.path} in by its SPIFFE ID, but the app has no MeshIdentity of mesh ${JSON.stringify(gateway.mesh)}: Kuma ${version} applies MeshTrafficPermissions only to proxies a MeshIdentity matches, and a mesh without one serves plaintext and lets every client in (kumahq/kuma UPGRADE.md, "Upgrade to 3.0.0"). Add one (new MeshIdentity(chart, 'Identity')), or declare the mesh's existing one (MeshIdentity.fromMeshIdentityName()).`);
        }
        return [];
      });
    }
  }
}
