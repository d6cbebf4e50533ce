import { IConstruct } from 'constructs';

/**
 * Constructs of this library that others look up by name (a MeshNamespace by namespace name, a
 * Mesh by mesh name), registered per app at construction: a lookup is a map access instead of a
 * walk over the whole construct tree, which would make big apps quadratic.
 */
const REGISTRY = new WeakMap<IConstruct, Map<string, IConstruct[]>>();

export function register(scope: IConstruct, kind: string, name: string, construct: IConstruct): void {
  const root = scope.node.root;
  let byKey = REGISTRY.get(root);
  if (byKey === undefined) {
    byKey = new Map();
    REGISTRY.set(root, byKey);
  }
  const key = `${kind}/${name}`;
  const found = byKey.get(key);
  if (found === undefined) byKey.set(key, [construct]);
  else found.push(construct);
}

/** The first construct of `kind` registered under `name` in the app of `scope`. */
export function lookup<T extends IConstruct>(scope: IConstruct, kind: string, name: string): T | undefined {
  return REGISTRY.get(scope.node.root)?.get(`${kind}/${name}`)?.[0] as T | undefined;
}
