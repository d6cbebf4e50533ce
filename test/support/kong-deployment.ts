/**
 * A plain Deployment `kong/kong` whose pods are labelled `app: kong` and carry `annotations` on
 * the pod template, with one `proxy` container (env and args as given): the Kong pod of the
 * analysis tests.
 */
export function kongDeployment(annotations: Record<string, string>,
  container: { env?: Array<{ name: string; value: string }>; args?: string[] } = {}): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'kong', namespace: 'kong' },
    spec: {
      selector: { matchLabels: { app: 'kong' } },
      template: {
        metadata: { labels: { app: 'kong' }, annotations },
        spec: { containers: [{ name: 'proxy', image: 'kong:3.9', ...container }] },
      },
    },
  };
}
