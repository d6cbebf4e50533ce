import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { KumaConfigError } from './_kuma-config-error';

/*
 * Syntax rules of the Kubernetes API server and of Kuma, shared by every construct.
 *
 * Kubernetes: k8s.io/apimachinery/pkg/util/validation/validation.go (IsDNS1123Label,
 * IsDNS1123Subdomain, IsDNS1035Label, IsValidLabelValue, IsQualifiedName).
 * Kuma: kumahq/kuma pkg/core/resources/apis/mesh/{validators,meta_validator,dataplane_validator}.go, v2.14.3.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
export const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** The longest value a Kubernetes label accepts; the `kuma.io/mesh` label caps mesh names. */
export const MAX_LABEL_VALUE_LENGTH = 63;

/**
 * The error thrown for bad input: names the construct path, the field, the value and the fix.
 */
export function invalid(scope: IConstruct | string, field: string, value: unknown, problem: string, fix: string): Error {
  const path = typeof scope === 'string' ? scope : scope.node.path || '(the App)';
  return new KumaConfigError(path, field, invalidMessage(field, value, problem, fix));
}

/**
 * The same message without the path, for `node.addValidation` results: cdk8s prefixes those
 * with `[<construct path>]` itself.
 */
export function invalidMessage(field: string, value: unknown, problem: string, fix: string): string {
  const shown = value === undefined ? '' : ` ${JSON.stringify(value)}`;
  return `${field}${shown} ${problem}. ${fix}`;
}

/** Whether a value is a lowercase RFC 1123 label of at most 63 characters (a Namespace name). */
export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value);
}

/** A Namespace name, a Service port name: lowercase RFC 1123 label, at most 63 characters. */
export function checkDns1123Label(scope: IConstruct | string, field: string, value: string): void {
  if (!isDns1123Label(value)) {
    throw invalid(scope, field, value, 'is not a valid RFC 1123 label (lowercase letters, digits and \'-\', starting and ending with a letter or digit, at most 63 characters)',
      `Use a name such as ${JSON.stringify(suggestLabel(value))}.`);
  }
}

/** An object name of most kinds: lowercase RFC 1123 subdomain, at most 253 characters. */
export function checkDns1123Subdomain(scope: IConstruct | string, field: string, value: string): void {
  if (value.length > 253 || !DNS1123_SUBDOMAIN.test(value)) {
    throw invalid(scope, field, value, 'is not a valid object name (a lowercase RFC 1123 subdomain: lowercase letters, digits, \'-\' and \'.\', at most 253 characters)',
      `Use a name such as ${JSON.stringify(suggestLabel(value))}.`);
  }
}

// Sources: kumahq/kuma pkg/core/resources/apis/meshservice/api/v1alpha1/validator.go@v2.14.3 (maxNameLength 63)
/**
 * A Service name: RFC 1035 label (must start with a letter), at most 63 characters. Kuma
 * derives the MeshService name from it, and Kuma caps MeshService names at 63 characters
 * ("must not be longer than 63 characters").
 */
export function checkServiceName(scope: IConstruct | string, field: string, value: string): void {
  if (value.length > 63) {
    throw invalid(scope, field, value, `is ${value.length} characters long; Kubernetes Service names and the MeshService names Kuma derives from them allow at most 63`,
      'Choose a shorter name.');
  }
  if (!DNS1035_LABEL.test(value)) {
    throw invalid(scope, field, value, 'is not a valid RFC 1035 label (lowercase letters, digits and \'-\', starting with a letter and ending with a letter or digit)',
      `Use a name such as ${JSON.stringify(suggestLabel(value).replace(/^[0-9-]+/, '') || 'svc')}.`);
  }
}

// Sources: kumahq/kuma@v2.14.3 pkg/core/resources/apis/mesh/meta_validator.go, pkg/core/managers/apis/mesh/mesh_validator.go
/**
 * A Mesh name as used by `kuma.io/mesh`: a Mesh is a cluster-scoped Kubernetes object named by a
 * lowercase RFC 1123 subdomain (Kuma's resource-name regex), and the name is also a
 * label value, which allows at most 63 characters.
 */
