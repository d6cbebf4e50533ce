import { ApiObjectMetadata, Duration } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { KumaControlPlane } from './kuma-control-plane';
import type * as kuma from '../imports/kuma.io';
import { checkKindServed, checkNameForVersion, firstVersionServing } from '../kuma/_kuma-capabilities';
import { kumaL1 } from '../kuma/_kuma-l1';
import { zoneResourceLabels } from '../kuma/_owned-labels';
import { checkDns1123Label, checkDns1123Subdomain, checkLabelValue, checkMeshName, checkTrustDomain, invalid, positiveGoDuration } from '../private/_validation';

/*
 * MeshIdentity gives the proxies it selects their workload identity (a SPIFFE ID and its
 * certificate) and with it mTLS. Kuma 3.0 has no other source of mTLS: "A proxy gets an mTLS
 * transport socket - inbound and outbound - only when a MeshIdentity matches it", and a mesh
 * without one "serves and accepts plaintext, and MeshTLS and MeshTrafficPermission no longer apply
 * to its proxies" (kumahq/kuma UPGRADE.md, "Upgrade to 3.0.0", master 348b6528bc). Kuma 2.12 - 2.14
 * have it beside Mesh.mtls. It lives in the control plane's namespace only
 * (`+kuma:policy:allowed_on_system_namespace_only=true`, pkg/core/resources/apis/meshidentity/api/
 * v1alpha1/meshidentity.go), and its fields are validated by validator.go there. Its CRD ships from
 * Kuma 2.12 on (the version table in src/kuma/_kuma-capabilities.ts reads it from the CRDs).
 */

/** Options of a bundled provider whose CA Kuma generates. */
export interface SelfSignedCaOptions {
  /**
   * How long the workload certificates it issues are valid.
   *
   * @default - Kuma's default
   */
  readonly certificateExpiry?: Duration;

  /**
   * Whether Kuma creates the MeshTrust of this identity's CA, which proxies of the mesh (and, synced,
   * of other zones) trust it by.
   *
   * @default true
   */
  readonly meshTrustCreation?: boolean;
}

/** Options of a bundled provider with a CA of the user's. */
export interface CaFromSecretsOptions extends SelfSignedCaOptions {
  /**
   * Whether the CA certificate may be self-signed (Kuma refuses one otherwise: "self-signed
   * certificates are not allowed", providers/bundled/bundled.go).
   *
   * @default false
   */
  readonly allowSelfSigned?: boolean;
}

/** Options of the SPIRE provider. */
export interface SpireProviderOptions {
  /**
   * Time to connect to the SPIRE agent's socket.
   *
   * @default - Kuma's default (1s)
   */
  readonly agentTimeout?: Duration;
}

/** Where a MeshIdentity's certificates come from (`spec.provider`). */
export class MeshIdentityProvider {
  /**
   * Kuma generates the CA and issues from it (bundled, `autogenerate`). Kuma issues from a
   * generated CA only with `insecureAllowSelfSigned: true` ("self-signed certificates are not
   * allowed" otherwise, providers/bundled/bundled.go), which this writes.
   */
  public static selfSignedCa(options: SelfSignedCaOptions = {}): MeshIdentityProvider {
    return new MeshIdentityProvider((scope) => ({
      type: kumaL1().MeshIdentitySpecProviderType.BUNDLED,
      bundled: {
        autogenerate: { enabled: true },
        insecureAllowSelfSigned: true,
        ...bundledCommon(scope, options),
      },
    }));
  }

