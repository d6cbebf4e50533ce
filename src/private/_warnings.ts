import { IConstruct } from 'constructs';

/** The construct-metadata type under which warnings are recorded. */
export const WARNING_METADATA = 'cdk8s-kuma:warning';

/**
 * Records a warning on a construct (once) and prints it to stderr, unless CDK8S_KUMA_QUIET is set:
 * cdk8s has no warning channel of its own, and a warning must not stop synth.
 */
export function warn(scope: IConstruct, message: string): void {
  const text = `[${scope.node.path}] ${message}`;
  if (scope.node.metadata.some((m) => m.type === WARNING_METADATA && m.data === text)) return;
  scope.node.addMetadata(WARNING_METADATA, text);
  if (!process.env.CDK8S_KUMA_QUIET) process.stderr.write(`cdk8s-kuma warning: ${text}\n`);
}
