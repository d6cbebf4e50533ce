import { Construct } from 'constructs';
import { IMesh } from '../../mesh/mesh';
import { IMeshService } from '../../mesh/mesh-service';

/** One upstream of the gateway, for the `to` of its outbound policies. */
export interface GatewayUpstream {
  /** The upstream Service. */
  readonly service: IMeshService;

  /**
   * One of its ports.
   *
   * @default - the Service's only TCP port (with `kuma.io/service` names) or all its ports
   *            (with MeshService references, Kuma 3.0 or `meshServices.mode: Exclusive`)
   */
  readonly port?: number;
}

/** What every outbound policy of the gateway takes. */
export interface GatewayOutboundPolicyOptions {
  /**
   * Where the policy is created: the construct (typically the Chart, so the YAML file) of the team
   * that owns the upstream, so that it is reviewed and deployed with that team's service. The
   * policy's namespace is still the one Kuma requires for the version.
   *
   * @default - the gateway (its chart)
   */
  readonly placeIn?: Construct;

  /** The upstreams the policy applies to. */
  readonly to: GatewayUpstream[];

  /**
   * The policy name.
   *
   * @default - `<gateway workload>-to-<first upstream>`, with `-and-<n>-more` when there are more
   * upstreams (for example `kong-to-web`, `kong-to-web-and-1-more`)
   */
  readonly name?: string;

  /**
   * The mesh, for its `meshServices.mode`: with `Exclusive` upstreams are referenced as MeshService
   * resources, otherwise by `kuma.io/service` names.
   *
   * @default - the `Mesh` of this app named like the gateway's mesh; if none, `kuma.io/service` names
   */
  readonly mesh?: IMesh;
}
