import { IConstruct } from 'constructs';
import { IMeshMultiZoneService } from './mesh-multi-zone-service';
import { capabilitiesOf, versionsServing } from '../kuma/_kuma-capabilities';
import { KumaVersion } from '../kuma/kuma-version';
import { MeshServicesMode } from '../mesh/mesh';
import { IMeshService } from '../mesh/mesh-service';
import { checkServiceName, checkZoneName } from '../private/_validation';

// Sources: kumahq/kuma@v2.14.3 pkg/xds/topology/dns.go; pkg/defaults/hostname_generator.go; pkg/xds/context/mesh_context_builder.go;
// https://kuma.io/docs/2.14.x/networking/dns/
/** The kinds of mesh address a gateway can be pointed at. */
export enum MeshAddressKind {
  /** `<name>.<namespace>.svc.<port>.mesh`: the `kuma.io/service` VIP, on port 80 only. */
  KUMA_SERVICE_VIP = 'kuma-service-vip',
  /** `<name>.<namespace>.svc.<zone>.mesh.local`: a MeshService of another zone, on its real port. */
  MESH_SERVICE = 'mesh-service',
  /** `<name>.mzsvc.mesh.local`: a MeshMultiZoneService, on its real port. */
  MESH_MULTI_ZONE_SERVICE = 'mesh-multi-zone-service',
  /** `<name>.extsvc.mesh.local`: a MeshExternalService, on its real port. */
  MESH_EXTERNAL_SERVICE = 'mesh-external-service',
}

// Sources: kumahq/kuma pkg/config/app/kuma-cp/kuma-cp.defaults.yaml@v2.14.3 (serviceVipPort: 80); https://kuma.io/docs/2.14.x/networking/dns/
/** `.mesh` VIP listeners: only port 80, whatever the service's port (`serviceVipPort`). */
const VIP_PORT = 80;

/** The Kuma kind whose hostname an address is. */
const ADDRESS_KINDS: Partial<Record<MeshAddressKind, string>> = {
  [MeshAddressKind.MESH_SERVICE]: 'MeshService',
  [MeshAddressKind.MESH_MULTI_ZONE_SERVICE]: 'MeshMultiZoneService',
  [MeshAddressKind.MESH_EXTERNAL_SERVICE]: 'MeshExternalService',
};

/** A resolved mesh address. */
export interface ResolvedMeshAddress {
  /** The DNS name the sidecar resolves. */
  readonly hostname: string;
  /** The port a route (Ingress backend, HTTPRoute backendRef) must use. */
  readonly routePort: number;
  /** The port of the service behind the address. */
  readonly servicePort: number;
  /** The kind of address. */
  readonly kind: MeshAddressKind;
}

// Sources: kumahq/kuma@v2.14.3 pkg/xds/topology/dns.go; pkg/xds/context/mesh_context_builder.go; pkg/defaults/hostname_generator.go;
// pkg/core/resources/apis/meshservice/api/v1alpha1/helpers.go (AsOutbounds);
// https://kuma.io/docs/2.14.x/using-mesh/managing-ingress-traffic/delegated/
/**
 * A typed mesh address of a service, in one of Kuma's addressing modes. Choose the mode
 * explicitly: each is served under different `meshServices.mode` settings and uses a different
 * port.
 */
export class MeshAddress {
  /**
   * The `kuma.io/service` VIP of a Service: `<name>.<namespace>.svc.<port>.mesh`, reached on port
   * 80 whatever the Service port. Not served when the mesh runs `meshServices.mode: Exclusive`.
   *
   * @param port the Service port the name encodes (default: its only TCP port)
   */
  public static kumaServiceVip(service: IMeshService, port?: number): MeshAddress {
    return new MeshAddress(MeshAddressKind.KUMA_SERVICE_VIP, () => {
      const servicePort = service.servicePort(port);
      return { hostname: service.meshAddress(servicePort), servicePort, routePort: VIP_PORT };
    });
  }

  /**
   * The hostname of the MeshService that Kuma syncs from another zone:
   * `<name>.<namespace>.svc.<zone>.mesh.local`, on the real Service port. Needs MeshServices
   * (`meshServices.mode` other than Disabled).
   *
   * @param zone the zone that runs the Service
   * @param port a Service port (default: its only TCP port)
   */
  public static meshService(service: IMeshService, zone: string, port?: number): MeshAddress {
    return new MeshAddress(MeshAddressKind.MESH_SERVICE, (scope) => {
      checkZoneName(scope, 'zone', zone);
      const servicePort = service.servicePort(port);
      return { hostname: service.meshLocalHostname(zone), servicePort, routePort: servicePort };
    });
  }

