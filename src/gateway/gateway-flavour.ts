import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { ServiceAnnotation } from '../kuma/well-known';
import { ServiceUpstream } from '../mesh/service-upstream';
import { addAnnotationOnce, apiObjectOfKind } from '../private/_metadata';
import { checkPort } from '../private/_validation';

/** How a gateway's controller is told to send to a Service's ClusterIP instead of its pods. */
export enum ServiceUpstreamMechanism {
  // Sources: kumahq/kuma@v2.14.3 pkg/plugins/runtime/k8s/controllers/service_controller.go; pkg/plugins/runtime/k8s/metadata/annotations.go
  /**
   * Annotations on each upstream Service: `ingress.kubernetes.io/service-upstream: "true"` (Kong)
   * and `nginx.ingress.kubernetes.io/service-upstream: "true"`, the pair Kuma writes itself.
   */
  SERVICE_ANNOTATIONS = 'service-annotations',
  /**
   * `nginx.ingress.kubernetes.io/service-upstream: "true"` on each *Ingress*: ingress-nginx reads
   * it from the Ingress only (kubernetes/ingress-nginx
   * `internal/ingress/annotations/serviceupstream/main.go`: `parser.GetBoolAnnotation("service-upstream", ing)`).
   */
  INGRESS_ANNOTATION = 'ingress-annotation',
  /**
   * `traefik.ingress.kubernetes.io/service.nativelb: "true"` on each upstream Service: Traefik's
   * Kubernetes Ingress provider then uses the ClusterIP as the only server (Traefik docs,
   * routing/providers/kubernetes-ingress "On Service"; the CRD provider's equivalent is
   * `nativeLB: true` on an IngressRoute service).
   */
  TRAEFIK_NATIVE_LB = 'traefik-native-lb',
}

/** Options of the Kong controller flavour. */
export interface KongControllerFlavourOptions {
  /**
   * The Kong admin API port the controller talks to. The controller's traffic to it is excluded
   * from the mesh: it carries Kong's own mTLS, and through the sidecar it would be TLS inside
   * mTLS (Kong/kubernetes-ingress-controller#4698; Kong's `ingress` chart excludes it).
   *
   * @default 8444
   */
  readonly adminApiPort?: number;
}

/** Where each controller-specific mechanism writes its annotation, and why there. */
const ANNOTATED_OBJECT: Record<string, { apiVersion: string; kind: string; key: string; controller: string; why: string }> = {
  [ServiceUpstreamMechanism.INGRESS_ANNOTATION]: {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    key: ServiceAnnotation.NGINX_SERVICE_UPSTREAM,
    controller: 'ingress-nginx',
    why: 'ingress-nginx reads service-upstream from the Ingress, not from the Service',
  },
  [ServiceUpstreamMechanism.TRAEFIK_NATIVE_LB]: {
    apiVersion: 'v1',
    kind: 'Service',
    key: 'traefik.ingress.kubernetes.io/service.nativelb',
    controller: 'Traefik',
    why: 'Traefik reads service.nativelb from the upstream Service',
  },
};

/**
 * What a product's proxy container needs to start where cdk8s-plus's defaults (a read-only root
 * filesystem, an arbitrary uid) differ from what its vendor ships. Applied to the containers of a
 * `DelegatedGatewayDeployment` (an adopted Helm chart brings its own); a value the user sets wins.
 */
interface PodEssentials {
  /** Security context defaults, under the user's own fields. */
  readonly securityContext?: kplus.ContainerSecurityContextProps;
  /** Environment defaults, unless the user sets the variable (or loads env with envFrom). */
  readonly env?: Record<string, string>;
  /** Directories the product writes: an emptyDir each, unless the user mounts something there. */
  readonly writableDirs?: { readonly path: string; readonly pathFromEnv?: string; readonly volume: string; readonly sizeLimitMi?: number }[];
}

