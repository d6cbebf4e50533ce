import { IConstruct } from 'constructs';
import { checkZoneName, invalid } from '../private/_validation';

/** The name of the MeshService port for a Service port: its name, or its number. */
export function meshServicePortName(port: { name?: string; port: number }): string {
  return port.name === undefined || port.name === '' ? String(port.port) : port.name;
}

/** `util.ServiceTag`: `<name>_<namespace>_svc_<port>`, the Service *port* (not targetPort). */
/** A Kubernetes Service's `kuma.io/service` value, `<name>_<namespace>_svc_<port>`, in its parts (1, 3, 5). */
export const KUMA_SERVICE_TAG = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)_([a-z0-9]([-a-z0-9]*[a-z0-9])?)_svc_([0-9]+)$/;

export function kumaServiceTag(name: string, namespace: string, port: number): string {
  return `${name}_${namespace}_svc_${port}`;
}

// Sources: kumahq/kuma@v2.14.3 pkg/plugins/runtime/k8s/util/util.go (ServiceTag); pkg/xds/topology/dns.go (VIPOutbounds);
// pkg/defaults/hostname_generator.go
/**
 * The names Kuma gives a Kubernetes Service, in one place.
 */
export class ServiceAddresses {
  constructor(
    private readonly scope: IConstruct,
    private readonly name: string,
    private readonly namespace: string | undefined,
    private readonly tcpPorts: number[],
    private readonly portNames: ReadonlyMap<number, string> = new Map()) {}

  /**
   * The name of a port of the MeshService Kuma generates from this Service, which `sectionName`
   * matches: the Service port's name, or its number when it has none (Kuma's MeshService controller
   * fixtures controllers/testdata/meshservice/01 and 02, 2.14 and 3.0-dev).
   */
  public meshServicePortName(port?: number): string {
    const p = this.resolvePort(port);
    return meshServicePortName({ name: this.portNames.get(p), port: p });
  }

  /** `util.ServiceTag`: `<name>_<namespace>_svc_<port>`, the Service *port* (not targetPort). */
  public kumaService(port?: number): string {
    return kumaServiceTag(this.name, this.requireNamespace(), this.resolvePort(port));
  }

  /** `VIPOutbounds`: the `kuma.io/service` name with `_` replaced by `.`, plus `.mesh`. */
  public meshAddress(port?: number): string {
    return `${this.name}.${this.requireNamespace()}.svc.${this.resolvePort(port)}.mesh`;
  }

  /** HostnameGenerator `synced-kube-mesh-service`: `<name>.<namespace>.svc.<zone>.mesh.local`. */
  public meshLocalHostname(zone: string): string {
    checkZoneName(this.scope, 'zone', zone);
    return `${this.name}.${this.requireNamespace()}.svc.${zone}.mesh.local`;
  }

  private requireNamespace(): string {
    if (this.namespace === undefined) {
      throw invalid(this.scope, 'metadata.namespace', undefined,
        'is not set, and Kuma\'s names for a Service contain its namespace',
        'Set metadata.namespace on the Service or a namespace on its Chart.');
    }
    return this.namespace;
  }

  /** A TCP port of the Service: the given one if the Service has it, else its only one. */
  public resolvePort(port: number | undefined): number {
    if (port === undefined) {
      if (this.tcpPorts.length !== 1) {
        throw invalid(this.scope, 'port', undefined,
          this.tcpPorts.length === 0 ? 'cannot be chosen: the Service has no TCP port yet' : `is ambiguous: the Service has the TCP ports ${this.tcpPorts.join(', ')}`,
          'Pass the Service port to name.');
      }
      return this.tcpPorts[0];
    }
    if (!this.tcpPorts.includes(port)) {
      throw invalid(this.scope, 'port', port,
        `is not a TCP port of the Service (its TCP ports: ${this.tcpPorts.join(', ') || 'none'}), so Kuma has no service for it`,
        'Pass one of the Service ports (the port field, not targetPort).');
    }
    return port;
  }
}
