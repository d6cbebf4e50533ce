import { KumaProtocol } from '../../kuma/kuma-protocol';
import { FindingSeverity } from '../finding';
import { RuleDefinition } from './rule';

/** The Kubernetes-standard names of cleartext HTTP/2 (KEP-3726), which Kuma calls http2. */
const H2C = new Set(['kubernetes.io/h2c', 'h2c']);

// Sources: kumahq/kuma pkg/plugins/runtime/k8s/controllers/inbound_converter.go@v2.14.3 ProtocolTagFor (an unknown appProtocol is ignored)
export const KUMA027: RuleDefinition = {
  id: 'KUMA027',
  name: 'app-protocol-not-parsed',
  severity: FindingSeverity.WARNING,
  fixable: false,
  summary: 'A Service of meshed pods gives a port the appProtocol kubernetes.io/h2c (or h2c), which Kuma does not parse: it treats the port as tcp, where http2 was meant.',
  rationale: 'Kuma takes a Service port\'s protocol from `appProtocol` only when it is one of its own names (http, http2, grpc, tcp, tls, kafka, mysql) and otherwise ignores it, so `kubernetes.io/h2c` leaves the port as `tcp`: the sidecars build a TCP listener there, and HTTP/2 policies such as routes, retries and per-request timeouts do not apply.',
  restsOn: 'Reads Service ports whose `appProtocol` is `kubernetes.io/h2c` or `h2c`, for Services that select pods known to be meshed. Runs on every `--kuma-version`.',
  fix: 'Set the port\'s `appProtocol` to `http2`.',
  exampleFlags: ['--kuma-version', '2.14'],
  sources: [
    'kumahq/kuma pkg/plugins/runtime/k8s/controllers/inbound_converter.go@v2.14.3',
    'kumahq/kuma pkg/core/metadata/protocol.go@v2.14.3',
  ],
  check: (ctx, report) => {
    for (const svc of ctx.index.services) {
      const ports = (svc.obj.spec?.ports ?? []).filter((p: any) => H2C.has(String(p?.appProtocol)));
      if (ports.length === 0 || !ctx.index.selectedPods(svc.obj).some((p) => ctx.index.meshed(p) === true)) continue;
      for (const port of ports) {
        const i = svc.obj.spec.ports.indexOf(port);
        const meant = 'http2';
        report(svc,
          `gives port ${port.port} appProtocol ${port.appProtocol}, which Kuma does not parse (it reads ${Object.values(KumaProtocol).join(', ')}): it ignores it and treats the port as tcp, so HTTP/2 policies (routes, retries, timeouts per request) do not apply to the meshed pods behind it`,
          { api: `Set appProtocol: ${meant} (MeshService's KumaProtocol.HTTP2 in an app).`, cli: `Set appProtocol: ${meant}.` },
          { at: ['spec', 'ports', i, 'appProtocol'] });
      }
    }
  },
};
