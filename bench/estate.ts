/**
 * "estate(N)" for the benchmark, three ways that emit the same YAML:
 * - library: N MeshServices in N/50 MeshNamespaces, one DelegatedGatewayDeployment with one Ingress
 *   per namespace routing to all of them, N/10 CrossZoneExternalNames, and the MeshAnalyzer on;
 * - raw: plain cdk8s ApiObjects with the same fields (the floor);
 * - plus: cdk8s-plus-28 constructs with the Kuma labels and annotations set by hand.
 */
import { ApiObject, App, Chart, JsonPatch, Lazy, Names, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  CrossZoneExternalName, DelegatedGatewayDeployment, GatewayFlavour, KumaProtocol, Mesh, MeshAddress, MeshAnalyzer, MeshNamespace, MeshService,
  MeshServicesMode,
} from '../src';

const UPSTREAM = { 'ingress.kubernetes.io/service-upstream': 'true', 'nginx.ingress.kubernetes.io/service-upstream': 'true' };
const PER_NAMESPACE = 50;

export interface EstateShape {
  readonly namespaces: number;
  readonly services: number;
  readonly crossZone: number;
}

export function shape(n: number): EstateShape {
  return { namespaces: Math.max(1, Math.floor(n / PER_NAMESPACE)), services: n, crossZone: Math.floor(n / 10) };
}

const nsName = (i: number) => `ns-${i}`;
const svcName = (j: number) => `svc-${j}`;

/** The library's estate. */
export function libraryEstate(app: App, n: number): void {
  const s = shape(n);
  if (!process.env.BENCH_NO_ANALYZER) new MeshAnalyzer(app, 'MeshAnalyzer');
  const chart = new Chart(app, 'estate');
  const mesh = Mesh.fromMeshAttributes(chart, 'Mesh', { name: 'default', meshServicesMode: MeshServicesMode.DISABLED });
  const kong = new MeshNamespace(chart, 'Kong', { metadata: { name: 'kong' } });
  const gateway = new DelegatedGatewayDeployment(chart, 'Gateway', {
    metadata: { name: 'kong' },
    namespace: kong,
    flavour: GatewayFlavour.kong(),
    containers: [{ image: 'kong:3.9', portNumber: 8000 }],
  });
  void gateway;
  const namespaces = Array.from({ length: s.namespaces }, (_, i) => new MeshNamespace(chart, `Ns${i}`, { metadata: { name: nsName(i) } }));
  const ingresses = namespaces.map((ns, i) => new kplus.Ingress(chart, `Ingress${i}`, { metadata: { name: 'routes', namespace: ns.name }, className: 'kong' }));
  const services: MeshService[] = [];
  for (let j = 0; j < s.services; j++) {
    const i = j % s.namespaces;
    const svc = new MeshService(chart, `Svc${j}`, {
      metadata: { name: svcName(j) },
      namespace: namespaces[i],
      selectorLabels: { app: svcName(j) },
      ports: [{ port: 80, targetPort: 8080, name: 'http', appProtocol: KumaProtocol.HTTP }],
    });
    ingresses[i].addRule(`/${svcName(j)}`, kplus.IngressBackend.fromService(svc));
    services.push(svc);
  }
  for (let k = 0; k < s.crossZone; k++) {
    const target = services[k * 10];
    new CrossZoneExternalName(chart, `Remote${k}`, { metadata: { name: `remote-${k}` }, namespace: kong, mesh, target: MeshAddress.kumaServiceVip(target) });
  }
}

/** The same YAML from plain ApiObjects. */
export function rawEstate(app: App, n: number): void {
  const s = shape(n);
  const chart = new Chart(app, 'estate');
  const kong = namespace(chart, 'Kong', 'kong');
  const gateway: ApiObject = new ApiObject(chart, 'Gateway', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'kong', namespace: 'kong' },
    spec: Lazy.any({ produce: () => gatewaySpec(Names.toLabelValue(gateway)) }),
  });
  gateway.addDependency(kong);
  const namespaces = Array.from({ length: s.namespaces }, (_, i) => namespace(chart, `Ns${i}`, nsName(i)));
  const paths: any[][] = namespaces.map(() => []);
  const ingresses = namespaces.map((ns, i) => {
    const ing = new ApiObject(chart, `Ingress${i}`, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'routes', namespace: nsName(i) },
      spec: { ingressClassName: 'kong', rules: [{ http: { paths: Lazy.any({ produce: () => [...paths[i]].sort((a, b) => a.path.localeCompare(b.path)) }) } }] },
    });
    ing.addDependency(ns);
    return ing;
  });
  void ingresses;
  for (let j = 0; j < s.services; j++) {
    const i = j % s.namespaces;
    const svc = new ApiObject(chart, `Svc${j}`, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: svcName(j), namespace: nsName(i), annotations: UPSTREAM },
      spec: { externalIPs: [], ports: [{ name: 'http', port: 80, targetPort: 8080, appProtocol: 'http' }], selector: { app: svcName(j) }, type: 'ClusterIP' },
    });
    svc.addDependency(namespaces[i]);
    paths[i].push({ backend: { service: { name: svcName(j), port: { number: 80 } } }, path: `/${svcName(j)}`, pathType: 'Prefix' });
  }
  for (let k = 0; k < s.crossZone; k++) {
    const remote = new ApiObject(chart, `Remote${k}`, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: `remote-${k}`, namespace: 'kong' },
      spec: { externalName: `${svcName(k * 10)}.${nsName((k * 10) % s.namespaces)}.svc.80.mesh`, type: 'ExternalName' },
    });
    remote.addDependency(kong);
  }
}

