import * as kplus from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { IMeshNamespace } from './mesh-namespace';
import { ServiceUpstream } from './service-upstream';
import { ServiceAddresses } from '../kuma/_addresses';
import { checkNoOwnedLabels } from '../kuma/_owned-labels';
import { checkKumaProtocol } from '../kuma/_protocol-check';
import { protocolTagFor } from '../kuma/_protocol-tag';
import { addValidationOncePerSynth } from '../kuma/_synth-session';
import { KumaProtocol } from '../kuma/kuma-protocol';
import { KumaLabel } from '../kuma/well-known';
import { applyNamespaceProp, metadataView, withNamespace } from '../private/_metadata';
import { register } from '../private/_registry';
import { nameLabelsOf, policyLabels } from '../private/_stable-labels';
import { checkDns1123Label, checkMeshName, checkPort, checkServiceName, invalid, invalidMessage, resolveLabel } from '../private/_validation';

/**
 * A Service that a delegated gateway can route to, and the names Kuma gives it.
 */
export interface IMeshService extends IConstruct {
  /** The Service name. */
  readonly name: string;

  /**
   * The Service namespace.
   *
   * @default - not known: the Service takes the namespace of `kubectl`'s context, and the
   *            address methods throw
   */
  readonly namespace?: string;

  /**
   * The pod labels the Service selects: what policies target its workload by (`Dataplane` labels,
   * `MeshSubset` tags).
   *
   * @default - not known
   */
  readonly selectorLabels?: { [key: string]: string };

  /**
   * One TCP port of the Service: `port` if the Service declares it (else an error), or the
   * Service's only TCP port.
   *
   * @param port a TCP Service port (not the targetPort)
   * @default - the Service's only TCP port
   */
  servicePort(port?: number): number;

  // Sources: kumahq/kuma pkg/plugins/runtime/k8s/util/util.go@v2.14.3 (ServiceTag)
  /**
   * The `kuma.io/service` tag of one Service port: `<name>_<namespace>_svc_<port>`, used in
   * `kuma.io/transparent-proxying-reachable-services` and legacy policies.
   *
   * @param port a TCP Service port (not the targetPort)
   * @default - the Service's only TCP port
   */
  kumaService(port?: number): string;

  // Sources: kumahq/kuma@v2.14.3 pkg/xds/topology/dns.go (VIPOutbounds); pkg/config/app/kuma-cp/kuma-cp.defaults.yaml (serviceVipPort: 80);
  // pkg/xds/context/mesh_context_builder.go (not served when Exclusive)
  /**
   * The `.mesh` address of one Service port: `<name>.<namespace>.svc.<port>.mesh`. It listens on
   * port 80 only, whatever the Service port, and is not served when the Mesh runs
   * `meshServices.mode: Exclusive`.
   *
   * @param port a TCP Service port (not the targetPort)
   * @default - the Service's only TCP port
   */
  meshAddress(port?: number): string;

  // Sources: kumahq/kuma@v2.14.3 pkg/defaults/hostname_generator.go (synced-kube-mesh-service);
  // pkg/core/resources/apis/meshservice/api/v1alpha1/helpers.go (AsOutbounds)
  /**
   * The hostname Kuma generates for this Service's MeshService as seen from other zones:
   * `<name>.<namespace>.svc.<zone>.mesh.local`, reached on the real Service port
   * (HostnameGenerator `synced-kube-mesh-service`).
   *
   * @param zone the name of the zone that runs the Service
   */
  meshLocalHostname(zone: string): string;

  /**
   * The name of one port of the MeshService Kuma generates from this Service: the Service port's
   * name, or its number when it has none. Policies select the port by it (`sectionName`).
   *
   * @param port the Service port (default: its only TCP port)
   */
  meshServicePortName(port?: number): string;
}

/**
 * One port of a `MeshService`.
 */
export interface MeshServicePort extends kplus.ServicePort {
  // Sources: kumahq/kuma pkg/plugins/runtime/k8s/controllers/inbound_converter.go@v2.14.3 (ProtocolTagFor);
  // https://kuma.io/docs/2.14.x/policies/protocol-support-in-kuma/
  /**
   * The protocol Kuma uses for this port, written to `appProtocol` (which takes precedence over
   * the deprecated `<port>.service.kuma.io/protocol` annotation).
   *
   * @default - no appProtocol: Kuma treats the port as `tcp`
   */
  readonly appProtocol?: KumaProtocol;
}