  /**
   * The hostname of a MeshMultiZoneService: `<name>.mzsvc.mesh.local`, on its port. Needs
   * MeshServices (`meshServices.mode` other than Disabled).
   *
   * @param port one of its ports (default: its only port)
   */
  public static meshMultiZoneService(service: IMeshMultiZoneService, port?: number): MeshAddress {
    return new MeshAddress(MeshAddressKind.MESH_MULTI_ZONE_SERVICE, () => {
      const servicePort = service.servicePort(port);
      return { hostname: `${service.name}.mzsvc.mesh.local`, servicePort, routePort: servicePort };
    });
  }

  // Sources: kumahq/kuma pkg/defaults/hostname_generator.go@v2.14.3 (local-mesh-external-service)
  /**
   * The hostname of a MeshExternalService: `<name>.extsvc.mesh.local`, on its port
   * (HostnameGenerator `local-mesh-external-service`).
   */
  public static meshExternalService(name: string, port: number): MeshAddress {
    return new MeshAddress(MeshAddressKind.MESH_EXTERNAL_SERVICE, (scope) => {
      checkServiceName(scope, 'name', name);
      return { hostname: `${name}.extsvc.mesh.local`, servicePort: port, routePort: port };
    });
  }

  private constructor(
    /** The addressing mode. */
    public readonly kind: MeshAddressKind,
    private readonly produce: (scope: IConstruct | string) => { hostname: string; servicePort: number; routePort: number }) {}

  /**
   * Resolves the address, checking names and ports. Every label of the hostname is a checked name
   * of at most 63 characters (service, namespace, zone), so the hostname stays within DNS's 253.
   *
   * @param scope the construct to name in errors
   */
  public resolve(scope: IConstruct): ResolvedMeshAddress {
    return this._resolve(scope);
  }

  /**
   * `resolve()` for a construct that does not exist yet, named by its path.
   *
   * @internal
   */
  public _resolve(scope: IConstruct | string): ResolvedMeshAddress {
    const { hostname, servicePort, routePort } = this.produce(scope);
    return { hostname, servicePort, routePort, kind: this.kind };
  }

  /**
   * Why the Kuma version cannot serve this address, if it cannot: the hostname comes from a kind
   * (MeshService, MeshMultiZoneService, MeshExternalService) and a HostnameGenerator, which must
   * both be served by the version's CRDs.
   *
   * @internal
   */
  public _unservedByVersion(version: KumaVersion): string | undefined {
    if (this.kind === MeshAddressKind.KUMA_SERVICE_VIP && !capabilitiesOf(version).meshVips) {
      return `Kuma ${version} removed .mesh VIPs (Kuma's UPGRADE.md for 3.0)`;
    }
    const kind = ADDRESS_KINDS[this.kind];
    if (kind === undefined) return undefined;
    const served = capabilitiesOf(version).servedKinds;
    const missing = [kind, 'HostnameGenerator'].filter((k) => !served.has(k));
    return missing.length === 0 ? undefined
      : `Kuma ${version}'s CRDs have no ${missing.join(' or ')} (${missing.map((k) => `${k}: ${versionsServing(k)}`).join('; ')})`;
  }

  /**
   * Why the mesh's services mode does not serve this kind of address, or undefined if it does.
   *
   * @internal
   */
  public _unservedBecause(mode: MeshServicesMode): string | undefined {
    if (this.kind === MeshAddressKind.KUMA_SERVICE_VIP && mode === MeshServicesMode.EXCLUSIVE) {
      return 'Kuma does not serve .mesh VIPs in meshServices.mode Exclusive (mesh_context_builder.go builds them only when the mode is not Exclusive)';
    }
    if ((this.kind === MeshAddressKind.MESH_SERVICE || this.kind === MeshAddressKind.MESH_MULTI_ZONE_SERVICE) && mode === MeshServicesMode.DISABLED) {
      return 'Kuma generates no MeshServices, and so no .mesh.local hostnames, in meshServices.mode Disabled';
    }
    return undefined;
  }
}
