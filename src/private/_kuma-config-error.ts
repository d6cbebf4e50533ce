const KUMA_CONFIG_ERROR = Symbol.for('cdk8s-kuma.KumaConfigError');

/**
 * The error this library throws for bad input: it names the construct path, the field, the bad
 * value and the fix, in its message and as fields. (Not part of the jsii API, which cannot
 * extend Error; check errors with `KumaErrors.isKumaConfigError()`.)
 */
export class KumaConfigError extends Error {
  /** Whether `x` is a `KumaConfigError` (also across copies of this library). */
  public static isKumaConfigError(x: any): x is KumaConfigError {
    return x !== null && typeof x === 'object' && KUMA_CONFIG_ERROR in x;
  }

  /**
   * @param path the construct path (or API) the bad input was given to
   * @param field the field that holds it
   * @param detail the message after the path
   */
  constructor(public readonly path: string, public readonly field: string, detail: string) {
    super(`${path}: ${detail}`);
    Object.defineProperty(this, KUMA_CONFIG_ERROR, { value: true });
    this.name = 'KumaConfigError';
  }
}
