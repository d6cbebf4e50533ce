import { IConstruct } from 'constructs';
import { checkZoneName, invalid } from '../private/_validation';

// Sources: kumahq/kuma pkg/core/resources/apis/mesh/validators.go@v2.14.3 (tagNameCharacterSet, tagValueCharacterSet)
/** Tag keys and values Kuma accepts. */
const TAG_KEY = /^[a-zA-Z0-9.\-_:/]+$/;
const TAG_VALUE = /^[a-zA-Z0-9.\-_:]+$/;

/**
 * Who the gateway is to the mesh, modelled once for every policy: the labels that select its
 * Dataplanes (2.10+ `Dataplane` targetRefs), the tags its Dataplanes carry (2.x `MeshSubset`), and
 * for Kuma 3.0 its SPIFFE ID.
 */
export class GatewayIdentity {
  /** @internal */
  public static _of(scope: IConstruct, mesh: string, namespace: string | undefined,
    selectorLabels: Record<string, string>, serviceAccount: string): GatewayIdentity {
    if (namespace === undefined) {
      throw invalid(scope, 'namespace', undefined, 'of the gateway is not known, and its identity in policies contains it',
        'Set the workload\'s namespace (metadata.namespace, the Chart namespace or the namespace prop).');
    }
    if (Object.keys(selectorLabels).length === 0) {
      throw invalid(scope, 'selector', selectorLabels, 'of the gateway workload is empty, so no label selects its Dataplanes', 'Give the workload a selector.');
    }
    for (const [key, value] of Object.entries(selectorLabels)) {
      if (!TAG_KEY.test(key) || !TAG_VALUE.test(value)) {
        throw invalid(scope, `selector label "${key}"`, value, 'cannot be a Kuma tag (values allow letters, digits, \'.\', \'-\', \'_\' and \':\')',
          'Select the gateway pods by labels whose values Kuma accepts as tags.');
      }
    }
    return new GatewayIdentity(mesh, namespace, selectorLabels, serviceAccount);
  }

  private constructor(
    /** The gateway's mesh. */
    public readonly mesh: string,
    /** The gateway's namespace. */
    public readonly namespace: string,
    private readonly selector: Record<string, string>,
    /** The gateway pods' service account. */
    public readonly serviceAccount: string) {}

  /** The pod labels that select the gateway's Dataplanes (a copy). */
  public get labels(): { [key: string]: string } {
    return { ...this.selector };
  }

  // Sources: kumahq/kuma pkg/plugins/runtime/k8s/controllers/inbound_converter.go@v2.14.3 (InboundTagsForService);
  // kumahq/kuma-website app/_src/guides/gateway-delegated.md (MeshSubset tags)
  /**
   * The tags of the gateway's Dataplanes for a `MeshSubset`: its pod labels and
   * `k8s.kuma.io/namespace` (the docs' gateway policies match these).
   */
  public get tags(): { [key: string]: string } {
    return { ...this.selector, 'k8s.kuma.io/namespace': this.namespace };
  }

  /**
   * The gateway's SPIFFE ID under Kuma's default MeshIdentity templates, trust domain
   * `{{ .Mesh }}.{{ .Zone }}.mesh.local` and path `/ns/{{ .Namespace }}/sa/{{ .ServiceAccount }}`
   * (kumahq/kuma `meshidentity/api/v1alpha1`: `defaultTrustDomainTemplate`,
   * `defaultK8sSpiffeIDPathTemplate`).
   *
   * @param zone the zone the gateway runs in
   * @param trustDomain the trust domain, when the MeshIdentity does not use the default template
   * @default - `<mesh>.<zone>.mesh.local`
   */
  public spiffeId(zone: string, trustDomain?: string): string {
    checkZoneName('GatewayIdentity.spiffeId()', 'zone', zone);
    return `spiffe://${trustDomain ?? `${this.mesh}.${zone}.mesh.local`}/ns/${this.namespace}/sa/${this.serviceAccount}`;
  }
}
