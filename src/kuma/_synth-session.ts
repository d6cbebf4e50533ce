import { App } from 'cdk8s';
import { IConstruct } from 'constructs';
import { writeAppMetadataAtSynth } from './_app-metadata';
import { KumaVersion } from './kuma-version';

/*
 * One validation per `App.synth()`, however many charts the app has.
 *
 * cdk8s validates the whole app once at the start of `App.synth()` (and `synthYaml()`) and again
 * in every chart's `toJson()` (`App._synthChart`, cdk8s/lib/app.js v2.70): an app of K charts runs
 * each validation K+1 times, and the app-wide mesh analysis is the costliest of them. Inside one
 * `App.synth()` call no user code runs between those passes, and a pass that reports an error ends
 * the synth, so a validation's result from the first pass holds for the later passes of the same
 * call. A session lasts exactly one `synth()`/`synthYaml()` call of the app; outside one
 * (`chart.toJson()`, `Testing.synth(chart)`, a second `synth()` after the app changed) every
 * pass validates afresh, so a change to the tree between synths is always seen.
 *
 * jsii host languages (Python, Java, ...) call the prototype's `synth`, so their apps validate in
 * every pass as before: slower, never wrong.
 *
 * It lives in kuma/ because it also makes the app write the Kuma versions its charts target after
 * each synth (_app-metadata.ts, the same hook KumaVersion.use() sets): every construct that
 * validates per synth loads it, so an app always writes them, whichever of its modules the
 * package's lazy index loaded.
 */

type Validate = () => string[];

/** The app root -> the results of the synth under way (absent outside a synth). */
const SESSIONS = new WeakMap<IConstruct, Map<Validate, string[]>>();
const INSTRUMENTED = new WeakSet<IConstruct>();

/**
 * Adds a validation to `scope` that runs once per `App.synth()` of its app (see above); it must
 * depend only on the construct tree, as every cdk8s validation does.
 */
export function addValidationOncePerSynth(scope: IConstruct, validate: Validate): void {
  const root = scope.node.root;
  instrument(root);
  writeAppMetadataAtSynth(root, (c) => KumaVersion.of(c).toString());
  scope.node.addValidation({
    validate: () => {
      const session = SESSIONS.get(root);
      if (session === undefined) return validate();
      let result = session.get(validate);
      if (result === undefined) {
        result = validate();
        session.set(validate, result);
      }
      return result;
    },
  });
}

/** Wraps the app's `synth` and `synthYaml` so that each call opens one session. */
function instrument(root: IConstruct): void {
  if (INSTRUMENTED.has(root) || !(root instanceof App)) return;
  INSTRUMENTED.add(root);
  for (const method of ['synth', 'synthYaml'] as const) {
    const original = root[method] as (...args: unknown[]) => unknown;
    Object.defineProperty(root, method, {
      configurable: true,
      writable: true,
      enumerable: false,
      value: function (this: App, ...args: unknown[]) {
        if (SESSIONS.has(root)) return original.apply(this, args);
        SESSIONS.set(root, new Map());
        try {
          return original.apply(this, args);
        } finally {
          SESSIONS.delete(root);
        }
      },
    });
  }
}
