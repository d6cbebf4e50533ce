/**
 * A value computed the first time it is asked for, then kept: the modules the package loads on
 * first use (the generated L1 classes, Kuma's catalogue, the analysis rules) go through it.
 */
export function lazy<T>(load: () => T): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load());
}
