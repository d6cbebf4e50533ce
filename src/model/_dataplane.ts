import { kumaServiceTag } from '../kuma/_addresses';
import { isKumaTrue } from '../kuma/_kuma-boolean';
import { protocolTagFor } from '../kuma/_protocol-tag';
import { ServiceAnnotation } from '../kuma/well-known';

/*
 * What Kuma's pod -> Dataplane converter makes of a pod and the Services selecting it: the inbound
 * tags (`kuma.io/service` ...) and a delegated gateway's identity. One model for the analysis
 * (KUMA009) and for the conformance suite, which checks it against Kuma's own converter fixtures
 * (test/conformance/, kumahq/kuma pkg/plugins/runtime/k8s/controllers/testdata, 2.14 and 3.0-dev).
 *
 * Sources (kumahq/kuma): pod_controller.go `findMatchingServices`, pod_converter.go `dataplaneFor`,
 * `GatewayByServiceFor`, `GatewayByDeploymentFor`, inbound_converter.go `inboundInterfacesFor`,
 * `inboundForService`, `InboundTagsForService`, `InboundTagsForPod`, `ProtocolTagFor`,
 * util.go `FindPort`, `ServiceTag` (pkg/plugins/runtime/k8s/controllers/ and util/, kumahq/kuma@v2.14.3).
 */

/** `mesh_proto.TCPPortReserved`: the port of the inbound of a pod no Service selects. */
export const SERVICELESS_PORT = 49151;

/** One inbound of a predicted Dataplane. */
export interface PredictedInbound {
  /** The container port. */
  readonly port: number;
  /** The container port's name, when the Service port resolved to a named container port. */
  readonly name?: string;
  /** `inbound.protocol`. */
  readonly protocol: string;
  /** The inbound tags (empty when Kuma writes none). */
  readonly tags: Record<string, string>;
  /** The Service the inbound comes from (undefined for the serviceless inbound). */
  readonly service?: string;
}

/** The parts of a Dataplane the library predicts. */
export interface PredictedDataplane {
  /** Inbounds of an ordinary Dataplane (undefined for a delegated gateway). */
  readonly inbounds?: PredictedInbound[];
  /** The delegated gateway's tags, its identity (undefined for an ordinary Dataplane). */
  readonly gateway?: { readonly tags: Record<string, string> };
  /** Why Kuma makes no Dataplane, if it makes none. */
  readonly error?: string;
}

/** The cluster facts the converter reads besides the pod and its Services. */
export interface DataplaneContext {
  /** The zone of the control plane (`kuma.io/zone` tag), if it has one. */
  readonly zone?: string;
  /** Whether inbounds carry tags: 2.x by default; never in 3.x; off with `experimental.inboundTagsDisabled`. */
  readonly inboundTags: boolean;
  /**
   * The workload name `NameExtractor` gives the pod: its Deployment (through its ReplicaSet), its
   * CronJob (through its Job), another owner, or the pod's own name; and whether that is a Deployment.
   */
  readonly workload?: { readonly name: string; readonly isDeployment: boolean };
  /** Whether the converter reads `kuma.io/gateway` (2.x; 3.x removed it, kumahq/kuma#18662): default true. */
  readonly gatewayAnnotation?: boolean;
}

const TCP = 'TCP';

/**
 * `FindPort`: the container port a Service port reaches. A numeric targetPort (or none: the API
 * server defaults it to the port) is used even if no container declares it; a named targetPort
 * must be a container port's name with the same protocol, else the Service port gives no inbound.
 */
export function findContainerPort(pod: any, servicePort: any): { port: number; name?: string } | undefined {
  const protocol = servicePort.protocol ?? TCP;
  const target = servicePort.targetPort ?? servicePort.port;
  const containerPorts: any[] = (pod.spec?.containers ?? []).flatMap((c: any) => c.ports ?? []);
  const same = (p: any) => (p.protocol ?? TCP) === protocol;
  if (typeof target === 'string' && !/^[0-9]+$/.test(target)) {
    const found = containerPorts.find((p) => p.name === target && same(p));
    return found === undefined ? undefined : { port: Number(found.containerPort), name: found.name };
  }
  const number = Number(target);
  const found = containerPorts.find((p) => Number(p.containerPort) === number && same(p));
  return found === undefined ? { port: number } : { port: number, name: found.name };
}

/**
 * `findMatchingServices`: the Services of the pod's namespace whose non-empty selector matches its
 * labels and that are not `kuma.io/ignore`d, sorted by name in byte order (Go's `<`). Services
 * without a selector are matched by EndpointSlices, which manifests do not have.
 */
export function servicesSelectingPod(pod: any, services: any[]): any[] {
  const labels: Record<string, string> = pod.metadata?.labels ?? {};
  const namespace = pod.metadata?.namespace;
  return services
    .filter((s) => s.metadata?.namespace === namespace)
    .filter((s) => {
      const selector: Record<string, string> = s.spec?.selector ?? {};
      const keys = Object.keys(selector);
      return keys.length > 0 && keys.every((k) => labels[k] === selector[k]);
    })
    .filter((s) => !isKumaTrue(s.metadata?.annotations?.[ServiceAnnotation.KUMA_IGNORE]))
    .sort((a, b) => byteCompare(String(a.metadata?.name), String(b.metadata?.name)));
}

