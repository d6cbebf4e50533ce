/**
 * The one output validator every test uses.
 *
 * It synthesizes a chart or an app and checks each object with validators written by nobody on
 * this project:
 * - built-in kinds with the `kubernetes-models` package (the Kubernetes OpenAPI schemas);
 * - Kuma kinds against the CRDs of the Kuma version the chart targets (`KumaVersion.of(chart)`;
 *   2.6 ... 2.14 and the 3.0 development line, copied from kumahq/kuma by
 *   `npx projen import:kuma-conformance` into test/conformance/kuma/crds.json): a kind that version
 *   does not serve is an error; ajv checks types, enums, patterns and required fields; and every
 *   field the structural schema does not declare is reported as one the API server would prune
 *   (`prunedFields`), since a pruned field is a silent loss (a `to[].targetRef.name` pruned by the
 *   3.x CRDs leaves a policy without its target). `x-kubernetes-int-or-string` accepts an integer
 *   or a string, `nullable` accepts null, `x-kubernetes-preserve-unknown-fields` keeps an object open;
 * - anything else is reported as an unknown kind, unless the test registers a schema for it.
 * On top of the schemas it applies the API server's ObjectMeta syntax rules
 * (k8s.io/apimachinery/pkg/api/validation/objectmeta.go): names, label keys and values,
 * annotation keys, and no namespace on cluster-scoped kinds.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { App, Chart, Testing } from 'cdk8s';
import { KumaVersion } from '../../src';

// Read, not imported: TypeScript would infer a type for every schema in the file.
const crdFile = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'conformance', 'kuma', 'crds.json'), 'utf8'));

/** One object the API server or Kuma would reject, with the reasons. */
export interface Finding {
  readonly object: string;
  readonly errors: string[];
}

interface CrdEntry {
  readonly scope: 'Namespaced' | 'Cluster';
  /** Key of the schema in `crds.json`'s `schemas`. */
  readonly schema: string;
}

/** Kuma's kinds per library version ("3.0" is the 3.0 development line). */
const KUMA_CRDS: Record<string, Record<string, CrdEntry>> = (crdFile as any).versions;
const KUMA_SCHEMAS: Record<string, any> = (crdFile as any).schemas;

/** The Kuma versions whose CRDs the validator has, oldest first. */
export const CRD_VERSIONS = Object.keys(KUMA_CRDS);

/** The openAPIV3Schema of a Kuma kind (`<group>/<version>/<Kind>`) in a Kuma version, if that version serves it. */
export function kumaSchema(version: string, key: string): any {
  const entry = KUMA_CRDS[version]?.[key];
  return entry && KUMA_SCHEMAS[entry.schema];
}

/** Built-in kinds that are cluster-scoped (kubectl api-resources --namespaced=false). */
const CLUSTER_SCOPED_BUILTINS = new Set([
  'v1/Namespace', 'v1/Node', 'v1/PersistentVolume',
  'rbac.authorization.k8s.io/v1/ClusterRole', 'rbac.authorization.k8s.io/v1/ClusterRoleBinding',
  'networking.k8s.io/v1/IngressClass', 'storage.k8s.io/v1/StorageClass', 'storage.k8s.io/v1/CSIDriver',
  'scheduling.k8s.io/v1/PriorityClass', 'node.k8s.io/v1/RuntimeClass',
  'apiextensions.k8s.io/v1/CustomResourceDefinition', 'apiregistration.k8s.io/v1/APIService',
  'admissionregistration.k8s.io/v1/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration',
]);

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * Rewrites a CRD structural schema into the JSON Schema ajv needs to judge like the API server.
 * `closed` (the default) makes ajv reject undeclared fields; Kuma's kinds are checked open, with
 * undeclared fields reported by `prunedFields` instead.
 */
export function toAjvSchema(schema: any, closed = true): any {
  if (Array.isArray(schema)) return schema.map((s) => toAjvSchema(s, closed));
  if (schema === null || typeof schema !== 'object') return schema;
  const out: any = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key.startsWith('x-kubernetes-') || key === 'nullable' || key === 'description') continue;
    if (key === 'properties') {
      out.properties = Object.fromEntries(Object.entries(value as any).map(([k, v]) => [k, toAjvSchema(v, closed)]));
    } else if (key === 'items' || key === 'additionalProperties' || key === 'not') {
      out[key] = typeof value === 'object' ? toAjvSchema(value, closed) : value;
    } else if (key === 'allOf' || key === 'anyOf' || key === 'oneOf') {
      out[key] = (value as any[]).map((s) => toAjvSchema(s, closed));
    } else {
      out[key] = value;
    }
  }
  if (schema['x-kubernetes-int-or-string']) {
    delete out.type;
    out.anyOf = [...(out.anyOf ?? []), { type: 'integer' }, { type: 'string' }];
  }
  if (closed && out.type === 'object' && out.properties !== undefined && out.additionalProperties === undefined
    && !schema['x-kubernetes-preserve-unknown-fields']) {
    out.additionalProperties = false;
  }
  if (schema.nullable && out.type !== undefined) {
    out.type = [out.type, 'null'];
  }
  return out;
}

