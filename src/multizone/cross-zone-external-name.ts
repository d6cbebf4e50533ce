import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { MeshAddress, MeshAddressKind } from './mesh-address';
import { checkNameForVersion } from '../kuma/_kuma-capabilities';
import { addValidationOncePerSynth } from '../kuma/_synth-session';
import { KumaVersion } from '../kuma/kuma-version';
import { meshServicesModeOf } from '../mesh/_mesh-mode';
import { IMesh } from '../mesh/mesh';
import { IMeshNamespace } from '../mesh/mesh-namespace';
import { applyNamespaceProp, metadataView, withNamespace } from '../private/_metadata';
import { register } from '../private/_registry';
import { checkPort, checkServiceName, invalid, invalidMessage } from '../private/_validation';
import { warn } from '../private/_warnings';

/**
 * Properties of a `CrossZoneExternalName`.
 */
export interface CrossZoneExternalNameProps extends kplus.ResourceProps {
  /** The mesh address the Service points at, in an explicit addressing mode. */
  readonly target: MeshAddress;

  /**
   * The namespace of the Service: the namespace of the Ingress or route that uses it.
   *
   * @default - `metadata.namespace`, or the Chart's namespace
   */
  readonly namespace?: IMeshNamespace;

  /**
   * The mesh the address belongs to, for its services mode: an address the mode does not serve is
   * refused at synth.
   *
   * @default - the `Mesh` of this app named "default"; if there is none, the mode is not checked
   *            and synth prints a warning
   */
  readonly mesh?: IMesh;
}

/** A Gateway API `backendRefs` item (gateway.networking.k8s.io/v1 HTTPBackendRef). */
export interface HttpRouteBackendRef {
  /** The API group of the referent: "" for the core group. */
  readonly group: string;
  /** The kind of the referent. */
  readonly kind: string;
  /** The Service name. */
  readonly name: string;
  /**
   * The Service namespace.
   *
   * @default - the route's namespace
   */
  readonly namespace?: string;
  /** The Service port the route must use. */
  readonly port: number;
}

// Sources: https://kuma.io/docs/2.5.x/explore/gateway/ ("Example Gateway in Multi-Zone");
// https://kuma.io/docs/2.14.x/using-mesh/managing-ingress-traffic/delegated/
/**
 * A Service of type ExternalName that points a gateway at a mesh address, for traffic to other
 * zones: "create a Service of type ExternalName that points to that URL" (the seed). It has no
 * ports, no selector and no annotations, as in Kuma's own recipe, and it
 * tells routes which port to use: 80 for `.mesh` VIPs, the real port for `.mesh.local` names.
 *
 * @example
 * const web = MeshService.fromServiceAttributes(chart, 'Web', { name: 'web', namespace: 'shop', ports: [8080] });
 * const name = new CrossZoneExternalName(chart, 'WebEu', { target: MeshAddress.kumaServiceVip(web) });
 * ingress.addRule('/', name.toIngressBackend()); // port 80
 */
export class CrossZoneExternalName extends kplus.Service {
  /** The hostname the Service points at. */
  public readonly hostname: string;
  /** The port routes must use with this Service. */
  public readonly routePort: number;
  /** The port of the service behind the address. */
  public readonly targetServicePort: number;
  /** The addressing mode. */
  public readonly addressKind: MeshAddressKind;

  private readonly target: MeshAddress;
  private readonly meshRef?: IMesh;

  constructor(scope: Construct, id: string, props: CrossZoneExternalNameProps) {
    const resolved = props.target._resolve(`${scope.node.path}/${id}`);
    super(scope, id, { metadata: withNamespace(props.metadata, props.namespace), externalName: resolved.hostname });
    applyNamespaceProp(this, this.apiObject, props.metadata, props.namespace);
    checkServiceName(this, 'metadata.name', this.name);
    this.hostname = resolved.hostname;
    this.routePort = resolved.routePort;
    this.targetServicePort = resolved.servicePort;
    this.addressKind = resolved.kind;
    // Kuma 3.x: the zone of a MeshService hostname `<name>.<ns>.svc.<zone>.mesh.local` must be an
    // RFC 1035 label (MeshService and MeshExternalService names already are: checkServiceName).
    if (resolved.kind === MeshAddressKind.MESH_SERVICE) checkNameForVersion(this, 'zone', resolved.hostname.split('.')[3], 'Zone');
    this.target = props.target;
    this.meshRef = props.mesh;
    // cdk8s-plus emits no ports for an ExternalName Service; the bound port only tells
    // IngressBackend.fromService() which port routes use.
    super.bind(this.routePort);
    addValidationOncePerSynth(this, () => this.validateMeshMode());
    register(this, 'CrossZoneExternalName', `${this.metadata.namespace}/${this.name}`, this);
  }

