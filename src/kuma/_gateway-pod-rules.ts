import { isIP } from 'net';
import { IConstruct } from 'constructs';
import { parseKumaBoolean, ParsedBoolean } from './_kuma-boolean';
import { capabilitiesOf } from './_kuma-capabilities';
import { GatewayMarking } from './gateway-marking';
import { KumaVersion } from './kuma-version';
import { KumaAnnotation, KumaLabel } from './well-known';
import { invalid } from '../private/_validation';

/*
 * What Kuma accepts on a delegated gateway's pod template, per version and gateway marking
 * (kumahq/kuma@v2.14.3 pkg/plugins/runtime/k8s/metadata/annotations.go; pkg/plugins/runtime/k8s/controllers/pod_converter.go;
 * pkg/plugins/runtime/k8s/probes/; kumahq/kuma#18662 for 3.x).
 */

// Sources: kumahq/kuma pkg/plugins/runtime/k8s/controllers/pod_converter.go@v2.14.3 (dataplaneFor);
// https://kuma.io/docs/2.14.x/reference/kubernetes-annotations/
/** The value of `kuma.io/gateway` that makes a delegated gateway. */
export const GATEWAY_ENABLED = 'enabled';

// Sources: kumahq/kuma pkg/plugins/runtime/k8s/metadata/annotations.go@v2.14.3 (GetDurationWithDefault: Go time.ParseDuration)
/** Go's `time.ParseDuration` syntax (Kuma's `GetDurationWithDefault`). */
const GO_DURATION = /^[-+]?(0|((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+)$/;
const UINT32 = /^\d+$/;
const ENVOY_LOG_LEVELS = ['trace', 'debug', 'info', 'warning', 'warn', 'error', 'critical', 'off'];

function isPortText(v: string): boolean {
  return /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 65535;
}

/**
 * Whether a pod's containers run Kong's ingress controller (its image,
 * `kong/kubernetes-ingress-controller`): a controller that watches the Kubernetes API.
 */
export function runsKongIngressController(images: string[]): boolean {
  return images.some((i) => /(^|\/)kubernetes-ingress-controller(:|@|$)/.test(i));
}

/** An IP address, or an address and a prefix length. */
export function isIpOrCidr(v: string): boolean {
  const [ip, prefix, extra] = v.split('/');
  const family = isIP(ip);
  return family !== 0 && extra === undefined && (prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= (family === 6 ? 128 : 32)));
}

// Sources: kumahq/kuma@v2.14.3 pkg/plugins/runtime/k8s/metadata/annotations.go (GetMap, GetDurationWithDefault, GetUint32, GetEnabled, GetList);
// pkg/transparentproxy/config/utils.go (parsePort)
/**
 * Why Kuma's injector cannot parse the value of a sidecar annotation this library writes, if it
 * cannot (`GetMap`, `GetDurationWithDefault`, `GetUint32`, `GetEnabled`,
 * `GetList` with `parsePort`, IPs or CIDRs). The injector then fails the pod.
 */
export function sidecarAnnotationProblem(key: string, value: string): string | undefined {
  const list = () => value.split(',').map((v) => v.trim()).filter((v) => v.length > 0);
  switch (key) {
    case KumaAnnotation.SIDECAR_ENV_VARS:
      return value === '' || value.split(';').every((pair) => pair.split('=').length === 2)
        ? undefined : 'is not KEY=VALUE pairs separated by ";" (Kuma: "invalid format. Map in ... has to be provided in the following format: key1=value1;key2=value2")';
    case KumaAnnotation.SIDECAR_DRAIN_TIME:
      return GO_DURATION.test(value) ? undefined : 'is not a Go duration such as "30s"';
    case KumaAnnotation.ENVOY_ADMIN_PORT:
    case KumaAnnotation.SIDECAR_PROXY_CONCURRENCY:
      return UINT32.test(value) && Number(value) <= 4294967295 ? undefined : 'is not an unsigned 32-bit integer';
    case KumaAnnotation.EXCLUDE_OUTBOUND_PORTS:
    case KumaAnnotation.EXCLUDE_INBOUND_PORTS:
      return list().every(isPortText) ? undefined : 'is not a comma-separated list of ports from 1 to 65535 (ranges are not read)';
    case KumaAnnotation.EXCLUDE_OUTBOUND_IPS:
    case 'traffic.kuma.io/exclude-inbound-ips':
      return list().every(isIpOrCidr) ? undefined : 'is not a comma-separated list of IP addresses or CIDRs';
    case KumaAnnotation.INIT_FIRST:
    case KumaAnnotation.WAIT_FOR_DATAPLANE_READY:
      return parseKumaBoolean(value) !== undefined ? undefined : 'is not a boolean Kuma parses (true, false, enabled, disabled)';
    case KumaAnnotation.ENVOY_LOG_LEVEL:
      return ENVOY_LOG_LEVELS.includes(value) ? undefined : `is not an Envoy log level (${ENVOY_LOG_LEVELS.join(', ')})`;
    default:
      return undefined;
  }
}

const CORRECT_VALUE = 'Correct the value, or set it through the gateway\'s options.';

/** Why a pod annotation cannot stay on a delegated gateway pod, if it cannot. */
export function refusedPodAnnotation(key: string, value: string, version: KumaVersion, marking: GatewayMarking):
{ problem: string; fix: string } | undefined {
  const remove = 'Remove it from the pod template.';
  const unparsable = sidecarAnnotationProblem(key, value);
  if (unparsable !== undefined) {
    return { problem: `${unparsable}, so Kuma's injector fails the pod`, fix: CORRECT_VALUE };
  }
  switch (key) {
    case KumaAnnotation.GATEWAY:
      if (marking === GatewayMarking.EXCLUDED_INBOUND_PORTS) {
        return !capabilitiesOf(version).gatewayMarkings.includes(GatewayMarking.GATEWAY_ANNOTATION) ? {
          problem: 'is removed in Kuma 3.x (kumahq/kuma#18662): a gateway is an ordinary Dataplane that keeps its listener ports out of inbound redirection',
          fix: 'Remove it; the gateway writes traffic.kuma.io/exclude-inbound-ports with its ports.',
        } : {
          problem: 'turns inbound redirection off and makes a 2.x delegated gateway, but this gateway is marked the 3.x way (GatewayMarking.EXCLUDED_INBOUND_PORTS)',
          fix: 'Remove it, or use GatewayMarking.GATEWAY_ANNOTATION.',
        };
      }
      return value === GATEWAY_ENABLED ? undefined : {
        problem: 'is not "enabled", the only delegated-gateway value: Kuma 2.x\'s injector rejects "provided", 3.0 drops it, and other values do not make a delegated gateway',
        fix: 'Remove it; the gateway sets kuma.io/gateway: enabled.',
      };
    case KumaAnnotation.VIRTUAL_PROBES:
      return parseKumaBoolean(value) !== ParsedBoolean.TRUE ? undefined : {
        problem: 'makes injection fail on a gateway pod ("virtual probes can\'t be enabled in gateway mode")', fix: remove,
      };
    case KumaAnnotation.APPLICATION_PROBE_PROXY_PORT:
      return value === '0' ? undefined : {
        problem: 'makes injection fail on a gateway pod ("application probe proxies probes can\'t be enabled in gateway mode")',
        fix: 'Remove it or set it to "0".',
      };
    case KumaAnnotation.SIDECAR_INJECTED:
      return { problem: 'is written by Kuma\'s injector to mark injected pods; set by hand it makes Kuma treat a pod as injected', fix: remove };
    case KumaAnnotation.EXCLUDE_INBOUND_PORTS:
      return marking === GatewayMarking.EXCLUDED_INBOUND_PORTS ? undefined
        : { problem: 'has no effect on a delegated gateway: Kuma does not redirect its inbound traffic', fix: remove };
    case KumaLabel.SIDECAR_INJECTION:
      return { problem: 'is an annotation, which Kuma has not read since 2.2: injection is a label', fix: 'Remove it; the gateway sets the label.' };
    case KumaLabel.MESH:
      return capabilitiesOf(version).meshAnnotation ? undefined : {
        problem: `is an annotation, which Kuma 2.8+ treats as deprecated and 3.0 ignores (target ${version}): the mesh is a label`,
        fix: 'Remove it; the gateway sets the label.',
      };
    case 'kuma.io/builtindns':
    case 'kuma.io/builtindnsport':
      return { problem: 'is no longer supported and ignored by Kuma', fix: 'Remove it (the current key is kuma.io/builtin-dns).' };
    case 'kuma.io/transparent-proxying-ip-family-mode':
      return value === 'dualstack' || value === 'ipv4' ? undefined : { problem: 'is not "dualstack" or "ipv4"', fix: 'Use "dualstack" or "ipv4".' };
    case KumaAnnotation.REACHABLE_SERVICES:
      return undefined;
    default:
      return key.startsWith('kuma.io/transparent-proxying') ? {
        problem: 'is set by Kuma\'s injector; a per-pod value is ignored or unsupported', fix: remove,
      } : undefined;
  }
}

export function checkIpOrCidr(scope: IConstruct, field: string, value: string): void {
  if (!isIpOrCidr(value)) {
    throw invalid(scope, field, value, 'is not an IP address or CIDR', 'Use a form such as "10.0.0.0/8" or "2001:db8::1".');
  }
}