/** The same YAML from cdk8s-plus-28, with the Kuma labels and annotations set by hand. */
export function plusEstate(app: App, n: number): void {
  const s = shape(n);
  const chart = new Chart(app, 'estate');
  const kong = new kplus.Namespace(chart, 'Kong', { metadata: { name: 'kong', labels: { 'kuma.io/sidecar-injection': 'enabled', 'kuma.io/mesh': 'default' } } });
  const gateway = new kplus.Deployment(chart, 'Gateway', {
    metadata: { name: 'kong', namespace: 'kong' },
    automountServiceAccountToken: true,
    // non-root per container: Kuma's kuma-init runs as root (no Kuma CNI), as the library writes it
    securityContext: { ensureNonRoot: false },
    podMetadata: { annotations: { 'kuma.io/gateway': 'enabled' }, labels: { 'kuma.io/sidecar-injection': 'enabled', 'kuma.io/mesh': 'default' } },
    // what the library's Kong flavour gives the proxy (Kong's chart), by hand
    containers: [{
      image: 'kong:3.9',
      portNumber: 8000,
      securityContext: { user: 1000 },
      envVariables: { KONG_PREFIX: kplus.EnvValue.fromValue('/kong_prefix/'), KONG_DATABASE: kplus.EnvValue.fromValue('off') },
    }],
  });
  gateway.containers[0].mount('/kong_prefix/', kplus.Volume.fromEmptyDir(chart, 'Prefix', 'kong-prefix-dir', { sizeLimit: Size.mebibytes(256) }));
  gateway.containers[0].mount('/tmp', kplus.Volume.fromEmptyDir(chart, 'Tmp', 'kong-tmp', { sizeLimit: Size.mebibytes(1024) }));
  gateway.node.addDependency(kong);
  const namespaces = Array.from({ length: s.namespaces }, (_, i) =>
    new kplus.Namespace(chart, `Ns${i}`, { metadata: { name: nsName(i), labels: { 'kuma.io/sidecar-injection': 'enabled', 'kuma.io/mesh': 'default' } } }));
  const ingresses = namespaces.map((ns, i) => {
    const ing = new kplus.Ingress(chart, `Ingress${i}`, { metadata: { name: 'routes', namespace: nsName(i) }, className: 'kong' });
    ing.node.addDependency(ns);
    return ing;
  });
  for (let j = 0; j < s.services; j++) {
    const i = j % s.namespaces;
    const svc = new kplus.Service(chart, `Svc${j}`, {
      metadata: { name: svcName(j), namespace: nsName(i), annotations: UPSTREAM },
      ports: [{ port: 80, targetPort: 8080, name: 'http' }],
    });
    svc.selectLabel('app', svcName(j));
    // cdk8s-plus has no appProtocol: a JSON patch adds it
    ApiObject.of(svc).addJsonPatch(JsonPatch.add('/spec/ports/0/appProtocol', 'http'));
    svc.node.addDependency(namespaces[i]);
    ingresses[i].addRule(`/${svcName(j)}`, kplus.IngressBackend.fromService(svc));
  }
  for (let k = 0; k < s.crossZone; k++) {
    const remote = new kplus.Service(chart, `Remote${k}`, {
      metadata: { name: `remote-${k}`, namespace: 'kong' },
      externalName: `${svcName(k * 10)}.${nsName((k * 10) % s.namespaces)}.svc.80.mesh`,
    });
    remote.node.addDependency(kong);
  }
}

function namespace(chart: Chart, id: string, name: string): ApiObject {
  return new ApiObject(chart, id, {
    apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kuma.io/sidecar-injection': 'enabled', 'kuma.io/mesh': 'default' } }, spec: {},
  });
}

/** The pod spec cdk8s-plus writes for the gateway Deployment, by hand. */
function gatewaySpec(addr: string): any {
  return {
    minReadySeconds: 0,
    progressDeadlineSeconds: 600,
    replicas: 2,
    selector: { matchLabels: { 'cdk8s.io/metadata.addr': addr } },
    strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' }, type: 'RollingUpdate' },
    template: {
      metadata: {
        annotations: { 'kuma.io/gateway': 'enabled' },
        labels: { 'cdk8s.io/metadata.addr': addr, 'kuma.io/mesh': 'default', 'kuma.io/sidecar-injection': 'enabled' },
      },
      spec: {
        automountServiceAccountToken: true,
        containers: [{
          env: [{ name: 'KONG_PREFIX', value: '/kong_prefix/' }, { name: 'KONG_DATABASE', value: 'off' }],
          image: 'kong:3.9',
          imagePullPolicy: 'Always',
          name: 'main',
          ports: [{ containerPort: 8000 }],
          resources: { limits: { cpu: '1500m', memory: '2048Mi' }, requests: { cpu: '1000m', memory: '512Mi' } },
          securityContext: { allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 1000 },
          startupProbe: { failureThreshold: 3, tcpSocket: { port: 8000 } },
          volumeMounts: [{ mountPath: '/kong_prefix/', name: 'kong-prefix-dir' }, { mountPath: '/tmp', name: 'kong-tmp' }],
        }],
        dnsPolicy: 'ClusterFirst',
        hostNetwork: false,
        restartPolicy: 'Always',
        securityContext: { fsGroupChangePolicy: 'Always', runAsNonRoot: false },
        setHostnameAsFQDN: false,
        terminationGracePeriodSeconds: 30,
        volumes: [{ emptyDir: { sizeLimit: '256Mi' }, name: 'kong-prefix-dir' }, { emptyDir: { sizeLimit: '1024Mi' }, name: 'kong-tmp' }],
      },
    },
  };
}
