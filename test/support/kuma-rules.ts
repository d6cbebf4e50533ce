/**
 * Kuma's own rules on what it reads (kumahq/kuma@v2.14.3 annotations.go, pod_converter.go, mesh/validators.go), checked on synthesized objects,
 * on top of the schema validator: tag and name regexes, port ranges, delegated-gateway pods.
 * Returns one message per violation.
 */
const TAG_KEY = /^[a-zA-Z0-9.\-_:/]+$/;
const TAG_VALUE = /^[a-zA-Z0-9.\-_:]+$/;
const MESH_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const ENV_VARS = /^[^=;]+=[^=;]*(;[^=;]+=[^=;]*)*$/;
const TRUE_VALUES = ['enabled', 'true', 'yes'];

const isPort = (p: unknown) => Number.isInteger(p) && (p as number) >= 1 && (p as number) <= 65535;

function walk(value: any, visit: (key: string, v: any, path: string) => void, path = ''): void {
  if (Array.isArray(value)) {value.forEach((v, i) => walk(v, visit, `${path}[${i}]`));} else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      visit(k, v, `${path}.${k}`);
      walk(v, visit, `${path}.${k}`);
    }
  }
}

function podTemplate(obj: any): any {
  if (obj.kind === 'Pod') return obj;
  if (obj.kind === 'CronJob') return obj.spec?.jobTemplate?.spec?.template;
  return obj.spec?.template;
}

export function kumaRuleViolations(manifests: any[], options: { kuma3?: boolean } = {}): string[] {
  const out: string[] = [];
  for (const obj of manifests) {
    const id = `${obj.kind} ${obj.metadata?.namespace ?? ''}/${obj.metadata?.name}`;
    const mesh = obj.metadata?.labels?.['kuma.io/mesh'];
    if (mesh !== undefined && (!MESH_NAME.test(mesh) || mesh.length > 63)) out.push(`${id}: kuma.io/mesh label ${JSON.stringify(mesh)} is not a mesh name`);

    if (obj.apiVersion === 'kuma.io/v1alpha1') {
      walk(obj.spec, (k, v, path) => {
        if (k === 'tags' && v && typeof v === 'object') {
          for (const [tk, tv] of Object.entries(v)) {
            if (!TAG_KEY.test(tk) || typeof tv !== 'string' || !TAG_VALUE.test(tv)) out.push(`${id}: tag ${tk}=${JSON.stringify(tv)} at ${path} breaks Kuma's tag regexes`);
          }
        }
        if (k === 'labels' && v && typeof v === 'object') {
          for (const [lk, lv] of Object.entries(v)) {
            if (typeof lv !== 'string' || lv.length > 63 || !LABEL_VALUE.test(lv)) out.push(`${id}: label ${lk}=${JSON.stringify(lv)} at ${path} is not a label value`);
          }
        }
        if ((k === 'port') && typeof v === 'number' && !isPort(v)) out.push(`${id}: port ${v} at ${path} is outside 1..65535`);
      });
      if (['MeshService', 'MeshExternalService', 'MeshMultiZoneService'].includes(obj.kind) && String(obj.metadata?.name).length > 63) {
        out.push(`${id}: ${obj.kind} names are at most 63 characters`);
      }
    }

    if (obj.apiVersion === 'v1' && obj.kind === 'Service') {
      for (const p of obj.spec?.ports ?? []) {
        if (!isPort(p.port)) out.push(`${id}: Service port ${p.port} is outside 1..65535`);
        if (typeof p.targetPort === 'number' && !isPort(p.targetPort)) out.push(`${id}: targetPort ${p.targetPort} is outside 1..65535`);
      }
      for (const key of ['ingress.kubernetes.io/service-upstream', 'nginx.ingress.kubernetes.io/service-upstream']) {
        const v = obj.metadata?.annotations?.[key];
        if (v !== undefined && v !== 'true') out.push(`${id}: ${key} is ${JSON.stringify(v)}, not "true"`);
        if (v !== undefined && obj.spec?.type === 'ExternalName') out.push(`${id}: an ExternalName Service carries ${key}`);
      }
      if (obj.spec?.type === 'ExternalName') {
        const name = String(obj.spec.externalName ?? '');
        if (name.length > 253 || !DNS_SUBDOMAIN.test(name)) out.push(`${id}: externalName ${JSON.stringify(name)} is not a DNS name`);
        if ((obj.spec.ports ?? []).length > 0) out.push(`${id}: the ExternalName Service declares ports`);
      }
    }

    const tpl = podTemplate(obj);
    const gw = tpl?.metadata?.annotations?.['kuma.io/gateway'];
    // Kuma 3.x: no kuma.io/gateway (kumahq/kuma#18662); a gateway keeps its ports out of inbound redirection.
    const excludedInbound = tpl?.metadata?.annotations?.['traffic.kuma.io/exclude-inbound-ports'];
    if (options.kuma3 && gw !== undefined) out.push(`${id}: kuma.io/gateway, which Kuma 3.x removed`);
    if (excludedInbound !== undefined) {
      for (const p of String(excludedInbound).split(',')) if (!isPort(Number(p))) out.push(`${id}: excluded inbound port ${p} is not a port`);
    }
    if (gw !== undefined || (options.kuma3 && excludedInbound !== undefined)) {
      const a = tpl.metadata.annotations;
      if (!options.kuma3 && gw !== 'enabled') out.push(`${id}: kuma.io/gateway ${JSON.stringify(gw)} is not a delegated gateway`);
      if (TRUE_VALUES.includes(a['kuma.io/virtual-probes'])) out.push(`${id}: virtual probes enabled on a gateway pod`);
      if (a['kuma.io/application-probe-proxy-port'] !== undefined && a['kuma.io/application-probe-proxy-port'] !== '0') out.push(`${id}: application probe proxy on a gateway pod`);
      if (gw !== undefined && excludedInbound !== undefined) out.push(`${id}: exclude-inbound-ports on a kuma.io/gateway pod, where it has no effect`);
      if (a['kuma.io/sidecar-env-vars'] !== undefined && !ENV_VARS.test(a['kuma.io/sidecar-env-vars'])) out.push(`${id}: sidecar-env-vars ${JSON.stringify(a['kuma.io/sidecar-env-vars'])} is not K=V;K2=V2`);
      for (const p of String(a['traffic.kuma.io/exclude-outbound-ports'] ?? '').split(',').filter((x) => x !== '')) {
        if (!isPort(Number(p))) out.push(`${id}: excluded outbound port ${p} is not a port`);
      }
      const admin = Number(a['kuma.io/envoy-admin-port'] ?? 9901);
      const containers = [...tpl.spec?.containers ?? [], ...tpl.spec?.initContainers ?? []];
      const containerPorts = containers.flatMap((c: any) => (c.ports ?? []).map((p: any) => p.containerPort));
      if (!isPort(admin) || containerPorts.includes(admin)) out.push(`${id}: Envoy admin port ${admin} is not a free port of the pod`);
      if (tpl.metadata?.labels?.['kuma.io/sidecar-injection'] !== 'enabled') out.push(`${id}: a gateway pod without kuma.io/sidecar-injection: enabled`);
    }
  }
  return out;
}
