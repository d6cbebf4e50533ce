/**
 * A Deployment of namespace shop whose pods ask for the sidecar (the pod label
 * kuma.io/sidecar-injection: enabled), as one YAML file: broken, the namespace is not labelled and
 * Kuma's webhook never sees the pods (KUMA004); fixed, the label is on the namespace. The pre-commit
 * hook's test and its end-to-end run (build-tools/pre-commit-e2e.ts) lint it.
 */
export function injectionSample(broken: boolean): string {
  return [
    'apiVersion: v1', 'kind: Namespace', 'metadata:', '  name: shop', ...(broken ? [] : ['  labels: {kuma.io/sidecar-injection: enabled}']), '---',
    'apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: web, namespace: shop}', 'spec:', '  selector: {matchLabels: {app: web}}', '  template:',
    `    metadata: {labels: {app: web${broken ? ', kuma.io/sidecar-injection: enabled' : ''}}}`,
    '    spec: {containers: [{name: web, image: "web:1", ports: [{containerPort: 8080}]}]}', '',
  ].join('\n');
}
