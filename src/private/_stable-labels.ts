import { ApiObjectMetadataDefinition } from 'cdk8s';
import { IConstruct } from 'constructs';
import { warn } from './_warnings';

/*
 * cdk8s-plus selects a workload's pods by `cdk8s.io/metadata.addr`, a label derived from the
 * construct path (cdk8s-plus-28 pod.ts `matchLabels`). Policies that select Dataplanes by it are
 * unreadable in review and change whenever a construct is renamed. Kuma copies every pod label to
 * the Dataplane, so a policy can select the pods by the workload's own stable labels instead.
 */

/** The label cdk8s-plus selects pods by. */
export const CDK8S_ADDRESS_LABEL = 'cdk8s.io/metadata.addr';

/** The stable labels a workload names itself by, most specific first (Kubernetes' recommended labels, then `app`). */
const NAME_LABELS: readonly (readonly string[])[] = [['app.kubernetes.io/name', 'app.kubernetes.io/instance'], ['app']];

/**
 * The labels a policy selects a workload's Dataplanes by: its selector without cdk8s's address
 * label, plus the stable name labels its pods carry (`app.kubernetes.io/name` and `/instance`,
 * else `app`). A selector that is only the address label and pods without name labels keep the
 * address label, with a warning naming the fix.
 */
export function policyLabels(scope: IConstruct, what: string, selector: Record<string, string>,
  podLabels: Record<string, string> | undefined): Record<string, string> {
  if (!(CDK8S_ADDRESS_LABEL in selector)) return selector;
  const { [CDK8S_ADDRESS_LABEL]: address, ...rest } = selector;
  const names = NAME_LABELS.map((keys) => keys.filter((k) => podLabels?.[k] !== undefined)).find((keys) => keys.length > 0) ?? [];
  const stable = { ...rest, ...Object.fromEntries(names.map((k) => [k, podLabels![k]])) };
  if (names.length > 0 || Object.keys(rest).length > 0) return stable;
  warn(scope, `${what} is selected by ${CDK8S_ADDRESS_LABEL}: ${address}, a label cdk8s derives from the construct path: renaming the construct rewrites the policy. `
    + 'Give the pods an app.kubernetes.io/name (or app) label, for example podMetadata: { labels: { \'app.kubernetes.io/name\': \'web\' } }, and policies select them by it.');
  return selector;
}

/** The stable name labels of pods, read from cdk8s-plus pod metadata (several workloads: those they share). */
export function nameLabelsOf(metadata: ApiObjectMetadataDefinition[]): Record<string, string> {
  const keys = NAME_LABELS.flat();
  const labels: Record<string, string> = {};
  for (const key of keys) {
    const values = new Set(metadata.map((m) => m.getLabel(key)));
    const [value] = values;
    if (metadata.length > 0 && values.size === 1 && value !== undefined) labels[key] = value;
  }
  return labels;
}
