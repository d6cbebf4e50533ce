import { ApiObject, ApiObjectMetadata, JsonPatch } from 'cdk8s';
import { IConstruct } from 'constructs';
import { invalid } from './_validation';

/**
 * The ApiObject behind a construct, if it has one: the construct itself, or its default child
 * (every cdk8s-plus resource has one, of any cdk8s-plus major).
 */
export function apiObjectBehind(construct: IConstruct): ApiObject | undefined {
  if (ApiObject.isApiObject(construct)) return construct;
  const child = construct.node.defaultChild;
  return child !== undefined && ApiObject.isApiObject(child) ? child : undefined;
}

/** The ApiObject behind a construct (`apiObjectBehind`), refused with the caller's `fix` when it has none. */
export function apiObjectOf(construct: IConstruct, field: string, fix: string): ApiObject {
  const obj = apiObjectBehind(construct);
  if (obj === undefined) {
    throw invalid(construct, field, construct.node.path, 'is neither an ApiObject nor a construct whose default child is one', fix);
  }
  return obj;
}

/**
 * The ApiObject behind a construct, refused unless it is of `apiVersion` and `kind`: the caller's
 * `notAnObject` fix answers a construct without an ApiObject, its `problem` and `fix` a wrong kind.
 */
export function apiObjectOfKind(construct: IConstruct, apiVersion: string, kind: string, field: string,
  messages: { readonly notAnObject: string; readonly problem: string; readonly fix: string }): ApiObject {
  const obj = apiObjectOf(construct, field, messages.notAnObject);
  if (obj.apiVersion !== apiVersion || obj.kind !== kind) {
    throw invalid(construct, 'kind', `${obj.apiVersion}/${obj.kind}`, messages.problem, messages.fix);
  }
  return obj;
}

/**
 * Sets an annotation on an ApiObject unless the object already carries it with another value:
 * a user's value is never overwritten (the caller's `problem` and `fix` say why it matters).
 */
export function addAnnotationOnce(scope: IConstruct, obj: ApiObject, key: string, value: string, problem: string, fix: string): void {
  const existing = annotationOf(obj, key);
  if (existing !== undefined && existing !== value) {
    throw invalid(scope, `metadata.annotations["${key}"]`, existing, `is already set and differs from ${JSON.stringify(value)}; ${problem}`, fix);
  }
  obj.metadata.addAnnotation(key, value);
}

/**
 * The value of one annotation of an ApiObject as it will be synthesized. cdk8s has no
 * `getAnnotation()` and `metadata.toJson()` resolves the whole metadata, so a plain string in the
 * annotation map is read directly; anything else (a Lazy) is resolved the slow way.
 */
export function annotationOf(obj: ApiObject, key: string): string | undefined {
  const map = (obj.metadata as unknown as { annotations?: Record<string, unknown> }).annotations;
  if (map !== null && typeof map === 'object') {
    const raw = map[key];
    if (raw === undefined || typeof raw === 'string') return raw;
  }
  return obj.metadata.toJson().annotations?.[key];
}

/**
 * The name, namespace, labels and annotations of an ApiObject as `metadata.toJson()` gives them,
 * without resolving the rest: plain strings are copied, and anything else (a Lazy) makes it fall
 * back to `toJson()`. The analysis reads this for every object at every synth.
 */
export function metadataView(obj: ApiObject): any {
  const meta = obj.metadata as unknown as { labels?: unknown; annotations?: unknown };
  const labels = plainStrings(meta.labels);
  const annotations = plainStrings(meta.annotations);
  if (labels === null || annotations === null) return obj.metadata.toJson();
  const view: Record<string, unknown> = {};
  if (obj.metadata.name !== undefined) view.name = obj.metadata.name;
  if (obj.metadata.namespace !== undefined) view.namespace = obj.metadata.namespace;
  if (annotations !== undefined) view.annotations = annotations;
  if (labels !== undefined) view.labels = labels;
  return view;
}

/** A copy of a map of strings (undefined when empty), or null when it holds anything else. */
function plainStrings(map: unknown): Record<string, string> | undefined | null {
  if (map === null || typeof map !== 'object') return null;
  let copy: Record<string, string> | undefined;
  for (const [key, value] of Object.entries(map)) {
    if (typeof value !== 'string') return null;
    (copy ??= {})[key] = value;
  }
  return copy;
}

/**
 * Metadata with the name of a `namespace` prop folded in, for constructors that must hand
 * metadata to `super()` before they can check it. An explicit `metadata.namespace` is kept;
 * `checkNamespaceProp` then refuses it if it differs.
 */
export function withNamespace(metadata: ApiObjectMetadata | undefined,
  namespace: { readonly name: string } | undefined): ApiObjectMetadata | undefined {
  if (namespace === undefined || metadata?.namespace !== undefined) return metadata;
  return { ...metadata, namespace: namespace.name };
}

/**
 * Applies a `namespace` prop after `super()`: refuses a `metadata.namespace` that contradicts it,
 * and, when the namespace is declared in this app, orders it before `obj` in the output (kubectl
 * applies a file in order, and a namespaced object fails before its Namespace exists).
 */
export function applyNamespaceProp(scope: IConstruct, obj: ApiObject, metadata: ApiObjectMetadata | undefined,
  namespace: ({ readonly name: string } & IConstruct) | undefined): void {
  if (namespace === undefined) return;
  if (metadata?.namespace !== undefined && metadata.namespace !== namespace.name) {
    throw invalid(scope, 'metadata.namespace', metadata.namespace, `contradicts the namespace prop (${JSON.stringify(namespace.name)})`,
      'Remove metadata.namespace or make it equal to the namespace\'s name.');
  }
  orderAfterNamespace(obj, namespace);
}

/** Orders a namespace declared in this app (one with an ApiObject) before `obj`. */
export function orderAfterNamespace(obj: ApiObject, namespace: IConstruct): void {
  if (namespace.node.defaultChild !== undefined && ApiObject.isApiObject(namespace.node.defaultChild)) {
    obj.addDependency(namespace);
  }
}

// Sources: cdk8s-team/cdk8s#1558; kumahq/kuma deployments/charts/kuma/crds/kuma.io_meshes.yaml@v2.14.3 (scope: Cluster)
/**
 * Keeps a cluster-scoped object out of any namespace: a namespace the user set is refused, and the
 * Chart's namespace, which cdk8s stamps on every object (cdk8s-team/cdk8s#1558), is removed.
 */
export function makeClusterScoped(scope: IConstruct, obj: ApiObject, kind: string, userNamespace: string | undefined): void {
  if (userNamespace !== undefined) {
    throw invalid(scope, 'metadata.namespace', userNamespace, `is set, but a ${kind} is cluster-scoped`, 'Remove metadata.namespace.');
  }
  if (obj.metadata.namespace !== undefined) obj.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
}