/**
 * The fields of `value` that the API server would prune under a structural schema
 * (k8s.io/apiextensions-apiserver pkg/apiserver/schema/pruning): a field of an object whose
 * schema neither declares it in `properties` nor allows it by `additionalProperties` or
 * `x-kubernetes-preserve-unknown-fields`. `metadata`, `apiVersion` and `kind` of the root are
 * the API server's own and never pruned. Paths are written like `spec.to[0].targetRef.name`.
 */
export function prunedFields(value: any, schema: any, at = ''): string[] {
  if (value === null || typeof value !== 'object' || schema === undefined || schema === null) return [];
  if (Array.isArray(value)) {
    return schema.items === undefined ? [] : value.flatMap((v, i) => prunedFields(v, schema.items, `${at}[${i}]`));
  }
  if (schema['x-kubernetes-preserve-unknown-fields'] === true && schema.properties === undefined && schema.additionalProperties === undefined) return [];
  const out: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    const here = at === '' ? key : `${at}.${key}`;
    if (at === '' && (key === 'apiVersion' || key === 'kind' || key === 'metadata')) continue;
    const declared = schema.properties?.[key];
    if (declared !== undefined) {
      out.push(...prunedFields(v, declared, here));
    } else if (typeof schema.additionalProperties === 'object') {
      out.push(...prunedFields(v, schema.additionalProperties, here));
    } else if (schema.additionalProperties !== true && schema['x-kubernetes-preserve-unknown-fields'] !== true) {
      out.push(here);
    }
  }
  return out;
}

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const kumaValidators = new Map<string, ValidateFunction>();
const extraValidators = new Map<string, ValidateFunction>();

function kumaValidator(schemaKey: string): ValidateFunction {
  let fn = kumaValidators.get(schemaKey);
  if (!fn) {
    fn = ajv.compile(toAjvSchema(KUMA_SCHEMAS[schemaKey], false));
    kumaValidators.set(schemaKey, fn);
  }
  return fn;
}

const isKumaGroup = (apiVersion: unknown) => typeof apiVersion === 'string' && apiVersion.startsWith('kuma.io/');

/**
 * Registers the schema of a kind that is neither built in nor Kuma's (for example Kong's
 * IngressClassParameters CRD), given as a CRD `openAPIV3Schema`.
 */
export function registerCrdSchema(apiVersion: string, kind: string, openAPIV3Schema: any): void {
  extraValidators.set(`${apiVersion}/${kind}`, ajv.compile(toAjvSchema(openAPIV3Schema)));
}

/** The kubernetes-models class of a built-in kind, or undefined. */
function builtinModel(apiVersion: string, kind: string): any {
  const modulePath = `kubernetes-models/${apiVersion}/${kind}`;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(modulePath)[kind];
  } catch (e: any) {
    if (e?.code === 'MODULE_NOT_FOUND' || e?.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') return undefined;
    throw e;
  }
}

function describe(obj: any): string {
  const ns = obj?.metadata?.namespace ? `${obj.metadata.namespace}/` : '';
  return `${obj?.apiVersion}/${obj?.kind} ${ns}${obj?.metadata?.name}`;
}

function checkQualifiedName(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return 'has more than one "/"';
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
  if (prefix !== undefined && (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) return 'has a prefix that is not a DNS subdomain';
  if (name.length > 63 || !QUALIFIED_NAME_PART.test(name)) return 'has a name part that is not a qualified name';
  return undefined;
}

function checkMetadata(obj: any, clusterScoped: boolean): string[] {
  const errors: string[] = [];
  const meta = obj.metadata ?? {};
  const name: unknown = meta.name;
  if (typeof name !== 'string' || name.length === 0) {
    errors.push('metadata.name is required');
  } else if (obj.apiVersion === 'v1' && obj.kind === 'Namespace') {
    if (name.length > 63 || !DNS1123_LABEL.test(name)) errors.push(`metadata.name "${name}" is not an RFC 1123 label`);
  } else if (obj.apiVersion === 'v1' && obj.kind === 'Service') {
    if (name.length > 63 || !DNS1035_LABEL.test(name)) errors.push(`metadata.name "${name}" is not an RFC 1035 label`);
  } else if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    errors.push(`metadata.name "${name}" is not an RFC 1123 subdomain`);
  }
  if (meta.namespace !== undefined) {
    if (clusterScoped) {errors.push(`metadata.namespace "${meta.namespace}" is set on a cluster-scoped kind`);} else if (typeof meta.namespace !== 'string' || meta.namespace.length > 63 || !DNS1123_LABEL.test(meta.namespace)) {
      errors.push(`metadata.namespace "${meta.namespace}" is not an RFC 1123 label`);
    }
  }
  for (const [key, value] of Object.entries(meta.labels ?? {})) {
    const keyProblem = checkQualifiedName(key);
    if (keyProblem) errors.push(`metadata.labels key "${key}" ${keyProblem}`);
    if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value)) {
      errors.push(`metadata.labels["${key}"] value ${JSON.stringify(value)} is not a valid label value`);
    }
  }
  for (const [key, value] of Object.entries(meta.annotations ?? {})) {
    const keyProblem = checkQualifiedName(key);
    if (keyProblem) errors.push(`metadata.annotations key "${key}" ${keyProblem}`);
    if (typeof value !== 'string') errors.push(`metadata.annotations["${key}"] value ${JSON.stringify(value)} is not a string`);
  }
  return errors;
}

