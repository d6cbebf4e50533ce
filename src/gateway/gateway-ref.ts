import { IConstruct } from 'constructs';
import type { GatewayFlavour } from './gateway-flavour';
import type { GatewayIdentity } from './gateway-identity';
import type { KumaVersion } from '../kuma/kuma-version';

/*
 * A delegated gateway as its policies see it (cdk8s-plus types RoleBindingProps.role as IRole the
 * same way): the policies import this file only, never the gateway construct, so the gateway can
 * make its policies without an import cycle.
 */

/**
 * What the policies about a delegated gateway's traffic need to know of it: its mesh, version,
 * identity and where it runs. Every `IDelegatedGateway` is one.
 */
export interface IDelegatedGatewayRef extends IConstruct {
  /** The mesh the gateway is in. */
  readonly mesh: string;
  /** The Kuma version its policies are written for. */
  readonly version: KumaVersion;
  /** The namespace of Kuma's control plane (policies live there up to Kuma 2.8). */
  readonly controlPlaneNamespace: string;
  /** Who the gateway is to the mesh: the labels, tags and SPIFFE ID its policies select it by. */
  readonly identity: GatewayIdentity;
  /** The name of the gateway's workload: unnamed policies are `<workloadName>-to-<target>`. */
  readonly workloadName: string;
  /** The gateway flavour. */
  readonly flavour: GatewayFlavour;
  /**
   * The zone the gateway runs in, if known: its SPIFFE ID (Kuma 3.x) contains it, and a permission
   * in another zone matches it.
   */
  readonly zone?: string;
  /**
   * The trust domain of the gateway's identity when it is not Kuma's default
   * `<mesh>.<zone>.mesh.local`: Kuma 3.x permissions match the SPIFFE ID it is part of.
   */
  readonly trustDomain?: string;
}

/**
 * What is known of a delegated gateway installed outside the app (for example with
 * `helm install`), for `DelegatedGateway.fromGatewayAttributes()`.
 */
export interface DelegatedGatewayAttributes {
  /** The name of the gateway's workload (its Deployment): unnamed policies are `<name>-to-<target>`. */
  readonly name: string;
  /** The namespace the gateway runs in. */
  readonly namespace: string;
  /**
   * Labels of the gateway's pods that select them and no other pods of the namespace (for Kong's
   * chart, for example, `app.kubernetes.io/name` and `app.kubernetes.io/instance`): policies
   * select the gateway's Dataplanes by them (Kuma 2.10+), or by them as tags (2.6 - 2.9).
   */
  readonly podLabels: { [key: string]: string };
  /**
   * The service account the gateway's pods run as: Kuma 3.x permissions match the SPIFFE ID it is
   * part of.
   */
  readonly serviceAccountName: string;
  /**
   * The mesh the gateway is in.
   *
   * @default "default"
   */
  readonly mesh?: string;
  /**
   * The kind of gateway.
   *
   * @default GatewayFlavour.generic()
   */
  readonly flavour?: GatewayFlavour;
  /**
   * The namespace of Kuma's control plane.
   *
   * @default - the control plane's (`KumaControlPlane.use()`; "kuma-system" when not set)
   */
  readonly controlPlaneNamespace?: string;
  /**
   * The zone the gateway runs in. Give it for a gateway of another zone: a permission written in
   * this zone then lets in the gateway of that one (Kuma 3.x matches its SPIFFE ID, which contains
   * the zone; 2.x its tags, with `kuma.io/zone`).
   *
   * @default - this cluster's zone (`KumaControlPlane.use({ zone })`), if set
   */
  readonly zone?: string;
  /**
   * The trust domain of the gateway's identity (its zone's MeshIdentity), when it is not Kuma's
   * default `<mesh>.<zone>.mesh.local`.
   *
   * @default - this cluster's (`KumaControlPlane.use({ trustDomain })`) for a gateway of this
   * zone, else Kuma's default
   */
  readonly trustDomain?: string;
}
