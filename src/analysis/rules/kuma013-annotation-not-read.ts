import { firstVersionDeclaring, removedIn, unreadKeyReason } from '../../kuma/_kuma-capabilities';
import { KumaAnnotation, KumaLabel } from '../../kuma/well-known';
import { Manifest } from '../../model/_manifests';
import { FindingSeverity } from '../finding';
import { Report, RuleContext, RuleDefinition } from './rule';

/*
 * KUMA013: a `kuma.io/` or `traffic.kuma.io/` annotation that Kuma's annotation catalogue for the
 * target version does not have (kumahq/kuma annotations.go per release line, copied into
 * src/imports/kuma-catalogue.ts): Kuma ignores it, so the setting it stands for silently does not
 * happen. Labels are left alone: users put their own `*.kuma.io/` labels on workloads as tags.
 */

export const KUMA013: RuleDefinition = {
  id: 'KUMA013',
  name: 'annotation-not-read',
  severity: FindingSeverity.WARNING,
  fixable: false,
  summary: 'A kuma.io/ or traffic.kuma.io/ annotation that Kuma\'s annotation catalogue for the target version does not have (removed, not yet added, or misspelt): Kuma ignores it.',
  severityNote: 'A warning for an annotation key the target version does not read; an error for a Namespace annotated `kuma.io/sidecar-injection` that lacks the label, since none of its pods is injected.',
  rationale: 'Kuma reads only the annotation keys its Kubernetes plugin declares for the release (`annotations.go`) and ignores any other `kuma.io/` or `traffic.kuma.io/` key without an error, so a misspelt, removed or not-yet-added key silently changes nothing. Injection is read from the `kuma.io/sidecar-injection` label only, so a Namespace that has it only as an annotation gets none of its pods injected.',
  restsOn: 'Reads `kuma.io/` and `traffic.kuma.io/` annotations on pod templates, Services and Namespaces against the catalogue of the `--kuma-version` release line; `kuma.io/mesh`, `kuma.io/gateway` and `kuma.io/transparent-proxying-reachable-services` are left to KUMA007, KUMA005/006/014 and KUMA019. Labels, workload-level annotations and other prefixes (such as `prometheus.metrics.kuma.io/`) are not checked.',
  fix: 'Spell the key as Kuma\'s annotation reference does, remove it, or use what the target version reads instead (the finding names the replacement of a removed key); make `kuma.io/sidecar-injection` a Namespace label.',
  exampleFlags: ['--kuma-version', '2.14'],
  sources: [
    'kumahq/kuma pkg/plugins/runtime/k8s/metadata/annotations.go@v2.14.3',
    'kumahq/kuma pkg/plugins/runtime/k8s/metadata/annotations.go@348b6528bc',
    'kumahq/kuma deployments/charts/kuma/templates/cp-webhooks-and-secrets.yaml@v2.14.3',
    'https://developer.konghq.com/mesh/annotations',
  ],
  check: (ctx, report) => unreadKeys(ctx, report),
};

function unreadKeys(ctx: RuleContext, report: Report): void {
  const { index, version } = ctx;
  const check = (m: Manifest, where: string, annotations: Record<string, unknown>, metadata: readonly string[] = ['metadata']) => {
    for (const key of Object.keys(annotations ?? {}).sort()) {
      // kuma.io/mesh, kuma.io/gateway and reachable services have rules of their own (KUMA007, KUMA005/006/014, KUMA019).
      if (!/^(traffic\.)?kuma\.io\//.test(key) || key === KumaLabel.MESH || key === KumaAnnotation.GATEWAY || key === KumaAnnotation.REACHABLE_SERVICES) continue;
      const reason = unreadKeyReason(version, key);
      if (reason === undefined) continue;
      report(m,
        `${where} annotation ${key} ${reason}, so it has no effect`,
        removedIn(version, key) !== undefined
          ? `Remove it, or replace it with what Kuma ${version} reads instead (${replacementOf(key)}).`
          : firstVersionDeclaring(key) !== undefined
            ? 'Remove it, or target the Kuma version that reads it (--kuma-version).'
            : `Spell it as Kuma's annotation reference does${nearestKey(ctx, key)}, or remove it.`,
        { at: [...metadata, 'annotations', key] });
    }
  };
  for (const pod of index.pods) check(pod.manifest, 'pod', pod.annotations, pod.metadataPath);
  for (const svc of index.services) check(svc, 'Service', svc.obj.metadata?.annotations);
  for (const ns of index.namespaces.values()) check(ns, 'Namespace', ns.obj.metadata?.annotations);
  // kuma.io/sidecar-injection is in the catalogue as a label: as an annotation no supported Kuma
  // reads it (labels only since 2.2, kumahq/kuma pkg/plugins/runtime/k8s/webhooks/injector), so a
  // namespace "enabled" that way injects nothing.
  for (const ns of index.namespaces.values()) {
    const value = ns.obj.metadata?.annotations?.[KumaLabel.SIDECAR_INJECTION];
    if (value === undefined) continue;
    const labelled = ns.obj.metadata?.labels?.[KumaLabel.SIDECAR_INJECTION] !== undefined;
    report(ns,
      `annotation ${KumaLabel.SIDECAR_INJECTION} ${JSON.stringify(value)} is not read by any supported Kuma version (injection is a label)${labelled ? '' : ', and the namespace has no such label, so Kuma injects none of its pods'}`,
      'Make it the label kuma.io/sidecar-injection and remove the annotation.',
      { severity: labelled ? FindingSeverity.WARNING : FindingSeverity.ERROR, at: ['metadata', 'annotations', KumaLabel.SIDECAR_INJECTION] });
  }
}

// Sources: kumahq/kuma UPGRADE.md@348b6528bc ("Upgrade to `3.0.0`"); pkg/plugins/runtime/k8s/metadata/annotations.go v2.14.3 vs 348b6528bc;
// kumahq/kuma#18662
/** What replaces a key Kuma removed (UPGRADE-3.0-dev.md). */
function replacementOf(key: string): string {
  switch (key) {
    case KumaAnnotation.REACHABLE_SERVICES: return 'kuma.io/reachable-backends';
    case KumaLabel.MESH: return 'the kuma.io/mesh label';
    case KumaAnnotation.VIRTUAL_PROBES: return 'kuma.io/application-probe-proxy-port';
    case 'prometheus.metrics.kuma.io/port':
    case 'prometheus.metrics.kuma.io/path': return 'a MeshMetric policy';
    default: return 'see Kuma\'s UPGRADE.md';
  }
}

/** ` (did you mean <key>?)` for a key a few letters away from one the target version reads, else nothing. */
function nearestKey(ctx: RuleContext, key: string): string {
  let best: { key: string; distance: number } | undefined;
  for (const k of ctx.caps.metadataKeys) {
    const d = editDistance(key, k);
    if (d <= 3 && (best === undefined || d < best.distance || (d === best.distance && k < best.key))) best = { key: k, distance: d };
  }
  return best === undefined ? '' : ` (did you mean ${best.key}?)`;
}

/** Levenshtein distance: insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    previous = row;
  }
  return previous[b.length];
}