/**
 * What is known of a Service managed outside this app.
 */
export interface MeshServiceAttributes {
  /** The Service name. */
  readonly name: string;
  /** The Service namespace. */
  readonly namespace: string;
  /** The Service's TCP ports (the `port` field, not targetPort). */
  readonly ports: number[];

  /**
   * The names of the Service's named ports, by name, for example `{ http: 80 }`: Kuma names each
   * port of the MeshService it generates after them (a port without a name is named by its number).
   *
   * @default - no port has a name
   */
  readonly namedPorts?: { [name: string]: number };

  /**
   * The pod labels the Service selects.
   *
   * @default - not known: policies that target the workload cannot be made for it
   */
  readonly selectorLabels?: { [key: string]: string };
}

/**
 * Properties of a `MeshService`.
 */
export interface MeshServiceProps extends kplus.ResourceProps {
  /**
   * The namespace of the Service. Sets `metadata.namespace` and, for a `MeshNamespace` of this
   * app, orders the Namespace before the Service in the output.
   *
   * @default - `metadata.namespace`, or the Chart's namespace
   */
  readonly namespace?: IMeshNamespace;

  /**
   * The pods the Service routes to: a cdk8s-plus workload or `kplus.Pods.select(...)`.
   *
   * @default - no selector from a workload (see `selectorLabels`)
   */
  readonly selector?: kplus.IPodSelector;

  /**
   * Pod labels the Service selects, added to those of `selector`.
   *
   * @default - none
   */
  readonly selectorLabels?: { [key: string]: string };

  /**
   * The Service ports. More can be added with `addPort()`.
   *
   * @default - none; at least one is required by synth time
   */
  readonly ports?: MeshServicePort[];

  // Sources: kumahq/kuma@v2.14.3 pkg/plugins/runtime/k8s/controllers/inbound_converter.go (no inbounds for ExternalName);
  // pkg/plugins/runtime/k8s/controllers/service_controller.go (skips ExternalName)
  /**
   * How the Service is exposed. `ExternalName` is refused: Kuma builds no inbounds for it and
   * never annotates it.
   *
   * @default kplus.ServiceType.CLUSTER_IP
   */
  readonly type?: kplus.ServiceType;

  /**
   * The ClusterIP, or "None" for a headless Service (Kuma then tags each pod with
   * `kuma.io/instance`).
   *
   * @default - assigned by Kubernetes
   */
  readonly clusterIP?: string;

  /**
   * External IPs for which nodes also accept traffic for this Service.
   *
   * @default - none
   */
  readonly externalIPs?: string[];

  /**
   * Client CIDRs a cloud load balancer accepts.
   *
   * @default - no restriction
   */
  readonly loadBalancerSourceRanges?: string[];

  /**
   * Publish the addresses of pods that are not ready.
   *
   * @default false
   */
  readonly publishNotReadyAddresses?: boolean;

  // Sources: kumahq/kuma pkg/plugins/runtime/k8s/controllers/meshservice_controller.go@v2.14.3
  /**
   * The mesh of the Service, written as the Service *label* `kuma.io/mesh`. Kuma generates a
   * MeshService for a Service only if it carries this label or its namespace is labelled
   * `kuma.io/sidecar-injection=enabled`, so set it for Services in namespaces
   * that inject per workload.
   *
   * @default - no label: Kuma takes the mesh from the namespace
   */
  readonly mesh?: string;
}

/**
 * A Service for a meshed workload that a delegated gateway can route to.
 *
 * It carries `ingress.kubernetes.io/service-upstream: "true"` and
 * `nginx.ingress.kubernetes.io/service-upstream: "true"` whatever the namespace labels, Kuma's
 * protocol per port in `appProtocol`, and knows the names Kuma gives it. It is a cdk8s-plus
 * `Service`, so `IngressBackend.fromService()` and `exposeViaIngress()` work as usual.
 *
 * @example
 * const web = new kplus.Deployment(chart, 'Web', { containers: [{ image: 'web', portNumber: 8080 }] });
 * const svc = new MeshService(chart, 'WebService', {
 *   selector: web,
 *   ports: [{ port: 80, targetPort: 8080, appProtocol: KumaProtocol.HTTP }],
 * });
 * svc.meshAddress(); // web-service.<namespace>.svc.80.mesh
 */
