/**
 * Kuma's own fixtures as a conformance suite: for every case of Kuma's pod -> Dataplane converter,
 * its serviceless-name extractor and its MeshService controller (kumahq/kuma v2.14.3 and the 3.0
 * development line, test/conformance/kuma/NOTICE), the library's prediction equals Kuma's golden
 * output; cases out of scope are listed with the reason (suites.ts), never skipped silently.
 */
import { LINES } from './kuma-fixtures';
import { ConformanceCase, SUITES } from './suites';

for (const [suite, cases] of SUITES) {
  describe(suite, () => {
    for (const { line } of LINES) {
      const all = cases(line);
      const checked = all.filter((c) => c.verdict.checked);
      test.each(checked.map((c) => [c.name, c]))(`Kuma ${line}: %s`, (_name, c) => {
        expect((c as ConformanceCase).library).toEqual((c as ConformanceCase).kuma);
      });
      const outOfScope = all.filter((c) => !c.verdict.checked);
      if (outOfScope.length > 0) {
        test(`Kuma ${line}: out of scope, each with its reason`, () => {
          for (const c of outOfScope) expect(c.verdict).toEqual({ checked: false, reason: expect.stringMatching(/^[a-z][a-z ]*: /) });
        });
      }
    }
  });
}