export function checkMeshName(scope: IConstruct | string, field: string, value: string): void {
  if (value.length === 0 || value.length > MAX_LABEL_VALUE_LENGTH || !DNS1123_SUBDOMAIN.test(value)) {
    throw invalid(scope, field, value,
      'is not a mesh name Kuma accepts (a lowercase RFC 1123 subdomain: lowercase letters, digits, \'-\' and \'.\', starting and ending with a letter or digit; at most 63 characters because it is the value of the kuma.io/mesh label)',
      `Use the name of an existing Mesh, such as "default" or ${JSON.stringify(suggestLabel(value))}.`);
  }
}

/** A zone name as used in `<svc>.<ns>.svc.<zone>.mesh.local`: one DNS label. */
export function checkZoneName(scope: IConstruct | string, field: string, value: string): void {
  if (!isDns1123Label(value)) {
    throw invalid(scope, field, value, 'is not a zone name that fits in a hostname (a lowercase RFC 1123 label, at most 63 characters)',
      'Pass the zone name exactly as the Kuma zone control plane is configured (KUMA_MULTIZONE_ZONE_NAME).');
  }
}

const TRUST_DOMAIN = /^[a-z0-9._-]{1,255}$/;

/**
 * A SPIFFE trust domain: lowercase letters, digits, '.', '-' and '_', at most 255 characters (the
 * SPIFFE ID specification, https://github.com/spiffe/spiffe/blob/main/standards/SPIFFE-ID.md#21-trust-domain).
 */
export function checkTrustDomain(scope: IConstruct | string, field: string, value: string): void {
  if (!TRUST_DOMAIN.test(value)) {
    throw invalid(scope, field, value, 'is not a SPIFFE trust domain (lowercase letters, digits, \'.\', \'-\' and \'_\', at most 255 characters; no scheme or path)',
      'Pass the trust domain of the MeshIdentity, such as "default.zone-1.mesh.local" (its status.trustDomain).');
  }
}

// Sources: kumahq/kuma pkg/core/resources/apis/mesh/validators.go@v2.14.3 (ValidatePort)
/** A TCP/UDP port: 1..65535 (Kubernetes and Kuma's ValidatePort). */
export function checkPort(scope: IConstruct | string, field: string, value: number): void {
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw invalid(scope, field, value, 'is not a port number', 'Use an integer from 1 to 65535.');
  }
}

/** A label value: at most 63 characters of `[A-Za-z0-9._-]`, alphanumeric at both ends. */
function isValidLabelValue(value: string): boolean {
  return value.length <= MAX_LABEL_VALUE_LENGTH && LABEL_VALUE.test(value);
}

/** Refuses a value that is not a valid label value (`isValidLabelValue`). */
export function checkLabelValue(scope: IConstruct | string, field: string, value: string): void {
  if (!isValidLabelValue(value)) {
    throw invalid(scope, field, value, 'is not a valid label value', 'Use at most 63 characters of [A-Za-z0-9._-], alphanumeric at both ends.');
  }
}

/** A lowercase, hyphenated rendering of a bad name, for the "use ..." half of a message. */
function suggestLabel(value: string): string {
  const s = value.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
  return s.length > 0 ? s : 'my-name';
}

/**
 * Picks the value of a label that can be given both as a prop and in `metadata.labels`: either
 * alone is taken; both must agree, since a user's value is never overridden.
 */
export function resolveLabel(scope: IConstruct, prop: string, fromProp: string | undefined,
  key: string, fromLabels: string | undefined): string | undefined {
  if (fromProp !== undefined && fromLabels !== undefined && fromProp !== fromLabels) {
    throw invalid(scope, `metadata.labels["${key}"]`, fromLabels, `contradicts the ${prop} prop ${JSON.stringify(fromProp)}`,
      `Remove the label from metadata.labels or make it equal to ${prop}.`);
  }
  return fromProp ?? fromLabels;
}

/** A Go `time.ParseDuration` string (what Kuma's annotations and policies read) for milliseconds. */
export function goDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** A positive cdk8s Duration as a Go duration (undefined stays undefined); refuses zero. */
export function positiveGoDuration(scope: IConstruct | string, field: string, d: Duration | undefined): string | undefined {
  if (d === undefined) return undefined;
  const ms = d.toMilliseconds();
  if (ms < 1) throw invalid(scope, field, d.toHumanString(), 'is not a positive duration', 'Use at least one millisecond.');
  return goDuration(ms);
}