const POD_ESSENTIALS: Record<string, PodEssentials> = {
  // Kong's chart (Kong/charts charts/kong, ci/__snapshots__/default-values.snap, kong-2.41.0): the
  // proxy runs with readOnlyRootFilesystem and runAsUser 1000, KONG_PREFIX=/kong_prefix/ on an
  // emptyDir (sizeLimit 256Mi) and /tmp on an emptyDir (1Gi); KONG_DATABASE "off" (DB-less, as
  // the chart installs it; the image's default would wait for PostgreSQL).
  'kong': {
    securityContext: { user: 1000 },
    env: { KONG_PREFIX: '/kong_prefix/', KONG_DATABASE: 'off' },
    writableDirs: [
      { path: '/kong_prefix/', pathFromEnv: 'KONG_PREFIX', volume: 'kong-prefix-dir', sizeLimitMi: 256 },
      { path: '/tmp', volume: 'kong-tmp', sizeLimitMi: 1024 },
    ],
  },
  // ingress-nginx's manifests (kubernetes/ingress-nginx deploy/static/provider/cloud/deploy.yaml;
  // chart templates/_helpers.tpl controller.containerSecurityContext): uid 101, capabilities
  // drop ALL and add NET_BIND_SERVICE (it binds 80 and 443), a writable root filesystem (nginx
  // writes its configuration and temp files there).
  'ingress-nginx': {
    securityContext: {
      user: 101,
      readOnlyRootFilesystem: false,
      capabilities: { drop: [kplus.Capability.ALL], add: [kplus.Capability.NET_BIND_SERVICE] },
    },
  },
  // Traefik's chart (traefik/traefik-helm-chart traefik/values.yaml and templates/_podtemplate.tpl,
  // chart 41.3.0, Traefik v3.7): podSecurityContext runAsUser and runAsGroup 65532, a read-only
  // root filesystem, and emptyDirs (no size limit) at /data (persistence.path: ACME storage) and
  // /tmp.
  'traefik': {
    securityContext: { user: 65532, group: 65532 },
    writableDirs: [
      { path: '/data', volume: 'traefik-data' },
      { path: '/tmp', volume: 'traefik-tmp' },
    ],
  },
};

/**
 * The kind of API gateway that runs as a delegated gateway: what its pods need beyond Kuma's
 * defaults, and how its controller is told to send to Service IPs.
 */
export class GatewayFlavour {
  /**
   * Any gateway that honours Kuma's own Service annotations. The default.
   */
  public static generic(): GatewayFlavour {
    return new GatewayFlavour('generic', ServiceUpstreamMechanism.SERVICE_ANNOTATIONS, [], []);
  }

  /**
   * Kong Gateway's proxy pods (the `gateway` release of Kong's `ingress` chart, or the `kong`
   * chart's proxy). Kong Ingress Controller reads `ingress.kubernetes.io/service-upstream` from
   * each Service (Kong KIC annotation reference), or `serviceUpstream: true` from the
   * `IngressClassParameters` of its class (see `KongIngressClass`).
   *
   * In a `DelegatedGatewayDeployment` its containers get what Kong's Helm chart gives the proxy
   * to start under cdk8s-plus's read-only root filesystem: emptyDirs at `KONG_PREFIX`
   * (`/kong_prefix/`, 256Mi) and `/tmp` (1Gi), `KONG_DATABASE=off` (DB-less) and uid 1000, each
   * unless the container sets its own.
   *
   * @see https://github.com/Kong/charts/tree/main/charts/kong
   */
  public static kong(): GatewayFlavour {
    // Kong's chart: proxy containerPorts 8000 (http) and 8443 (tls) (Kong/charts charts/kong values.yaml `proxy`).
    return new GatewayFlavour('kong', ServiceUpstreamMechanism.SERVICE_ANNOTATIONS, [], [8000, 8443]);
  }

  /**
   * Kong Ingress Controller's pods when they run apart from the proxy (the `controller` release
   * of Kong's `ingress` chart): also a delegated gateway, with the admin API port excluded from
   * outbound interception (Kong/charts `charts/ingress/values.yaml`,
   * `traffic.kuma.io/exclude-outbound-ports: "8444"`).
   */
  public static kongController(options: KongControllerFlavourOptions = {}): GatewayFlavour {
    const port = options.adminApiPort ?? 8444;
    checkPort('GatewayFlavour.kongController()', 'adminApiPort', port);
    return new GatewayFlavour('kong-controller', ServiceUpstreamMechanism.SERVICE_ANNOTATIONS, [port], []);
  }

  /**
   * ingress-nginx. It reads `nginx.ingress.kubernetes.io/service-upstream` from each Ingress, not
   * from Services, so `useServiceUpstream()` takes the Ingress.
   *
   * In a `DelegatedGatewayDeployment` its containers get the security context of ingress-nginx's
   * own manifests where cdk8s-plus's differs: uid 101, `NET_BIND_SERVICE` (it binds 80 and 443)
   * with every other capability dropped, and a writable root filesystem, unless set.
   *
   * @see https://github.com/kubernetes/ingress-nginx/tree/main/deploy/static/provider/cloud
   */
  public static ingressNginx(): GatewayFlavour {
    // ingress-nginx's controller: http 80, https 443 (kubernetes/ingress-nginx chart `controller.containerPort`).
    return new GatewayFlavour('ingress-nginx', ServiceUpstreamMechanism.INGRESS_ANNOTATION, [], [80, 443]);
  }

