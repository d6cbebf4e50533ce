import { IConstruct } from 'constructs';
import { WARNING_METADATA } from './private/_warnings';

/**
 * The warnings this library recorded while synthesizing: things it could not check, which a
 * person should. Each is also printed to stderr when it is found.
 */
export class KumaWarnings {
  /** Every warning recorded on `scope` and the constructs below it, in construct order. */
  public static of(scope: IConstruct): string[] {
    return scope.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === WARNING_METADATA).map((m) => String(m.data)));
  }

  private constructor() {}
}