export class MeshService extends kplus.Service implements IMeshService {
  /**
   * Refers to a Service managed elsewhere, for its Kuma names.
   */
  public static fromServiceAttributes(scope: Construct, id: string, attrs: MeshServiceAttributes): IMeshService {
    return new ImportedMeshService(scope, id, attrs);
  }

  /**
   * The mesh written to the `kuma.io/mesh` label.
   *
   * @default - no label
   */
  public readonly mesh?: string;

  private readonly appProtocols = new Map<number, KumaProtocol>();
  private readonly selected: Record<string, string> = {};
  private readonly selectedWorkloads: kplus.AbstractPod[] = [];

  constructor(scope: Construct, id: string, props: MeshServiceProps = {}) {
    // Kuma copies the Service's labels onto its MeshService, which the control plane labels
    checkNoOwnedLabels([scope.node.path, id].filter((p) => p !== '').join('/'), 'metadata.labels', props.metadata?.labels);
    super(scope, id, {
      metadata: withNamespace(props.metadata, props.namespace),
      // the selector is applied below, once this class's fields exist
      type: props.type,
      clusterIP: props.clusterIP,
      externalIPs: props.externalIPs,
      loadBalancerSourceRanges: props.loadBalancerSourceRanges,
      publishNotReadyAddresses: props.publishNotReadyAddresses,
    });

    if (this.type === kplus.ServiceType.EXTERNAL_NAME) {
      throw invalid(this, 'type', this.type, 'is not a meshed Service: Kuma builds no inbounds for ExternalName Services and never annotates them',
        'Use CLUSTER_IP, NODE_PORT or LOAD_BALANCER; for a name in another zone use the .mesh address.');
    }
    applyNamespaceProp(this, this.apiObject, props.metadata, props.namespace);
    checkServiceName(this, 'metadata.name', this.name);
    register(this, 'MeshService', `${this.metadata.namespace}/${this.name}`, this);
    if (this.metadata.namespace !== undefined) checkDns1123Label(this, 'metadata.namespace', this.metadata.namespace);

    this.mesh = resolveLabel(this, 'mesh', props.mesh, KumaLabel.MESH, props.metadata?.labels?.[KumaLabel.MESH]);
    if (this.mesh !== undefined) {
      checkMeshName(this, 'mesh', this.mesh);
      this.metadata.addLabel(KumaLabel.MESH, this.mesh);
    }

    if (props.selector !== undefined) this.select(props.selector);
    for (const [key, value] of Object.entries(props.selectorLabels ?? {})) {
      this.selectLabel(key, value);
    }
    for (const port of props.ports ?? []) {
      this.addPort(port);
    }

    ServiceUpstream.annotate(this);
    addValidationOncePerSynth(this, () => this.validatePorts());
  }

  /** The pod labels the Service selects (a copy; use `select()` or `selectLabel()` to add). */
  public get selectorLabels(): { [key: string]: string } | undefined {
    return { ...this.selected };
  }

  /** Selects the pods of a workload or `kplus.Pods.select(...)` (cdk8s-plus API). */
  public select(selector: kplus.IPodSelector): void {
    super.select(selector);
    Object.assign(this.selected, selector.toPodSelectorConfig().labelSelector._toKube().matchLabels ?? {});
    // fields are not there yet when cdk8s-plus's constructor selects
    if (selector instanceof kplus.AbstractPod || selector instanceof kplus.Workload) this.selectedWorkloads?.push(selector as kplus.AbstractPod);
  }

  /**
   * The labels policies select this Service's workload by: its selector, with cdk8s's address
   * label replaced by the workload's own stable labels where the pods carry them.
   *
   * @internal
   */
  public _policyLabels(scope: IConstruct): Record<string, string> {
    return policyLabels(scope, `The workload of Service ${this.node.path}`, { ...this.selected },
      nameLabelsOf(this.selectedWorkloads.map((w) => w.podMetadata)));
  }