  /**
   * Refuses a port on an ExternalName Service: it would not be emitted, and routes must use
   * `routePort`.
   */
  public bind(port: number, _options: kplus.ServiceBindOptions = {}): void {
    throw invalid(this, 'port', port, `cannot be bound to an ExternalName Service; routes reach ${this.hostname} on port ${this.routePort}`,
      'Use routePort, toIngressBackend() or toHttpRouteBackendRef().');
  }

  /**
   * A cdk8s-plus Ingress backend for this Service.
   *
   * @param port the port the route uses; anything but `routePort` is refused
   * @default - routePort
   */
  public toIngressBackend(port?: number): kplus.IngressBackend {
    return kplus.IngressBackend.fromService(this, { port: this.checkRoutePort(port) });
  }

  /**
   * The backend of a raw networking.k8s.io/v1 Ingress rule: `{ service: { name, port: { number } } }`.
   *
   * @param port the port the route uses; anything but `routePort` is refused
   * @default - routePort
   */
  public toIngressBackendJson(port?: number): any {
    return { service: { name: this.name, port: { number: this.checkRoutePort(port) } } };
  }

  /**
   * A Gateway API HTTPRoute `backendRefs` item for this Service.
   *
   * @param port the port the route uses; anything but `routePort` is refused
   * @default - routePort
   */
  public toHttpRouteBackendRef(port?: number): HttpRouteBackendRef {
    return { group: '', kind: 'Service', name: this.name, namespace: this.metadata.namespace, port: this.checkRoutePort(port) };
  }

  /**
   * The fields `MeshAnalysis` reads, without serializing the whole object.
   *
   * @internal
   */
  public _analysisManifest(): any {
    return { apiVersion: 'v1', kind: 'Service', metadata: metadataView(this.apiObject), spec: { type: 'ExternalName', externalName: this.hostname } };
  }

  /** The port a route must use, refusing any other. */
  private checkRoutePort(port: number | undefined): number {
    if (port === undefined) return this.routePort;
    checkPort(this, 'port', port);
    if (port !== this.routePort) {
      const why = this.addressKind === MeshAddressKind.KUMA_SERVICE_VIP
        ? `.mesh VIPs listen on port ${this.routePort} only, whatever the service port`
        : `${this.hostname} is reached on the service's own port ${this.routePort}`;
      throw invalid(this, 'port', port, `is not the port routes to this ExternalName must use: ${why}`, `Use port ${this.routePort} (routePort).`);
    }
    return port;
  }

  private validateMeshMode(): string[] {
    const version = KumaVersion.of(this);
    const unserved = this.target._unservedByVersion(version);
    if (unserved !== undefined) {
      return [invalidMessage('target', this.hostname, `is not served by Kuma ${version}: ${unserved}`,
        this.addressKind === MeshAddressKind.KUMA_SERVICE_VIP
          ? 'Use MeshAddress.meshService() or meshMultiZoneService() (the service\'s real port).'
          : 'Target a Kuma version that has it (KumaVersion.use()), or use MeshAddress.kumaServiceVip().')];
    }
    const mesh = meshServicesModeOf(this, this.meshRef, 'default');
    if (mesh.mode === undefined) {
      warn(this, `the meshServices.mode of mesh ${JSON.stringify(mesh.name)} is not known, so it is not checked that it serves ${this.hostname}; declare the Mesh or pass Mesh.fromMeshAttributes() as mesh`);
      return [];
    }
    const reason = this.target._unservedBecause(mesh.mode);
    return reason === undefined ? [] : [invalidMessage('target', this.hostname,
      `is not served by mesh ${JSON.stringify(mesh.name)}: ${reason}`,
      this.addressKind === MeshAddressKind.KUMA_SERVICE_VIP
        ? 'Use MeshAddress.meshService() or meshMultiZoneService() (real port), or another meshServices.mode.'
        : 'Use MeshAddress.kumaServiceVip(), or enable MeshServices in the Mesh.')];
  }
}
