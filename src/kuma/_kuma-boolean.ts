import { IConstruct } from 'constructs';
import { invalid } from '../private/_validation';

/** The outcome of Kuma's boolean parser for one label or annotation value. */
export enum ParsedBoolean { TRUE, FALSE }

// Sources: kumahq/kuma@v2.14.3 pkg/plugins/runtime/k8s/metadata/annotations.go (GetEnabled, GetBooleanWithDefault);
// pkg/plugins/runtime/k8s/webhooks/injector/precheck.go (yes/no deprecation warning)
/**
 * `metadata.Annotations.GetEnabled` of kuma@v2.14.3: `enabled`, `true`, `yes`
 * are true; `disabled`, `false`, `no` are false; anything else is an error.
 */
export function parseKumaBoolean(value: string): ParsedBoolean | undefined {
  switch (value) {
    case 'enabled': case 'true': case 'yes': return ParsedBoolean.TRUE;
    case 'disabled': case 'false': case 'no': return ParsedBoolean.FALSE;
    default: return undefined;
  }
}

/** Whether Kuma's `GetEnabled` reads a label or annotation value as true (absent or unparsable: false). */
export function isKumaTrue(value: unknown): boolean {
  return typeof value === 'string' && parseKumaBoolean(value) === ParsedBoolean.TRUE;
}

/** Refuses a `kuma.io/sidecar-injection` value that Kuma's injector cannot parse. */
export function checkInjectionLabelValue(scope: IConstruct | string, field: string, value: string): void {
  if (parseKumaBoolean(value) === undefined) {
    throw invalid(scope, field, value,
      'is not a kuma.io/sidecar-injection value Kuma parses (enabled, disabled, true, false; yes and no are deprecated), so its injector would fail for every pod of the namespace',
      'Use "enabled" or "disabled".');
  }
}
