import { ApiObject, Chart, ChartProps } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  DelegatedGatewayDeployment, ExternalTrafficPolicy, GatewayFlavour, GatewayPermissionTarget, KumaVersion, MeshNamespace, MeshService,
  ReachableBackend, ReachableService,
} from '../src';
import { useZoneControlPlane } from './clusters';

/** Properties of the ingress-nginx example. */
export interface IngressNginxChartProps extends ChartProps {
  /** The Service the gateway routes `/` to. */
  readonly upstream: MeshService;
}

/**
 * ingress-nginx built as a delegated gateway from scratch: the controller Deployment (the mesh
 * part of an install; RBAC and the admission webhook are left out), its public Service, and an
 * Ingress that tells ingress-nginx to send to the upstream's ClusterIP.
 */
export class IngressNginxChart extends Chart {
  public readonly controller: DelegatedGatewayDeployment;

  constructor(scope: Construct, id: string, props: IngressNginxChartProps) {
    super(scope, id, { ...props, disableResourceNameHashes: true });
    useZoneControlPlane(this, 'edge');
    const flavour = GatewayFlavour.ingressNginx();
    const kuma3 = KumaVersion.of(this).major >= 3;

    const namespace = new MeshNamespace(this, 'Namespace', { metadata: { name: 'ingress-nginx' } });
    this.controller = new DelegatedGatewayDeployment(this, 'Controller', {
      metadata: { name: 'ingress-nginx-controller' },
      namespace,
      flavour,
      podMetadata: { labels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
      serviceAccount: kplus.ServiceAccount.fromServiceAccountName(this, 'ServiceAccount', 'ingress-nginx'),
      containers: [{
        name: 'controller',
        image: 'registry.k8s.io/ingress-nginx/controller:v1.11.3',
        args: ['/nginx-ingress-controller', '--ingress-class=nginx', '--publish-service=ingress-nginx/ingress-nginx-controller'],
        ports: [{ number: 80, name: 'http' }, { number: 443, name: 'https' }],
        envVariables: {
          POD_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME),
          POD_NAMESPACE: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAMESPACE),
        },
        // As ingress-nginx's own chart runs it: user 101, allowed to bind ports 80 and 443.
        securityContext: {
          user: 101,
          group: 82,
          ensureNonRoot: true,
          allowPrivilegeEscalation: true,
          readOnlyRootFilesystem: false,
          capabilities: { add: [kplus.Capability.NET_BIND_SERVICE], drop: [kplus.Capability.ALL] },
        },
      }],
      // Only the shop's web Service: a small Envoy config for the gateway's sidecar (3.x lists
      // MeshServices: kuma.io/reachable-backends).
      ...kuma3
        ? { reachableBackends: [ReachableBackend.meshService(props.upstream)] }
        : { reachableServices: [ReachableService.fromMeshService(props.upstream)] },
    });
    this.controller.exposeViaProxyService({
      metadata: { name: 'ingress-nginx-controller' },
      externalTrafficPolicy: ExternalTrafficPolicy.LOCAL,
      ports: [{ port: 80, targetPort: 80, name: 'http' }, { port: 443, targetPort: 443, name: 'https' }],
    });

    this.controller.gateway.allowTo('AllowWeb', GatewayPermissionTarget.service(props.upstream), { name: 'ingress-nginx-to-web' });

    // the class the controller serves (--ingress-class=nginx): ingress-nginx 1.x ignores an
    // Ingress whose IngressClass does not exist (kubernetes/ingress-nginx deploy manifests ship it)
    new ApiObject(this, 'IngressClass', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: { name: 'nginx' },
      spec: { controller: 'k8s.io/ingress-nginx' },
    });
    const ingress = new kplus.Ingress(this, 'Ingress', {
      metadata: { name: 'shop-nginx', namespace: props.upstream.namespace },
      className: 'nginx',
    });
    ingress.addRule('/', kplus.IngressBackend.fromService(props.upstream));
    // ingress-nginx reads service-upstream from the Ingress.
    flavour.useServiceUpstream(ingress);
  }
}
