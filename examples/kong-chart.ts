import * as path from 'path';
import { ApiObject, Chart, ChartProps, Duration, Include, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { DelegatedGateway, GatewayFlavour, GatewayPermissionTarget, KongIngressClass, KumaVersion, MeshNamespace, MeshService, RetryOn } from '../src';
import { useZoneControlPlane } from './clusters';

/** Properties of the Kong example. */
export interface KongChartProps extends ChartProps {
  /** The Service the gateway routes `/` to. */
  readonly upstream: MeshService;
}

/**
 * Kong as a delegated gateway, installed from Kong's `ingress` Helm chart: the output of
 * `helm template kong kong/ingress -n kong` is committed in helm/kong-ingress.yaml and adopted
 * here without editing the file.
 */
export class KongChart extends Chart {
  public readonly proxy: DelegatedGateway;
  public readonly controller: DelegatedGateway;

  constructor(scope: Construct, id: string, props: KongChartProps) {
    super(scope, id, { ...props, disableResourceNameHashes: true });
    useZoneControlPlane(this, 'edge');

    const namespace = new MeshNamespace(this, 'Namespace', { metadata: { name: 'kong' } });
    const kong = new Include(this, 'Kong', { url: path.join(__dirname, 'helm', 'kong-ingress.yaml') });
    const rendered = (kind: string, name: string): ApiObject => {
      const obj = kong.apiObjects.find((o) => o.kind === kind && o.name === name);
      if (!obj) throw new Error(`${kind} ${name} is not in helm/kong-ingress.yaml`);
      return obj;
    };

    const kuma3 = KumaVersion.of(this).major >= 3;
    if (kuma3) {
      // The chart writes Kuma 2.x's kuma.io/gateway, which 3.x removed: take it out, and the
      // gateways keep their ports out of inbound redirection instead (Moving to Kuma 3.x).
      for (const name of ['kong-gateway', 'kong-controller']) {
        rendered('Deployment', name).addJsonPatch(JsonPatch.remove('/spec/template/metadata/annotations/kuma.io~1gateway'));
      }
    }

    // The proxy pods receive outside traffic; the controller pods talk to the proxies' admin API,
    // which the kongController flavour keeps out of the mesh (port 8444).
    this.proxy = DelegatedGateway.adopt(rendered('Deployment', 'kong-gateway'), { namespace, flavour: GatewayFlavour.kong() });
    this.controller = DelegatedGateway.adopt(rendered('Deployment', 'kong-controller'), { namespace, flavour: GatewayFlavour.kongController() });

    if (!kuma3) {
      // kong-gateway-admin and kong-gateway-manager sort before kong-gateway-proxy: without this
      // Kuma 2.x would name the gateway after its admin Service (kumahq/kuma pod_controller.go@v2.14.3 findMatchingServices, kuma#12765).
      // (Kuma 3.x: adopt() already marks the chart's gateway Services kuma.io/ignore.)
      this.proxy.ignoreService(rendered('Service', 'kong-gateway-admin'));
      this.proxy.ignoreService(rendered('Service', 'kong-gateway-manager'));
    }

    // A mesh with mTLS answers the gateway 403 until a MeshTrafficPermission lets it in (3.x
    // denies by default and matches the gateway's SPIFFE ID, which holds its zone); the timeouts
    // and retries of its requests to the shop belong to the mesh too.
    this.proxy.allowTo('AllowWeb', GatewayPermissionTarget.service(props.upstream), { name: 'kong-to-web' });
    this.proxy.addTimeout('WebTimeouts', { name: 'kong-to-web', to: [{ service: props.upstream }], requestTimeout: Duration.seconds(10) });
    this.proxy.addRetry('WebRetries', {
      name: 'kong-to-web',
      to: [{ service: props.upstream }],
      numRetries: 3,
      perTryTimeout: Duration.seconds(3),
      retryOn: [RetryOn.GATEWAY_ERROR, RetryOn.CONNECT_FAILURE],
    });

    // One IngressClass for every Ingress Kong serves: serviceUpstream without per-Service annotations.
    const ingressClass = new KongIngressClass(this, 'IngressClass', { parametersNamespace: 'kong' });

    const ingress = new kplus.Ingress(this, 'Ingress', {
      metadata: { name: 'shop', namespace: props.upstream.namespace },
      className: ingressClass.name,
    });
    ingress.addRule('/', kplus.IngressBackend.fromService(props.upstream));
  }
}
