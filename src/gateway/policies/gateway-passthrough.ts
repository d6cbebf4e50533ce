import { isIP } from 'net';
import { Construct } from 'constructs';
import { checkPolicyScope, gatewayPlacement, policyMetadata, policyName } from './_gateway-policy';
import type * as kuma from '../../imports/kuma.io';
import { isIpOrCidr } from '../../kuma/_gateway-pod-rules';
import { checkKindServed } from '../../kuma/_kuma-capabilities';
import { kumaL1 } from '../../kuma/_kuma-l1';
import { KumaProtocol } from '../../kuma/kuma-protocol';
import { checkPort, invalid } from '../../private/_validation';
import type { IDelegatedGatewayRef } from '../gateway-ref';

/*
 * Traffic from a gateway to destinations outside the mesh (the Kubernetes API its controller
 * watches, an external host an ExternalName Service names) leaves its sidecar through passthrough.
 * Kuma 3.0 drops it unless a MeshPassthrough selects the proxy: "A transparent-proxy data plane
 * that no MeshPassthrough selects now drops external traffic" (Kong's kuma-migrator docs, "Meshes";
 * kumahq/kuma issue #18801 "Default passthrough to None": REPORTED, the released code was not
 * read). Kuma 2.x passes it through by default (Mesh `networking.outbound.passthrough: true`).
 * MeshPassthrough's fields: crds/3.0-dev kuma.io_meshpassthroughs.yaml.
 */

/** What a passthrough match names (MeshPassthrough `appendMatch[].type`). */
export enum PassthroughMatchType {
  /** A host name, matched by SNI (TLS) or Host (HTTP); `*.` wildcards allowed. */
  DOMAIN = 'Domain',
  /** One IP address. */
  IP = 'IP',
  /** A range of addresses. */
  CIDR = 'CIDR',
}

/** A non-mesh destination a gateway may reach. */
export interface PassthroughMatch {
  /** What `value` is. */
  readonly type: PassthroughMatchType;
  /** The domain, IP address or CIDR. */
  readonly value: string;
  /**
   * The port.
   *
   * @default - every port
   */
  readonly port?: number;
  /**
   * The protocol spoken to it (tcp, tls, grpc, http, http2 or mysql).
   *
   * @default - tcp
   */
  readonly protocol?: KumaProtocol;
}

const DOMAIN_PROTOCOLS: string[] = [KumaProtocol.TLS, KumaProtocol.HTTP, KumaProtocol.HTTP2, KumaProtocol.GRPC];

/** A CIDR: an address and a prefix length of at most three digits. */
function isCidr(value: string): boolean {
  return /\/\d{1,3}$/.test(value) && isIpOrCidr(value);
}

const MATCH_PROTOCOLS: string[] = [KumaProtocol.TCP, KumaProtocol.TLS, KumaProtocol.GRPC, KumaProtocol.HTTP, KumaProtocol.HTTP2, KumaProtocol.MYSQL];

/** Which non-mesh destinations a gateway's sidecar passes traffic through to. */
export class GatewayPassthrough {
  /**
   * Every destination outside the mesh (`passthroughMode: All`), as Kuma 2.x does by default:
   * what a gateway needs when its controller calls the Kubernetes API (whose address is the
   * cluster's) or its routes send to external hosts.
   */
  public static all(): GatewayPassthrough {
    return new GatewayPassthrough('All', []);
  }

  /** Only the listed destinations (`passthroughMode: Matched`). */
  public static matched(matches: PassthroughMatch[]): GatewayPassthrough {
    return new GatewayPassthrough('Matched', [...matches]);
  }

  /** No MeshPassthrough for the gateway: the control plane's default applies. */
  public static none(): GatewayPassthrough {
    return new GatewayPassthrough(undefined, []);
  }

  private constructor(
    /** @internal */ public readonly _mode: 'All' | 'Matched' | undefined,
    /** @internal */ public readonly _matches: PassthroughMatch[]) {}
}

/** Properties of a `GatewayPassthroughPolicy`. */
export interface GatewayPassthroughPolicyProps {
  /** The gateway whose sidecar passes traffic out of the mesh. */
  readonly gateway: IDelegatedGatewayRef;
  /** Which destinations. */
  readonly passthrough: GatewayPassthrough;
  /**
   * The policy's name.
   *
   * @default - `<gateway>-passthrough`
   */
  readonly name?: string;
}

