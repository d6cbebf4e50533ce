import { GatewayMarking } from '../../kuma/gateway-marking';
import { KumaAnnotation } from '../../kuma/well-known';
import { podMetadataPath, podTemplateOf } from '../../model/_manifests';
import { FindingSeverity } from '../finding';
import { RuleDefinition } from './rule';

/*
 * One of the blockers that keep 2.x manifests from working on Kuma 3.x (kumahq/kuma#18662;
 * annotations.go at v2.14.3 vs 348b6528bc; Kuma's UPGRADE.md for 3.0, test/conformance/kuma/crds/3.0
 * schemas), each with its own rule; the mechanical ones carry the edit that resolves them. Run with
 * `--kuma-version 3.0` before upgrading: Kong's kuma3-preflight audits a running control plane,
 * these audit the manifests before anything is applied.
 */

export const KUMA014: RuleDefinition = {
  id: 'KUMA014',
  name: 'gateway-annotation-removed',
  severity: FindingSeverity.ERROR,
  fixable: true,
  summary: 'Kuma 3.x: kuma.io/gateway on a pod. Kuma 3.x removed it; the gateway must keep its listener ports out of inbound redirection (traffic.kuma.io/exclude-inbound-ports).',
  rationale: 'Kuma 3.x removed `kuma.io/gateway` (kumahq/kuma#18662): the pods become ordinary Dataplanes whose sidecar redirects the inbound traffic of their listener ports, and whose Services Kuma no longer skips, so clients outside the mesh reach the gateway through the sidecar\'s inbound, which refuses plaintext where the mesh requires mTLS. A 3.x gateway keeps its listener ports out of inbound redirection with `traffic.kuma.io/exclude-inbound-ports`.',
  restsOn: 'Reads `kuma.io/gateway` (any value) on pod templates, with `--kuma-version 3.0`; silent on 2.x, where the annotation marks delegated gateways (KUMA005, KUMA006). The ports it proposes are the containers\' `containerPort`s, merged with any existing exclusion list.',
  fix: 'Replace `kuma.io/gateway` with `traffic.kuma.io/exclude-inbound-ports` listing the gateway\'s listener ports, and annotate its Services `kuma.io/ignore: "true"` unless they are mesh destinations; `cdk8s-kuma lint --fix` makes the swap when the containers declare their ports.',
  exampleFlags: ['--kuma-version', '3.0'],
  sources: [
    'kumahq/kuma#18662',
    'https://developer.konghq.com/mesh/migrate-gateways-to-3/',
  ],
  check: (ctx, report) => {
    const { index, caps } = ctx;
    const v = caps.version.toString();
    if (!caps.gatewayMarkings.includes(GatewayMarking.GATEWAY_ANNOTATION)) {
      for (const pod of index.pods) {
        const value = pod.annotations[KumaAnnotation.GATEWAY];
        if (value === undefined) continue;
        const spec = podTemplateOf(pod.manifest.obj)?.spec;
        const ports = [...spec?.containers ?? [], ...spec?.initContainers ?? []]
          .flatMap((c: any) => (c.ports ?? []).map((p: any) => p.containerPort))
          .filter((p: unknown) => Number.isInteger(p));
        const existing = String(pod.annotations[KumaAnnotation.EXCLUDE_INBOUND_PORTS] ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '');
        const merged = [...existing, ...ports.map(String).filter((p: string) => !existing.includes(p))];
        const meta = podMetadataPath(pod.manifest.obj)!;
        report(pod.manifest,
          `carries kuma.io/gateway: ${JSON.stringify(value)}, which Kuma ${v} removed (kumahq/kuma#18662): its pods become ordinary Dataplanes whose inbound traffic the sidecar takes`,
          ports.length > 0
            ? `Replace it with traffic.kuma.io/exclude-inbound-ports: "${merged.join(',')}" (its container ports), and mark its Services kuma.io/ignore: "true" unless they are mesh destinations.`
            : 'Replace it with traffic.kuma.io/exclude-inbound-ports listing the ports the gateway serves (its containers declare none), and mark its Services kuma.io/ignore: "true" unless they are mesh destinations.',
          {
            at: [...meta, 'annotations', KumaAnnotation.GATEWAY],
            edit: ports.length === 0 ? undefined : {
              target: pod.manifest,
              ops: [
                { op: 'delete', path: [...meta, 'annotations', KumaAnnotation.GATEWAY] },
                { op: 'set', path: [...meta, 'annotations', KumaAnnotation.EXCLUDE_INBOUND_PORTS], value: merged.join(',') },
              ],
            },
          });
      }
    }
  },
};
