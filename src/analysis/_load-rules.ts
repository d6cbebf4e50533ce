import type * as Rules from './_rules';

let rulesModule: typeof Rules | undefined;

/**
 * The rules (src/analysis/_rules.ts and the predictions it reads), loaded with the first analysis:
 * importing the package does not pay for them, an app with a MeshAnalyzer pays once.
 */
export function rules(): typeof Rules {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  rulesModule ??= require('./_rules') as typeof Rules;
  return rulesModule;
}