  /** Selects pods with this label (cdk8s-plus API). */
  public selectLabel(key: string, value: string): void {
    super.selectLabel(key, value);
    this.selected[key] = value;
  }

  /**
   * The Service namespace: `metadata.namespace`, or the Chart's namespace.
   */
  public get namespace(): string | undefined {
    return this.metadata.namespace;
  }

  /**
   * Adds a Service port, with Kuma's protocol for it.
   */
  public addPort(port: MeshServicePort): void {
    const field = `ports[${this.ports.length}]`;
    if (port.appProtocol !== undefined) {
      checkKumaProtocol(this, `${field}.appProtocol`, port.appProtocol);
      if (port.protocol !== undefined && port.protocol !== kplus.Protocol.TCP) {
        throw invalid(this, `${field}.protocol`, port.protocol, 'cannot carry an appProtocol: Kuma only meshes TCP Service ports',
          'Remove appProtocol or use Protocol.TCP.');
      }
    }
    this.bind(port.port, port);
    if (port.appProtocol !== undefined) this.appProtocols.set(port.port, port.appProtocol);
  }

  /**
   * The protocol Kuma takes for a port of this Service, as its `ProtocolTagFor` reads it: the
   * appProtocol, else the `<port>.service.kuma.io/protocol` annotation, else tcp.
   *
   * @internal
   */
  public _kumaProtocolOf(port: number): string {
    return protocolTagFor({ metadata: { annotations: this.metadata.toJson().annotations } }, { port, appProtocol: this.appProtocols.get(port) });
  }

  /**
   * Binds a Service port (cdk8s-plus API), checking it as `addPort()` does.
   */
  public bind(port: number, options: kplus.ServiceBindOptions = {}): void {
    const field = `ports[${this.ports.length}]`;
    checkPort(this, `${field}.port`, port);
    if (options.targetPort !== undefined) checkPort(this, `${field}.targetPort`, options.targetPort);
    if (options.nodePort !== undefined) checkPort(this, `${field}.nodePort`, options.nodePort);
    if (options.name !== undefined) checkDns1123Label(this, `${field}.name`, options.name);
    const protocol = options.protocol ?? kplus.Protocol.TCP;
    for (const existing of this.ports) {
      if (existing.port === port && (existing.protocol ?? kplus.Protocol.TCP) === protocol) {
        throw invalid(this, `${field}.port`, port, `is already a ${protocol} port of this Service`, 'Use each port number once per protocol.');
      }
      if (options.name !== undefined && existing.name === options.name) {
        throw invalid(this, `${field}.name`, options.name, 'is already the name of another port of this Service', 'Give each port its own name.');
      }
    }
    super.bind(port, options);
  }

  public servicePort(port?: number): number {
    return this.addresses().resolvePort(port);
  }

  public kumaService(port?: number): string {
    return this.addresses().kumaService(port);
  }

  public meshAddress(port?: number): string {
    return this.addresses().meshAddress(port);
  }

  public meshLocalHostname(zone: string): string {
    return this.addresses().meshLocalHostname(zone);
  }

  public meshServicePortName(port?: number): string {
    return this.addresses().meshServicePortName(port);
  }

  /**
   * The backend of a raw networking.k8s.io/v1 Ingress rule, `{ service: { name, port: { number } } }`:
   * for an Ingress that is not a cdk8s-plus-28 one (a cdk8s-plus-33 `Ingress` takes it through
   * `ApiObject.of(ingress).addJsonPatch(...)`), where `kplus.IngressBackend.fromService` cannot take
   * this Service.
   *
   * @param port the Service port the route uses (see `servicePort`)
   * @default - the Service's only port
   */
  public toIngressBackendJson(port?: number): any {
    return { service: { name: this.name, port: { number: this.servicePort(port) } } };
  }

  /**
   * The Service spec, with Kuma's protocol in `appProtocol`.
   *
   * @internal
   */
  public _toKube(): ReturnType<kplus.Service['_toKube']> {
    const spec = super._toKube();
    return {
      ...spec,
      ports: spec.ports?.map((p) => ({ ...p, appProtocol: this.appProtocols.get(p.port) })),
    };
  }

