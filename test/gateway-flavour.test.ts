import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { GatewayFlavour, MeshService, ServiceUpstreamMechanism } from '../src';
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