/** Go's string order: by UTF-8 bytes. */
export function byteCompare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** `InboundTagsForService`. */
function tagsForService(pod: any, service: any, servicePort: any, ctx: DataplaneContext, gatewayEnabled: boolean): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const [key, value] of Object.entries<string>(pod.metadata?.labels ?? {})) {
    if (value !== '' && !key.includes('kuma.io/')) tags[key] = value;
  }
  tags['k8s.kuma.io/namespace'] = pod.metadata?.namespace;
  tags['k8s.kuma.io/service-name'] = service.metadata?.name;
  tags['k8s.kuma.io/service-port'] = String(servicePort.port);
  tags['kuma.io/service'] = kumaServiceTag(service.metadata?.name, service.metadata?.namespace, servicePort.port);
  if (ctx.zone) tags['kuma.io/zone'] = ctx.zone;
  // A delegated gateway (`GetEnabled(kuma.io/gateway)`) only carries the tcp protocol tag.
  const protocol = protocolTagFor(service, servicePort);
  if (!(gatewayEnabled && protocol !== 'tcp')) tags['kuma.io/protocol'] = protocol;
  if (service.spec?.clusterIP === 'None') tags['kuma.io/instance'] = pod.metadata?.name;
  return tags;
}

/** `InboundTagsForPod`: the serviceless inbound's tags (pod labels are copied whole). */
function tagsForPod(pod: any, name: string, ctx: DataplaneContext): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const [key, value] of Object.entries<string>(pod.metadata?.labels ?? {})) if (value !== '') tags[key] = value;
  tags['k8s.kuma.io/namespace'] = pod.metadata?.namespace;
  tags['kuma.io/service'] = `${name}_${pod.metadata?.namespace}_svc`;
  if (ctx.zone) tags['kuma.io/zone'] = ctx.zone;
  tags['kuma.io/protocol'] = 'tcp';
  tags['kuma.io/instance'] = pod.metadata?.name;
  return tags;
}

/** `inboundInterfacesFor`: one inbound per TCP Service port that reaches the pod, else the serviceless one. */
function inboundsFor(pod: any, services: any[], ctx: DataplaneContext, gatewayEnabled: boolean): PredictedInbound[] {
  const inbounds: PredictedInbound[] = [];
  for (const service of services) {
    if (service.spec?.type === 'ExternalName') continue;
    for (const servicePort of service.spec?.ports ?? []) {
      if ((servicePort.protocol ?? TCP) !== TCP) continue;
      const target = findContainerPort(pod, servicePort);
      if (target === undefined) continue;
      inbounds.push({
        port: target.port,
        ...target.name === undefined ? {} : { name: target.name },
        protocol: protocolTagFor(service, servicePort),
        tags: ctx.inboundTags ? tagsForService(pod, service, servicePort, ctx, gatewayEnabled) : {},
        service: service.metadata?.name,
      });
    }
  }
  if (inbounds.length === 0) {
    const name = ctx.workload?.name ?? pod.metadata?.name;
    inbounds.push({ port: SERVICELESS_PORT, protocol: 'tcp', tags: ctx.inboundTags ? tagsForPod(pod, name, ctx) : {} });
  }
  return inbounds;
}

/**
 * The Dataplane Kuma makes of `pod` given the Services that select it, in Kuma's order
 * (`servicesSelectingPod`).
 */
export function predictDataplane(pod: any, services: any[], ctx: DataplaneContext): PredictedDataplane {
  const gateway: string | undefined = ctx.gatewayAnnotation === false ? undefined : pod.metadata?.annotations?.['kuma.io/gateway'];
  if (gateway !== undefined) {
    const gatewayEnabled = isKumaTrue(gateway);
    if (gateway === 'provided' && ctx.workload?.isDeployment) {
      return { gateway: { tags: { 'kuma.io/service-name': `${ctx.workload.name}_${pod.metadata?.namespace}_svc` } } };
    }
    if (gateway !== 'enabled' && gateway !== 'provided') return { error: `invalid delegated gateway type '${gateway}'` };
    return { gateway: { tags: inboundsFor(pod, services, ctx, gatewayEnabled)[0].tags } };
  }
  // Zone-proxy Services make listeners, not inbounds; a zone-proxy-only pod has no inbound.
  const regular = services.filter((s) => s.metadata?.labels?.['k8s.kuma.io/zone-proxy-type'] === undefined);
  if (regular.length === 0 && services.length > 0) return { inbounds: [] };
  const inbounds = inboundsFor(pod, regular, ctx, false);
  // Without tags, inbounds that share a port are one (`deduplicateInboundsByAddressAndPort`).
  return { inbounds: ctx.inboundTags ? inbounds : inbounds.filter((i, n) => inbounds.findIndex((j) => j.port === i.port) === n) };
}
