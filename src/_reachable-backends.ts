/** One entry of the `refs:` list of `kuma.io/reachable-backends`. */
export interface BackendRef {
  readonly kind: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly port?: number;
  readonly labels?: Record<string, string>;
}

// Sources: kuma-facts §1.3
/**
 * The value of `kuma.io/reachable-backends`: a `refs:` list in YAML. Strings are
 * written as JSON strings, which YAML reads as double-quoted scalars, so no name such as "yes" or
 * "1.0" changes type. Written by the gateway and by the analysis' fixes alike.
 */
export function reachableBackendsAnnotation(refs: BackendRef[]): string {
  const lines = ['refs:'];
  for (const ref of refs) {
    lines.push(`- kind: ${ref.kind}`);
    if (ref.name !== undefined) lines.push(`  name: ${JSON.stringify(ref.name)}`);
    if (ref.namespace !== undefined) lines.push(`  namespace: ${JSON.stringify(ref.namespace)}`);
    if (ref.port !== undefined) lines.push(`  port: ${ref.port}`);
    if (ref.labels !== undefined) {
      lines.push('  labels:');
      for (const [key, value] of Object.entries(ref.labels)) lines.push(`    ${JSON.stringify(key)}: ${JSON.stringify(value)}`);
    }
  }
  return lines.join('\n') + '\n';
}
