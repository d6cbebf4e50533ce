import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { DelegatedGatewayDeployment, GatewayFlavour, MeshNamespace, MeshService, ServiceUpstreamMechanism } from '../src';
import { synthValid } from './support/validate';

function setup() {
  const chart = new Chart(Testing.app(), 'apps', { namespace: 'shop' });
  const service = new kplus.Service(chart, 'Web', { metadata: { name: 'web' }, ports: [{ port: 80 }] });
  const ingress = new kplus.Ingress(chart, 'Ingress', { metadata: { name: 'web' } });
  ingress.addRule('/', kplus.IngressBackend.fromService(service));
  return { chart, service, ingress };
}

const annotationsOf = (chart: Chart, kind: string) => synthValid(chart).find((m) => m.kind === kind).metadata.annotations;

describe('GatewayFlavour.useServiceUpstream', () => {
  test.each([
    ['generic', GatewayFlavour.generic()],
    ['kong', GatewayFlavour.kong()],
    ['kong-controller', GatewayFlavour.kongController()],
  ])('%s: both service-upstream annotations on the Service', (_name, flavour) => {
    const { chart, service } = setup();
    expect(flavour.serviceUpstream).toBe(ServiceUpstreamMechanism.SERVICE_ANNOTATIONS);
    flavour.useServiceUpstream(service);
    expect(annotationsOf(chart, 'Service')).toEqual({
      'ingress.kubernetes.io/service-upstream': 'true',
      'nginx.ingress.kubernetes.io/service-upstream': 'true',
    });
    expect(annotationsOf(chart, 'Ingress')).toBeUndefined();
  });

  test('ingress-nginx: the annotation on the Ingress (cdk8s-plus or ApiObject)', () => {
    const { chart, ingress } = setup();
    const flavour = GatewayFlavour.ingressNginx();
    expect(flavour.serviceUpstream).toBe(ServiceUpstreamMechanism.INGRESS_ANNOTATION);
    flavour.useServiceUpstream(ingress);
    const raw = new ApiObject(chart, 'Raw', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'raw', annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': '/' } },
      spec: { ingressClassName: 'nginx', defaultBackend: { service: { name: 'web', port: { number: 80 } } } },
    });
    flavour.useServiceUpstream(raw);
    const manifests = synthValid(chart);
    expect(manifests.find((m) => m.metadata.name === 'web' && m.kind === 'Ingress').metadata.annotations).toEqual({ 'nginx.ingress.kubernetes.io/service-upstream': 'true' });
    expect(manifests.find((m) => m.metadata.name === 'raw').metadata.annotations).toEqual({
      'nginx.ingress.kubernetes.io/rewrite-target': '/',
      'nginx.ingress.kubernetes.io/service-upstream': 'true',
    });
    expect(manifests.find((m) => m.kind === 'Service').metadata.annotations).toBeUndefined();
  });

  test('ingress-nginx refuses a Service: it reads the annotation from the Ingress', () => {
    const { service } = setup();
    expect(() => GatewayFlavour.ingressNginx().useServiceUpstream(service)).toThrow(
      'apps/Web: kind "v1/Service" is not what the ingress-nginx flavour annotates: ingress-nginx reads service-upstream from the Ingress, not from the Service. Pass the networking.k8s.io/v1/Ingress.');
  });

  test('traefik: service.nativelb on the Service', () => {
    const { chart, service, ingress } = setup();
    const flavour = GatewayFlavour.traefik();
    expect(flavour.serviceUpstream).toBe(ServiceUpstreamMechanism.TRAEFIK_NATIVE_LB);
    flavour.useServiceUpstream(service);
    expect(annotationsOf(chart, 'Service')).toEqual({ 'traefik.ingress.kubernetes.io/service.nativelb': 'true' });
    expect(() => flavour.useServiceUpstream(ingress)).toThrow(
      'apps/Ingress: kind "networking.k8s.io/v1/Ingress" is not what the traefik flavour annotates: Traefik reads service.nativelb from the upstream Service. Pass the v1/Service.');
  });

  test('a value set differently is an error', () => {
    const { service, ingress } = setup();
    service.metadata.addAnnotation('traefik.ingress.kubernetes.io/service.nativelb', 'false');
    expect(() => GatewayFlavour.traefik().useServiceUpstream(service)).toThrow(
      'apps/Web: metadata.annotations["traefik.ingress.kubernetes.io/service.nativelb"] "false" is already set and differs from "true"; without it Traefik sends to pod IPs and bypasses the mesh. Remove the annotation or set it to "true".');
    ingress.metadata.addAnnotation('nginx.ingress.kubernetes.io/service-upstream', 'false');
    expect(() => GatewayFlavour.ingressNginx().useServiceUpstream(ingress)).toThrow(
      'apps/Ingress: metadata.annotations["nginx.ingress.kubernetes.io/service-upstream"] "false" is already set and differs from "true"; without it ingress-nginx sends to pod IPs and bypasses the mesh. Remove the annotation or set it to "true".');
  });

  test('a MeshService already carries the annotations: the Kong flavour leaves them as they are', () => {
    const chart = new Chart(Testing.app(), 'apps', { namespace: 'shop' });
    const svc = new MeshService(chart, 'Web', { ports: [{ port: 80 }] });
    GatewayFlavour.kong().useServiceUpstream(svc);
    expect(Object.keys(annotationsOf(chart, 'Service'))).toHaveLength(2);
  });

  test('kongController: a bad admin port', () => {
    expect(() => GatewayFlavour.kongController({ adminApiPort: 0 })).toThrow(
      'GatewayFlavour.kongController(): adminApiPort 0 is not a port number. Use an integer from 1 to 65535.');
    expect(GatewayFlavour.kongController({ adminApiPort: 9444 }).excludedOutboundPorts).toEqual([9444]);
  });
});

