import { FindingSeverity } from '../finding';
import { kumaPolicies3x } from './_kuma-objects';
import { RuleDefinition } from './rule';

/*
 * One of the blockers that keep 2.x manifests from working on Kuma 3.x (kumahq/kuma#18662;
 * annotations.go at v2.14.3 vs 348b6528bc; Kuma's UPGRADE.md for 3.0, test/conformance/kuma/crds/3.0
 * schemas), each with its own rule; the mechanical ones carry the edit that resolves them. Run with
 * `--kuma-version 3.0` before upgrading: Kong's kuma3-preflight audits a running control plane,
 * these audit the manifests before anything is applied.
 */

export const KUMA015: RuleDefinition = {
  id: 'KUMA015',
  name: 'policy-from-removed',
  severity: FindingSeverity.ERROR,
  fixable: false,
  summary: 'Kuma 3.x: a policy with spec.from, which 3.x removed (MeshTrafficPermission uses rules matching SPIFFE IDs).',
  rationale: 'Kuma 3.0\'s policy CRDs no longer have `spec.from`, so the API server prunes it on apply and the policy loses its sources; a MeshTrafficPermission left without `rules` is then refused (`policy must define rules`).',
  restsOn: 'Reads every `kuma.io/v1alpha1` object other than Mesh for a `spec.from` list, with `--kuma-version 3.0`; silent on 2.x, where `from` is valid.',
  fix: 'For a MeshTrafficPermission, let the clients in through `spec.rules[].default.allow` matching their SPIFFE IDs; for other policies, move the settings to `spec.rules` (incoming traffic) or `spec.to` (outgoing traffic).',
  exampleFlags: ['--kuma-version', '3.0'],
  sources: [
    'kumahq/kuma UPGRADE.md@348b6528bc',
    'kumahq/kuma deployments/charts/kuma/crds/kuma.io_meshtrafficpermissions.yaml@348b6528bc',
  ],
  check: (ctx, report) => {
    const { caps } = ctx;
    const v = caps.version.toString();
    for (const { m, o, spec } of kumaPolicies3x(ctx)) {
      if (Array.isArray(spec.from)) {
        report(m, `has spec.from, which Kuma ${v} removed from ${o.kind}: the API server prunes it and the policy loses its sources`,
          o.kind === 'MeshTrafficPermission' ? 'Use spec.rules with default.allow matching the clients\' SPIFFE IDs (GatewayTrafficPermission writes them).'
            : 'Move the configuration to spec.rules (inbound) or spec.to (outbound).', { at: ['spec', 'from'] });
      }
    }
  },
};
