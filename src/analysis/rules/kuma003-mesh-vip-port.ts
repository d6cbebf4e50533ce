import { describe } from '../../model/_manifests';
import { FindingSeverity } from '../finding';
import { RuleDefinition } from './rule';

export const KUMA003: RuleDefinition = {
  id: 'KUMA003',
  name: 'mesh-vip-port',
  severity: FindingSeverity.ERROR,
  fixable: false,
  summary: 'A route sends to an ExternalName Service pointing at a .mesh name on a port other than 80, the only port .mesh VIPs listen on.',
  rationale: 'A `.mesh` name resolves to a Kuma VIP whose outbound listener for a mesh service listens only on the control plane\'s `dnsServer.serviceVipPort`, 80 by default, whatever the service\'s own port. A request to any other port of the VIP matches no outbound listener and fails.',
  restsOn: 'Reads Ingress and HTTPRoute backends that are ExternalName Services whose `externalName` ends in `.mesh`, and the port number the route gives. Runs on every `--kuma-version` (on 3.x KUMA010 reports the same Service too) and needs no gateway in the set; it assumes the default VIP port 80 and is silent when the route names the port by name.',
  fix: 'Use port 80 as the route\'s backend port; the service\'s own port stays in the `.mesh` name (`<name>.<namespace>.svc.<port>.mesh`).',
  exampleFlags: ['--kuma-version', '2.14'],
  sources: [
    'kumahq/kuma pkg/config/dns-server/config.go@v2.14.3',
    'kumahq/kuma pkg/xds/topology/dns.go@v2.14.3',
    'kumahq/kuma pkg/dns/vips_allocator.go@v2.14.3',
  ],
  check: (ctx, report) => {
    for (const b of ctx.backends) {
      const o = ctx.index.service(b.namespace, b.service)?.obj;
      if (o?.spec?.type !== 'ExternalName') continue;
      const name = String(o.spec.externalName ?? '');
      if (!name.endsWith('.mesh') || b.port === undefined || b.port === 80) continue;
      report(b.route,
        `sends to ${describe(o)} (${name}) on port ${b.port}, but .mesh VIPs listen on port 80 only, whatever the service's port`,
        { api: 'Use port 80 in the route (CrossZoneExternalName.toIngressBackend() does).', cli: 'Use port 80 in the route.' }, { at: [...b.path, 'port'] });
    }
  },
};