/**
 * Validates manifests for a Kuma version (default: the library's default, 2.14); returns one
 * finding per object that would be rejected or lose a field.
 */
export function validateManifests(manifests: any[], version: KumaVersion | string = KumaVersion.DEFAULT): Finding[] {
  const v = String(version);
  if (KUMA_CRDS[v] === undefined) throw new Error(`no Kuma CRDs for version ${v}; have ${CRD_VERSIONS.join(', ')}`);
  const findings: Finding[] = [];
  for (const obj of manifests) {
    const errors: string[] = [];
    const key = `${obj?.apiVersion}/${obj?.kind}`;
    const kuma = KUMA_CRDS[v][key];
    if (kuma) {
      const validate = kumaValidator(kuma.schema);
      if (!validate(obj)) {
        errors.push(...(validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}${e.params ? ' ' + JSON.stringify(e.params) : ''}`));
      }
      errors.push(...prunedFields(obj, KUMA_SCHEMAS[kuma.schema])
        .map((p) => `${p} is not declared by the Kuma ${v} CRD of ${obj.kind}: the API server would prune it`));
      errors.push(...checkMetadata(obj, kuma.scope === 'Cluster'));
    } else if (isKumaGroup(obj?.apiVersion)) {
      errors.push(`${key} is not served by the CRDs of Kuma ${v}`);
    } else if (extraValidators.has(key)) {
      const validate = extraValidators.get(key)!;
      if (!validate(obj)) errors.push(...(validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`));
      errors.push(...checkMetadata(obj, false));
    } else {
      const Model = builtinModel(obj?.apiVersion, obj?.kind);
      if (!Model) {
        errors.push(`unknown kind ${key}: neither a built-in kind of kubernetes-models nor a Kuma CRD; register its schema with registerCrdSchema()`);
      } else {
        try {
          new Model(obj).validate();
        } catch (e: any) {
          errors.push(String(e.message ?? e));
        }
        errors.push(...checkMetadata(obj, CLUSTER_SCOPED_BUILTINS.has(key)));
      }
    }
    if (errors.length > 0) findings.push({ object: describe(obj), errors });
  }
  return findings;
}

/**
 * Synthesizes a chart (or every chart of an app), validates every object and returns the
 * manifests. Throws, listing every rejected object, if any is invalid.
 */
export function synthValid(target: Chart | App): any[] {
  const charts = target instanceof App ? target.charts : [target];
  const manifests: any[] = [];
  const findings: Finding[] = [];
  for (const chart of charts) {
    // Each chart against the CRDs of the version it targets (read after synth: reading marks it used).
    const objects = Testing.synth(chart);
    manifests.push(...objects);
    findings.push(...validateManifests(objects, KumaVersion.of(chart)));
  }
  if (findings.length > 0) {
    throw new Error(`invalid objects in the synthesized output:\n${findings.map((f) => `  ${f.object}:\n    ${f.errors.join('\n    ')}`).join('\n')}`);
  }
  return manifests;
}

/**
 * Registers the CRDs of Kong Ingress Controller that this library emits: IngressClassParameters
 * (Kong/charts charts/kong/crds/custom-resource-definitions.yaml@kong-3.4.1:
 * `spec.serviceUpstream` and `spec.enableLegacyRegexDetection`, both booleans).
 */
export function registerKongCrds(): void {
  registerCrdSchema('configuration.konghq.com/v1alpha1', 'IngressClassParameters', {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      spec: {
        type: 'object',
        properties: { serviceUpstream: { type: 'boolean' }, enableLegacyRegexDetection: { type: 'boolean' } },
      },
    },
  });
}
