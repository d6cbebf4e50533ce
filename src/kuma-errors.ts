import { KumaConfigError } from './private/_kuma-config-error';

/**
 * The errors of this library. Bad input throws a `KumaConfigError` (an `Error` named
 * "KumaConfigError" with `path` and `field`), at construction or, for problems only visible once
 * the app is complete, inside cdk8s's "Validation failed" error at synth.
 */
export class KumaErrors {
  /** Whether `error` is this library's bad-input error. */
  public static isKumaConfigError(error: any): boolean {
    return KumaConfigError.isKumaConfigError(error);
  }

  private constructor() {}
}
