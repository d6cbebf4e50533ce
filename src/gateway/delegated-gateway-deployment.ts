import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { DelegatedGateway, DelegatedGatewayOptions } from './delegated-gateway';
import { GatewayFlavour } from './gateway-flavour';
import { GatewayProxyService, GatewayProxyServiceOptions } from './gateway-proxy-service';
import { capabilitiesOf } from '../kuma/_kuma-capabilities';
import { KumaVersion } from '../kuma/kuma-version';
import { KumaControlPlane } from '../mesh/kuma-control-plane';
import { applyNamespaceProp, withNamespace } from '../private/_metadata';
import { invalid } from '../private/_validation';

/**
 * Properties of a `DelegatedGatewayDeployment`: those of a cdk8s-plus `Deployment` and of a
 * delegated gateway.
 */
export interface DelegatedGatewayDeploymentProps extends kplus.DeploymentProps, DelegatedGatewayOptions {}

/**
 * A cdk8s-plus `Deployment` whose pods are a Kuma delegated gateway: the pod template carries the
 * labels `kuma.io/sidecar-injection: enabled` and `kuma.io/mesh`, the gateway marking of the target
 * version (Kuma 2.x: `kuma.io/gateway: enabled`; 3.x: its ports excluded from inbound redirection),
 * plus the sidecar settings given as props (see `DelegatedGateway`).
 *
 * Unlike a plain cdk8s-plus Deployment, it mounts the service-account token by default
 * (`automountServiceAccountToken: true`): the sidecar authenticates to the control plane with it.
 * Its containers run as non-root at container level, not at pod level: without Kuma CNI
 * (`KumaControlPlane.use({ cni })`), Kuma's `kuma-init` container runs as root and a pod-level
 * `runAsNonRoot: true` would keep the pod from starting.
 *
 * @example
 * const ns = new MeshNamespace(chart, 'Kong', { metadata: { name: 'kong' } });
 * new DelegatedGatewayDeployment(chart, 'Proxy', {
 *   namespace: ns,
 *   flavour: GatewayFlavour.kong(),
 *   containers: [{ image: 'kong:3.9', portNumber: 8000 }],
 * });
 */
export class DelegatedGatewayDeployment extends kplus.Deployment {
  /** The delegated gateway made of this Deployment's pods. */
  public readonly gateway: DelegatedGateway;
  private readonly flavour?: GatewayFlavour;

  constructor(scope: Construct, id: string, props: DelegatedGatewayDeploymentProps = {}) {
    const flavour = props.flavour ?? GatewayFlavour.generic();
    super(scope, id, {
      ...props,
      serviceAccount: props.serviceAccount,
      metadata: withNamespace(props.metadata, props.namespace),
      automountServiceAccountToken: props.automountServiceAccountToken ?? true,
      securityContext: podSecurityContext(scope, id, props.securityContext),
      // what the product needs to start where cdk8s-plus's defaults differ (GatewayFlavour)
      containers: props.containers?.map((c) => flavour._containerProps(c)),
    });
    this.flavour = flavour;
    if (props.serviceAccount === undefined) this.useOwnServiceAccount();
    for (const container of this.containers) flavour._mountWritableDirs(this, container);
    applyNamespaceProp(this, this.apiObject, props.metadata, props.namespace);
    this.gateway = new DelegatedGateway(this, 'DelegatedGateway', { ...props, workload: this });
  }

  /**
   * Kuma 3.x lets a client in by its SPIFFE ID, `.../ns/<namespace>/sa/<service account>`
   * (kumahq/kuma master 348b6528bc pkg/core/resources/apis/meshidentity/api/v1alpha1/helpers.go): a
   * gateway under the namespace's `default` account would share its identity with every pod of the
   * namespace that has no account of its own, and a permission for the gateway would let them all
   * in. A gateway given no account gets its own, named as the Deployment (given or generated), and
   * written before it.
   */
  private useOwnServiceAccount(): void {
    if (!capabilitiesOf(KumaVersion.of(this)).permissionRules) return;
    const account = new kplus.ServiceAccount(this, 'ServiceAccount', {
      metadata: { name: this.name, ...this.metadata.namespace === undefined ? {} : { namespace: this.metadata.namespace } },
    });
    // cdk8s-plus reads the field when it writes the pod spec (AbstractPod._toPodSpec), after this
    (this as { serviceAccount?: kplus.IServiceAccount }).serviceAccount = account;
    this.apiObject.node.addDependency(account);
  }

  /** Adds a container, with what the gateway's flavour needs to start (see `GatewayFlavour`). */
  public addContainer(container: kplus.ContainerProps): kplus.Container {
    // cdk8s-plus's constructor adds props.containers (already prepared) before this class's fields exist
    if (this.flavour === undefined) return super.addContainer(container);
    const added = super.addContainer(this.flavour._containerProps(container));
    this.flavour._mountWritableDirs(this, added);
    return added;
  }

  /**
   * Creates the Service that receives outside traffic for these pods, in their namespace.
   */
  public exposeViaProxyService(options: GatewayProxyServiceOptions = {}): GatewayProxyService {
    const service = new GatewayProxyService(this, 'ProxyService', {
      ...options,
      metadata: { ...options.metadata, namespace: options.metadata?.namespace ?? this.metadata.namespace },
      selector: this,
    });
    // Kuma 3.x: outside traffic reaches the gateway directly, so its proxy Service is no mesh destination.
    this.gateway._ownService(service, service.name);
    return service;
  }

  /** The mesh the gateway pods join. */
  public get mesh(): string {
    return this.gateway.mesh;
  }
}

/**
 * The pod security context of a gateway: cdk8s-plus's, with `runAsNonRoot` left to the containers
 * unless Kuma CNI replaces `kuma-init`. Kuma's injector adds `kuma-init` with `runAsUser: 0` and no
 * `runAsNonRoot` of its own (kumahq/kuma v2.14.3
 * `pkg/plugins/runtime/k8s/webhooks/injector/testdata/inject.*.golden.yaml`), so a pod-level
 * `runAsNonRoot: true` makes the kubelet refuse it ("container's runAsUser breaks non-root policy").
 */
function podSecurityContext(scope: Construct, id: string, given: kplus.PodSecurityContextProps | undefined): kplus.PodSecurityContextProps {
  const control = KumaControlPlane.of(scope);
  if (control.cni) return { ...given };
  if (given?.ensureNonRoot === true) {
    throw invalid([scope.node.path, id].filter((p) => p !== '').join('/'), 'securityContext.ensureNonRoot', true,
      `makes the pod runAsNonRoot, but without Kuma CNI (${control}) Kuma's injector adds the kuma-init container as runAsUser 0, which the kubelet then refuses to start ("container's runAsUser breaks non-root policy")`,
      'Remove it: the containers stay non-root through their own securityContext (cdk8s-plus\'s default), or say the control plane runs Kuma CNI with KumaControlPlane.use(app, { cni: true }).');
  }
  return { ...given, ensureNonRoot: false };
}