/**
 * A MeshPassthrough that lets one delegated gateway reach destinations outside the mesh: its
 * targetRef is the gateway's Dataplane, so no other proxy of the mesh gets the exception.
 */
export class GatewayPassthroughPolicy extends Construct {
  /** The MeshPassthrough. */
  public readonly resource: kuma.MeshPassthrough;

  constructor(scope: Construct, id: string, props: GatewayPassthroughPolicyProps) {
    super(scope, id);
    checkPolicyScope(this, undefined, props.gateway);
    checkKindServed(this, 'MeshPassthrough');
    const mode = props.passthrough._mode;
    if (mode === undefined) {
      throw invalid(this, 'passthrough', 'none', 'writes no MeshPassthrough', 'Do not create the policy for GatewayPassthrough.none().');
    }
    if (mode === 'Matched' && props.passthrough._matches.length === 0) {
      throw invalid(this, 'passthrough', [], 'matches nothing, so the gateway would reach no destination outside the mesh',
        'List the destinations, or use GatewayPassthrough.all().');
    }
    const appendMatch = props.passthrough._matches.map((m, i) => {
      if (!Object.values(PassthroughMatchType).includes(m.type)) {
        throw invalid(this, `passthrough matches[${i}].type`, m.type, 'is not a PassthroughMatchType', 'Use DOMAIN, IP or CIDR.');
      }
      if (m.value === '') throw invalid(this, `passthrough matches[${i}].value`, m.value, 'is empty', 'Give the domain, IP address or CIDR.');
      // Kuma's validator (meshpassthrough/api/v1alpha1/validator.go): an IP, a CIDR, and a domain only
      // with a protocol that carries the name (SNI or Host); the CRD's default protocol is tcp
      if (m.protocol === KumaProtocol.MYSQL && m.port === undefined) {
        throw invalid(this, `passthrough matches[${i}].port`, undefined, 'is required for a mysql match (Kuma\'s validator: "port must be defined for Mysql protocol")', 'Give the port.');
      }
      if (m.type === PassthroughMatchType.IP && isIP(m.value) === 0) {
        throw invalid(this, `passthrough matches[${i}].value`, m.value, 'is not an IP address', 'Give an IPv4 or IPv6 address, or use CIDR for a range.');
      }
      if (m.type === PassthroughMatchType.CIDR && !isCidr(m.value)) {
        throw invalid(this, `passthrough matches[${i}].value`, m.value, 'is not a CIDR', 'Give an address and a prefix length, such as 10.96.0.0/12.');
      }
      if (m.type === PassthroughMatchType.DOMAIN && !DOMAIN_PROTOCOLS.includes(m.protocol ?? KumaProtocol.TCP)) {
        throw invalid(this, `passthrough matches[${i}].protocol`, m.protocol ?? 'tcp (the default)',
          'cannot match a domain: Kuma matches a domain by the TLS SNI or the HTTP Host, and refuses a domain match over tcp or mysql',
          `Set protocol to one of ${DOMAIN_PROTOCOLS.join(', ')}, or match the destination by IP or CIDR.`);
      }
      if (m.port !== undefined) checkPort(this, `passthrough matches[${i}].port`, m.port);
      if (m.protocol !== undefined && !MATCH_PROTOCOLS.includes(m.protocol)) {
        throw invalid(this, `passthrough matches[${i}].protocol`, m.protocol, 'is not a protocol MeshPassthrough matches', `Use one of ${MATCH_PROTOCOLS.join(', ')}.`);
      }
      return { type: m.type as string, value: m.value, port: m.port, protocol: m.protocol as string | undefined };
    });
    const placement = gatewayPlacement(props.gateway);
    const name = policyName(this, 'MeshPassthrough', props.gateway, 'passthrough', placement.namespace,
      props.name ?? `${props.gateway.workloadName}-passthrough`.toLowerCase().replace(/[^a-z0-9.-]+/g, '-'));
    this.resource = new (kumaL1().MeshPassthrough)(this, 'Resource', {
      metadata: policyMetadata(name, placement.namespace, props.gateway.mesh),
      spec: {
        targetRef: placement.targetRef,
        default: {
          passthroughMode: mode as kuma.MeshPassthroughSpecDefaultPassthroughMode,
          ...appendMatch.length === 0 ? {} : { appendMatch: appendMatch as any },
        },
      },
    });
    this.node.defaultChild = this.resource;
  }
}