  /**
   * Traefik with its Kubernetes Ingress provider: `traefik.ingress.kubernetes.io/service.nativelb`
   * on each upstream Service.
   *
   * In a `DelegatedGatewayDeployment` its containers get what Traefik's Helm chart gives them:
   * uid and gid 65532 and emptyDirs at `/data` (ACME certificate storage) and `/tmp`, under
   * cdk8s-plus's read-only root filesystem, each unless the container sets its own.
   *
   * @see https://github.com/traefik/traefik-helm-chart/tree/master/traefik
   */
  public static traefik(): GatewayFlavour {
    // Traefik's chart: entrypoints web 8000 and websecure 8443 (traefik/traefik-helm-chart `ports`).
    return new GatewayFlavour('traefik', ServiceUpstreamMechanism.TRAEFIK_NATIVE_LB, [], [8000, 8443]);
  }

  private constructor(
    /** A short name of the flavour. */
    public readonly name: string,
    /** How the controller is told to send to Service IPs. */
    public readonly serviceUpstream: ServiceUpstreamMechanism,
    private readonly excluded: number[],
    private readonly listeners: number[]) {}

  /**
   * The ports this kind of gateway serves outside traffic on by default. A gateway marked by
   * `GatewayMarking.EXCLUDED_INBOUND_PORTS` keeps them (with its container ports) out of inbound
   * redirection.
   */
  public get listenerPorts(): number[] {
    return [...this.listeners];
  }

  /**
   * Whether this flavour's pods call the Kubernetes API themselves (a controller in the pod:
   * ingress-nginx and Traefik watch Ingresses from the proxy's pod, Kong's controller from its own),
   * a destination outside the mesh.
   *
   * @internal
   */
  public get _callsKubernetesApi(): boolean {
    return ['ingress-nginx', 'traefik', 'kong-controller'].includes(this.name);
  }

  /** Outbound ports this flavour's pods exclude from the mesh. */
  public get excludedOutboundPorts(): number[] {
    return [...this.excluded];
  }

  /**
   * The container props with this flavour's essentials under the user's values.
   *
   * @internal
   */
  public _containerProps(props: kplus.ContainerProps): kplus.ContainerProps {
    const essentials = POD_ESSENTIALS[this.name];
    if (essentials === undefined) return props;
    const env = essentials.env === undefined || props.envFrom !== undefined ? props.envVariables : {
      ...Object.fromEntries(Object.entries(essentials.env).map(([k, v]) => [k, kplus.EnvValue.fromValue(v)])),
      ...props.envVariables,
    };
    return {
      ...props,
      securityContext: essentials.securityContext === undefined ? props.securityContext : { ...essentials.securityContext, ...props.securityContext },
      envVariables: env,
    };
  }

  /**
   * Mounts an emptyDir at each directory the product writes, unless the container mounts
   * something there itself.
   *
   * @internal
   */
  public _mountWritableDirs(pod: kplus.AbstractPod, container: kplus.Container): void {
    for (const dir of POD_ESSENTIALS[this.name]?.writableDirs ?? []) {
      const fromEnv = dir.pathFromEnv === undefined ? undefined : container.env.variables[dir.pathFromEnv]?.value;
      const path = fromEnv ?? dir.path;
      const norm = (p: string) => p.replace(/\/+$/, '');
      if (container.mounts.some((m) => norm(m.path) === norm(path))) continue;
      const id = `FlavourVolume-${dir.volume}`;
      const volume = (pod.node.tryFindChild(id) as kplus.Volume | undefined)
        ?? kplus.Volume.fromEmptyDir(pod, id, dir.volume, dir.sizeLimitMi === undefined ? {} : { sizeLimit: Size.mebibytes(dir.sizeLimitMi) });
      container.mount(path, volume);
    }
  }

  /**
   * Tells this gateway to send the traffic of `target` to the Service's ClusterIP, where the
   * gateway's sidecar routes it through the mesh, instead of to pod IPs, which bypass it.
   *
   * @param target the upstream Service (cdk8s-plus or ApiObject), or for ingress-nginx the Ingress
   */
  public useServiceUpstream(target: IConstruct): void {
    if (this.serviceUpstream === ServiceUpstreamMechanism.SERVICE_ANNOTATIONS) {
      ServiceUpstream.annotate(target);
      return;
    }
    const wanted = ANNOTATED_OBJECT[this.serviceUpstream];
    const obj = apiObjectOfKind(target, wanted.apiVersion, wanted.kind, 'target', {
      notAnObject: 'Pass a cdk8s-plus Service or Ingress, or its ApiObject.',
      problem: `is not what the ${this.name} flavour annotates: ${wanted.why}`,
      fix: `Pass the ${wanted.apiVersion}/${wanted.kind}.`,
    });
    addAnnotationOnce(target, obj, wanted.key, 'true', `without it ${wanted.controller} sends to pod IPs and bypasses the mesh`,
      'Remove the annotation or set it to "true".');
  }
}
