import { IConstruct } from 'constructs';
import { KumaProtocol } from './kuma-protocol';
import { invalid } from '../private/_validation';

/** Refuses a value that is not a `KumaProtocol` (reachable from JavaScript or casts). */
export function checkKumaProtocol(scope: IConstruct, field: string, value: string): void {
  if (!Object.values<string>(KumaProtocol).includes(value)) {
    throw invalid(scope, field, value, `is not a protocol Kuma parses (${Object.values(KumaProtocol).join(', ')}); Kuma would ignore it and treat the port as tcp`,
      'Use a KumaProtocol value.');
  }
}