describe('flavours that start: the pod matches what the vendor ships where cdk8s-plus\'s defaults differ', () => {
  // Kong/charts charts/kong ci/__snapshots__/default-values.snap (kong-2.41.0), the proxy container
  // and the pod's volumes; kubernetes/ingress-nginx deploy/static/provider/cloud/deploy.yaml and
  // charts/ingress-nginx templates/_helpers.tpl (controller.containerSecurityContext).
  const KONG_CHART = {
    env: { KONG_PREFIX: '/kong_prefix/', KONG_DATABASE: 'off' },
    runAsUser: 1000,
    readOnlyRootFilesystem: true,
    volumeMounts: [{ mountPath: '/kong_prefix/', name: 'prefix-dir' }, { mountPath: '/tmp', name: 'tmp' }],
    volumes: [{ emptyDir: { sizeLimit: '256Mi' }, name: 'prefix-dir' }, { emptyDir: { sizeLimit: '1Gi' }, name: 'tmp' }],
  };
  const INGRESS_NGINX = { runAsUser: 101, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] } };
  const mebibytes = (q: string) => q.endsWith('Gi') ? Number(q.slice(0, -2)) * 1024 : Number(q.slice(0, -2));

  function gateway(flavour: GatewayFlavour, container: kplus.ContainerProps) {
    const chart = Testing.chart();
    const ns = new MeshNamespace(chart, 'Ns', { metadata: { name: 'gw' } });
    const d = new DelegatedGatewayDeployment(chart, 'Gw', { metadata: { name: 'gw' }, namespace: ns, flavour, containers: [container] });
    const pod = () => synthValid(chart).find((o) => o.kind === 'Deployment').spec.template.spec;
    return { d, pod };
  }

  test('Kong: writable prefix and /tmp on emptyDirs of the chart\'s sizes, KONG_PREFIX, DB-less, uid 1000', () => {
    const spec = gateway(GatewayFlavour.kong(), { image: 'kong:3.9', portNumber: 8000 }).pod();
    const proxy = spec.containers[0];
    expect(Object.fromEntries(proxy.env.map((e: any) => [e.name, e.value]))).toEqual(KONG_CHART.env);
    expect(proxy.securityContext).toMatchObject({ runAsUser: KONG_CHART.runAsUser, readOnlyRootFilesystem: KONG_CHART.readOnlyRootFilesystem });
    // same paths, each on an emptyDir of the chart's size (the chart prefixes volume names with its release)
    expect(proxy.volumeMounts.map((m: any) => m.mountPath)).toEqual(KONG_CHART.volumeMounts.map((m) => m.mountPath));
    const volumeOf = (path: string) => spec.volumes.find((v: any) => v.name === proxy.volumeMounts.find((m: any) => m.mountPath === path).name);
    for (const m of KONG_CHART.volumeMounts) {
      const chartVolume = KONG_CHART.volumes.find((v) => v.name === m.name)!;
      expect(mebibytes(volumeOf(m.mountPath).emptyDir.sizeLimit)).toBe(mebibytes(chartVolume.emptyDir.sizeLimit));
    }
  });

  test('Kong: a container added later gets the same; the volumes are declared once', () => {
    const { d, pod } = gateway(GatewayFlavour.kong(), { image: 'kong:3.9', portNumber: 8000 });
    d.addContainer({ name: 'second', image: 'kong:3.9' });
    const spec = pod();
    expect(spec.containers[1].volumeMounts.map((m: any) => m.mountPath)).toEqual(['/kong_prefix/', '/tmp']);
    expect(spec.volumes.map((v: any) => v.name)).toEqual(['kong-prefix-dir', 'kong-tmp']);
  });

  test('Kong: the user\'s values win (own prefix, own /tmp mount, own uid, envFrom)', () => {
    const chart = Testing.chart();
    const tmp = kplus.Volume.fromEmptyDir(chart, 'MyTmp', 'my-tmp');
    const spec = gateway(GatewayFlavour.kong(), {
      image: 'kong:3.9',
      portNumber: 8000,
      envVariables: { KONG_PREFIX: kplus.EnvValue.fromValue('/var/run/kong') },
      securityContext: { user: 1500 },
      volumeMounts: [{ path: '/tmp/', volume: tmp }],
    }).pod();
    const proxy = spec.containers[0];
    expect(proxy.env).toEqual([{ name: 'KONG_PREFIX', value: '/var/run/kong' }, { name: 'KONG_DATABASE', value: 'off' }]);
    expect(proxy.securityContext.runAsUser).toBe(1500);
    expect(proxy.volumeMounts).toEqual([{ mountPath: '/tmp/', name: 'my-tmp' }, { mountPath: '/var/run/kong', name: 'kong-prefix-dir' }]);

    const cm = kplus.ConfigMap.fromConfigMapName(chart, 'Env', 'kong-env');
    const fromEnv = gateway(GatewayFlavour.kong(), { image: 'kong:3.9', envFrom: [kplus.Env.fromConfigMap(cm)] }).pod().containers[0];
    expect(fromEnv.env).toBeUndefined(); // explicit env would override the user's envFrom
  });

  test('ingress-nginx: uid 101, NET_BIND_SERVICE, writable root filesystem', () => {
    const controller = gateway(GatewayFlavour.ingressNginx(), { image: 'registry.k8s.io/ingress-nginx/controller:v1.11.3', portNumber: 80 }).pod().containers[0];
    expect(controller.securityContext).toMatchObject({ ...INGRESS_NGINX, readOnlyRootFilesystem: false });
    expect(controller.volumeMounts).toBeUndefined();
  });

  test('Traefik: uid and gid 65532, emptyDirs at /data and /tmp, as Traefik\'s chart', () => {
    // traefik/traefik-helm-chart 41.3.0 (Traefik v3.7.11): values.yaml podSecurityContext and
    // securityContext, templates/_podtemplate.tpl volumeMounts/volumes with persistence disabled.
    const TRAEFIK_CHART = {
      runAsUser: 65532,
      runAsGroup: 65532,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      volumeMounts: [{ mountPath: '/data', name: 'data' }, { mountPath: '/tmp', name: 'tmp' }],
      volumes: [{ name: 'data', emptyDir: {} }, { name: 'tmp', emptyDir: {} }],
    };
    const spec = gateway(GatewayFlavour.traefik(), { image: 'traefik:v3.7', portNumber: 8000 }).pod();
    const c = spec.containers[0];
    expect(c.securityContext).toMatchObject({
      runAsUser: TRAEFIK_CHART.runAsUser,
      runAsGroup: TRAEFIK_CHART.runAsGroup,
      readOnlyRootFilesystem: TRAEFIK_CHART.readOnlyRootFilesystem,
      allowPrivilegeEscalation: TRAEFIK_CHART.allowPrivilegeEscalation,
    });
    expect(c.volumeMounts.map((m: any) => m.mountPath)).toEqual(TRAEFIK_CHART.volumeMounts.map((m) => m.mountPath));
    expect(spec.volumes.map((v: any) => v.emptyDir)).toEqual(TRAEFIK_CHART.volumes.map((v) => v.emptyDir));
    expect(c.env).toBeUndefined();
  });

  test('generic: cdk8s-plus\'s defaults, untouched', () => {
    for (const flavour of [GatewayFlavour.generic()]) {
      const c = gateway(flavour, { image: 'x', portNumber: 8000 }).pod().containers[0];
      expect([c.env, c.volumeMounts, c.securityContext.readOnlyRootFilesystem, c.securityContext.runAsUser])
        .toEqual([undefined, undefined, true, undefined]);
    }
  });
});