  /**
   * A CA of the user's, its certificate and private key in Kubernetes Secrets of the control
   * plane's namespace (bundled, `ca` with `secretRef`s).
   *
   * @param certificateSecret the Secret holding the CA certificate (PEM)
   * @param privateKeySecret the Secret holding its private key (PEM)
   */
  public static caFromSecrets(certificateSecret: string, privateKeySecret: string, options: CaFromSecretsOptions = {}): MeshIdentityProvider {
    return new MeshIdentityProvider((scope) => {
      checkDns1123Subdomain(scope, 'provider certificateSecret', certificateSecret);
      checkDns1123Subdomain(scope, 'provider privateKeySecret', privateKeySecret);
      const l1 = kumaL1();
      return {
        type: l1.MeshIdentitySpecProviderType.BUNDLED,
        bundled: {
          autogenerate: { enabled: false },
          ...options.allowSelfSigned === undefined ? {} : { insecureAllowSelfSigned: options.allowSelfSigned },
          ca: {
            certificate: {
              type: l1.MeshIdentitySpecProviderBundledCaCertificateType.SECRET,
              secretRef: { kind: l1.MeshIdentitySpecProviderBundledCaCertificateSecretRefKind.SECRET, name: certificateSecret },
            },
            privateKey: {
              type: l1.MeshIdentitySpecProviderBundledCaPrivateKeyType.SECRET,
              secretRef: { kind: l1.MeshIdentitySpecProviderBundledCaPrivateKeySecretRefKind.SECRET, name: privateKeySecret },
            },
          },
          ...bundledCommon(scope, options),
        },
      };
    });
  }

  /** SPIRE issues the identities (`type: Spire`); the SPIRE agent runs on every node. */
  public static spire(options: SpireProviderOptions = {}): MeshIdentityProvider {
    return new MeshIdentityProvider((scope) => {
      const timeout = positiveGoDuration(scope, 'provider agentTimeout', options.agentTimeout);
      return { type: kumaL1().MeshIdentitySpecProviderType.SPIRE, spire: timeout === undefined ? {} : { agent: { timeout } } };
    });
  }

  private constructor(private readonly produce: (scope: IConstruct) => kuma.MeshIdentitySpecProvider) {}

  /** @internal */
  public _render(scope: IConstruct): kuma.MeshIdentitySpecProvider {
    return this.produce(scope);
  }
}

function bundledCommon(scope: IConstruct, options: SelfSignedCaOptions): Partial<kuma.MeshIdentitySpecProviderBundled> {
  const expiry = positiveGoDuration(scope, 'provider certificateExpiry', options.certificateExpiry);
  return {
    ...options.meshTrustCreation === undefined ? {} : {
      meshTrustCreation: options.meshTrustCreation
        ? kumaL1().MeshIdentitySpecProviderBundledMeshTrustCreation.ENABLED
        : kumaL1().MeshIdentitySpecProviderBundledMeshTrustCreation.DISABLED,
    },
    ...expiry === undefined ? {} : { certificateParameters: { expiry } },
  };
}

/** A MeshIdentity of the app, or one that exists in the cluster. */
export interface IMeshIdentity extends IConstruct {
  /** The resource's name. */
  readonly name: string;
  /** The mesh whose proxies it gives an identity. */
  readonly mesh: string;
}

/** Properties of a `MeshIdentity`. */
export interface MeshIdentityProps {
  /**
   * Metadata of the resource. It lives in the control plane's namespace.
   *
   * @default - a name generated by cdk8s
   */
  readonly metadata?: ApiObjectMetadata;

  /**
   * The mesh.
   *
   * @default "default"
   */
  readonly mesh?: string;

  /**
   * Labels of the proxies (their pods' labels) it gives an identity; the most specific matching
   * MeshIdentity wins.
   *
   * @default - every proxy of the mesh (`matchLabels: {}`)
   */
  readonly selector?: { [key: string]: string };

  /**
   * Where the certificates come from.
   *
   * @default MeshIdentityProvider.selfSignedCa()
   */
  readonly provider?: MeshIdentityProvider;

  /**
   * The trust domain, a literal or a template (`{{ .Mesh }}`, `{{ .Zone }}`). Kuma renders it once
   * and keeps it in `status.trustDomain` (reported for 3.0 by Kong's kuma-migrator docs).
   *
   * @default - the control plane's (`KumaControlPlane.use({ trustDomain })`), else Kuma's
   * `{{ .Mesh }}.{{ .Zone }}.mesh.local`
   */
  readonly trustDomain?: string;

  /**
   * Whether the zone control plane is federated to a global control plane: then the resource
   * carries `kuma.io/origin: zone`.
   *
   * @default true
   */
  readonly federatedZone?: boolean;
}

