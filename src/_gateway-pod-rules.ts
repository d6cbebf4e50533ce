import { isIP } from 'net';
import { IConstruct } from 'constructs';
import { parseKumaBoolean, ParsedBoolean } from './_kuma-boolean';
import { invalid } from './_validation';
import { KumaVersion } from './kuma-version';
import { KumaAnnotation, KumaLabel } from './well-known';

/*
 * What Kuma accepts on a delegated gateway's pod template, per version (kuma-facts §1.3, §1.5;
 * ecosystem.md §4.6 for 3.0).
 */

/** The value of `kuma.io/gateway` that makes a delegated gateway (kuma-facts §1.5). */
export const GATEWAY_ENABLED = 'enabled';

/** Why a pod annotation cannot stay on a delegated gateway pod, if it cannot. */
export function refusedPodAnnotation(key: string, value: string, version: KumaVersion): { problem: string; fix: string } | undefined {
  const remove = 'Remove it from the pod template.';
  switch (key) {
    case KumaAnnotation.GATEWAY:
      if (version.atLeast(3, 0)) {
        // 3.0: a boolean; `provided` is gone and false values opt out (ecosystem.md §4.6).
        return parseKumaBoolean(value) === ParsedBoolean.TRUE ? undefined : {
          problem: 'is not a true value of Kuma 3.0\'s boolean kuma.io/gateway ("provided" is gone; false values make a regular Dataplane with inbounds)',
          fix: 'Remove it; the gateway sets kuma.io/gateway: enabled.',
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
      return { problem: 'has no effect on a delegated gateway: Kuma does not redirect its inbound traffic', fix: remove };
    case KumaLabel.SIDECAR_INJECTION:
      return { problem: 'is an annotation, which Kuma has not read since 2.2: injection is a label', fix: 'Remove it; the gateway sets the label.' };
    case KumaLabel.MESH:
      return !version.atLeast(2, 8) ? undefined : {
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
  const [ip, prefix, extra] = value.split('/');
  const family = isIP(ip);
  const max = family === 6 ? 128 : 32;
  const prefixOk = prefix === undefined || (/^[0-9]+$/.test(prefix) && Number(prefix) <= max);
  if (family === 0 || !prefixOk || extra !== undefined) {
    throw invalid(scope, field, value, 'is not an IP address or CIDR', 'Use a form such as "10.0.0.0/8" or "2001:db8::1".');
  }
}
