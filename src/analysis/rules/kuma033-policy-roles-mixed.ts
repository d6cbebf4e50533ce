import { FindingSeverity } from '../finding';
import { policyRoles } from './_policy-roles';
import { RuleDefinition } from './rule';

/*
 * KUMA033: a policy whose `to[]` items mix producer and consumer items, which Kuma's webhook
 * refuses ("it's not allowed to mix producer and consumer items in the same policy"), and in 2.x
 * one with both `from` and `to`.
 */

export const KUMA033: RuleDefinition = {
  id: 'KUMA033',
  name: 'policy-roles-mixed',
  severity: FindingSeverity.ERROR,
  fixable: false,
  summary: 'A policy mixes producer to[] items (a MeshService named by its name, or in 3.x by kuma.io/display-name only, in the policy\'s own namespace) with consumer items, or (2.x) has both from and to: Kuma 2.9+ refuses it at admission.',
  rationale: 'From 2.9 Kuma computes a role for every policy outside its system namespace: a `to[]` item naming a MeshService of the policy\'s own namespace (by name in 2.x; in 3.x by `kuma.io/display-name`, optionally with `k8s.kuma.io/namespace`, alone) is a producer item, any other a consumer item. Its webhook refuses a policy that mixes them ("it\'s not allowed to mix producer and consumer items in the same policy") and, in 2.x, one with both `from` and `to`, so the policy is never stored.',
  restsOn: 'Reads namespaced `kuma.io/v1alpha1` policies with `--kuma-version` 2.9 or later, outside the control plane\'s namespace (from `--control-plane-namespace` or `--distribution`; without them, policies in `kuma-system` and `kong-mesh-system` are skipped and other namespaces are assumed not to be it). From 2.11 a MeshHTTPRoute item counts as a producer item too.',
  fix: 'Split the policy into a consumer policy in the clients\' namespace and a producer policy in the service\'s namespace, or make every item a consumer item (2.x: select own-namespace MeshServices by labels; 3.x: add one more label such as `kuma.io/mesh`).',
  exampleFlags: ['--kuma-version', '2.14'],
  sources: [
    'kumahq/kuma pkg/core/resources/labels/compute.go@v2.14.3',
    'kumahq/kuma pkg/core/resources/labels/compute.go@348b6528bc',
    'kumahq/kuma pkg/core/resources/model/resource.go@2.9.0',
  ],
  check: (ctx, report) => {
    const { caps } = ctx;
    for (const { m, computed, assumed, shape } of policyRoles(ctx)) {
      if (!('error' in computed)) continue;
      report(m,
        `is refused by Kuma ${caps.version}'s webhook: "${computed.error}"${assumed}. A to[] item that names a MeshService${shape === 'labels' ? ' by kuma.io/display-name (and k8s.kuma.io/namespace) only' : ' by name'} in the policy's own namespace is a producer item (for every client of that service), any other a consumer item (for the proxies the policy selects)`,
        shape === 'labels'
          ? 'Split it into a consumer policy (in the clients\' namespace; select its own-namespace MeshServices with one more label, such as kuma.io/mesh) and a producer policy (in the service\'s namespace).'
          : 'Split it into a consumer policy (select its own-namespace MeshServices by labels kuma.io/display-name and k8s.kuma.io/namespace) and a producer policy (in the service\'s namespace).', { at: ['spec', 'to'] });
    }
  },
};