/**
 * The identity (SPIFFE ID and certificate) of a mesh's proxies, and with it mTLS: on Kuma 3.x the
 * only way to mTLS, without which MeshTrafficPermissions have no effect (Kuma 2.12 - 2.14: beside
 * `Mesh.mtls`). SPIFFE IDs follow Kuma's default path `/ns/<namespace>/sa/<service account>`,
 * which the gateway permissions of this library match.
 *
 * @see https://developer.konghq.com/mesh/migrate-mtls-to-meshidentity/
 * @example
 * new MeshIdentity(chart, 'Identity', { metadata: { name: 'identity' } });
 */
export class MeshIdentity extends Construct implements IMeshIdentity {
  /**
   * A MeshIdentity that exists in the cluster (created outside the app): it tells the app that the
   * mesh has identities, so its permissions take effect.
   */
  public static fromMeshIdentityName(scope: Construct, id: string, name: string, mesh: string = 'default'): IMeshIdentity {
    return new ImportedMeshIdentity(scope, id, name, mesh);
  }

  /** Whether the app of `scope` has or imports a MeshIdentity of `mesh`. */
  public static existsFor(scope: IConstruct, mesh: string): boolean {
    return scope.node.root.node.findAll()
      .some((c) => (c instanceof MeshIdentity || c instanceof ImportedMeshIdentity) && (c as IMeshIdentity).mesh === mesh);
  }

  /** The resource's name. */
  public readonly name: string;
  /** The mesh. */
  public readonly mesh: string;
  /** The MeshIdentity. */
  public readonly resource: kuma.MeshIdentity;

  constructor(scope: Construct, id: string, props: MeshIdentityProps = {}) {
    super(scope, id);
    checkKindServed(this, 'MeshIdentity', `Target Kuma ${firstVersionServing('MeshIdentity')} or newer (KumaVersion.use()), or use Mesh mtls before it.`);
    this.mesh = props.mesh ?? 'default';
    checkMeshName(this, 'mesh', this.mesh);
    checkNameForVersion(this, 'mesh', this.mesh, 'Mesh');
    const control = KumaControlPlane.of(this);
    const namespace = control._namespaceFor(this, 'metadata.namespace', props.metadata?.namespace);
    checkDns1123Label(this, 'metadata.namespace', namespace);
    for (const [key, value] of Object.entries(props.selector ?? {})) checkLabelValue(this, `selector["${key}"]`, value);
    const trustDomain = props.trustDomain ?? control.trustDomain;
    if (props.trustDomain !== undefined && !props.trustDomain.includes('{{')) checkTrustDomain(this, 'trustDomain', props.trustDomain);
    if (props.trustDomain !== undefined && props.trustDomain !== control.trustDomain) {
      throw invalid(this, 'trustDomain', props.trustDomain, control.trustDomain !== undefined
        ? `contradicts the trust domain of the control plane (${JSON.stringify(control.trustDomain)}, KumaControlPlane.use()), which the gateways' permissions match`
        : 'is not the control plane\'s (KumaControlPlane.use() names none, so the gateways\' permissions match Kuma\'s default <mesh>.<zone>.mesh.local), and the gateways\' SPIFFE IDs would not match them',
      'Set it once with KumaControlPlane.use(app, { trustDomain }), which MeshIdentity and every gateway permission read, and remove it here.');
    }
    const labels = zoneResourceLabels(this, props.metadata?.labels, this.mesh, props.federatedZone);
    this.resource = new (kumaL1().MeshIdentity)(this, 'Resource', {
      metadata: { ...props.metadata, namespace, labels },
      spec: {
        selector: { dataplane: { matchLabels: { ...props.selector } } },
        ...trustDomain === undefined ? {} : { spiffeId: { trustDomain } },
        provider: (props.provider ?? MeshIdentityProvider.selfSignedCa())._render(this),
      },
    });
    this.node.defaultChild = this.resource;
    this.name = this.resource.name;
  }
}

class ImportedMeshIdentity extends Construct implements IMeshIdentity {
  constructor(scope: Construct, id: string, public readonly name: string, public readonly mesh: string) {
    super(scope, id);
    checkDns1123Subdomain(this, 'name', name);
    checkMeshName(this, 'mesh', mesh);
  }
}