  /**
   * The fields of this Service that `MeshAnalysis` reads, without serializing the whole object
   * (big apps analyze thousands of Services at every synth).
   *
   * @internal
   */
  public _analysisManifest(): any {
    return {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: metadataView(this.apiObject),
      spec: {
        type: this.type,
        selector: { ...this.selected },
        ports: this.ports.map((p) => ({
          name: p.name, port: p.port, targetPort: p.targetPort, protocol: p.protocol, appProtocol: this.appProtocols.get(p.port),
        })),
      },
    };
  }

  private addresses(): ServiceAddresses {
    const tcp = this.ports.filter((p) => (p.protocol ?? kplus.Protocol.TCP) === kplus.Protocol.TCP);
    const names = new Map(tcp.filter((p) => p.name !== undefined).map((p) => [p.port, p.name!]));
    return new ServiceAddresses(this, this.name, this.namespace, tcp.map((p) => p.port), names);
  }

  private validatePorts(): string[] {
    const ports = this.ports;
    if (ports.length === 0) {
      return [invalidMessage('ports', [], 'is empty; Kuma builds one inbound per Service port and the gateway needs one to route to',
        'Pass ports or call addPort().')];
    }
    if (ports.length > 1) {
      const unnamed = ports.filter((p) => p.name === undefined).map((p) => p.port);
      if (unnamed.length > 0) {
        return [invalidMessage('ports[].name', unnamed,
          'are unnamed, but Kubernetes requires a name on every port of a Service with more than one',
          'Give each port a name, for example "http".')];
      }
    }
    return [];
  }
}

class ImportedMeshService extends Construct implements IMeshService {
  public readonly name: string;
  public readonly namespace: string;
  public readonly selectorLabels?: { [key: string]: string };
  private readonly addresses: ServiceAddresses;
  private readonly ports: { port: number; name?: string }[];

  constructor(scope: Construct, id: string, attrs: MeshServiceAttributes) {
    super(scope, id);
    checkServiceName(this, 'name', attrs.name);
    checkDns1123Label(this, 'namespace', attrs.namespace);
    attrs.ports.forEach((p, i) => checkPort(this, `ports[${i}]`, p));
    this.name = attrs.name;
    this.namespace = attrs.namespace;
    this.selectorLabels = attrs.selectorLabels === undefined ? undefined : { ...attrs.selectorLabels };
    const names = new Map<number, string>();
    for (const [name, port] of Object.entries(attrs.namedPorts ?? {})) {
      checkDns1123Label(this, `namedPorts["${name}"]`, name);
      if (!attrs.ports.includes(port)) {
        throw invalid(this, `namedPorts["${name}"]`, port, `is not one of the ports (${attrs.ports.join(', ')})`, 'Name only ports listed in ports.');
      }
      if (names.has(port)) throw invalid(this, `namedPorts["${name}"]`, port, 'has a name already', 'Give each port one name.');
      names.set(port, name);
    }
    this.addresses = new ServiceAddresses(this, attrs.name, attrs.namespace, [...attrs.ports], names);
    this.ports = attrs.ports.map((port) => ({ port, ...names.has(port) ? { name: names.get(port) } : {} }));
    register(this, 'MeshService', `${attrs.namespace}/${attrs.name}`, this);
  }

  /**
   * The Service as far as its attributes tell (a ClusterIP Service: an imported one is a
   * MeshService), for what reads the app's Services at synth (a gateway's reachable backends).
   *
   * @internal
   */
  public _routeManifest(): any {
    return {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: this.name, namespace: this.namespace },
      spec: { ports: this.ports.map((p) => ({ ...p })), ...this.selectorLabels === undefined ? {} : { selector: { ...this.selectorLabels } } },
    };
  }

  public servicePort(port?: number): number {
    return this.addresses.resolvePort(port);
  }

  public kumaService(port?: number): string {
    return this.addresses.kumaService(port);
  }

  public meshAddress(port?: number): string {
    return this.addresses.meshAddress(port);
  }

  public meshLocalHostname(zone: string): string {
    return this.addresses.meshLocalHostname(zone);
  }

  public meshServicePortName(port?: number): string {
    return this.addresses.meshServicePortName(port);
  }
}
