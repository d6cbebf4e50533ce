import * as fc from 'fast-check';
import { appSpec, buildApp, checkApp } from './support/random-app';

// Bounded runs for CI (a few seconds per property); `npx projen fuzz` runs the long campaign.
const RUNS = Number(process.env.PROPERTY_RUNS ?? 400);
process.env.CDK8S_KUMA_QUIET = '1'; // generated apps warn a lot; the warnings are recorded, not printed

describe('property: every generated app either synthesizes valid objects or is refused with a documented error', () => {
  test('random apps', () => {
    fc.assert(fc.property(appSpec, (spec) => {
      checkApp(spec);
    }), { numRuns: RUNS, seed: Number(process.env.PROPERTY_SEED ?? 42) });
  });
});

describe('property: determinism', () => {
  test('the same app synthesizes to byte-identical YAML twice', () => {
    fc.assert(fc.property(appSpec, (spec) => {
      let first: string;
      try {
        first = buildApp(spec).app.synthYaml();
      } catch {
        return; // refused apps are covered by the property above
      }
      expect(buildApp(spec).app.synthYaml()).toBe(first);
    }), { numRuns: Math.ceil(RUNS / 3), seed: 7 });
  });

  test('creating the Services in another order gives the same objects', () => {
    const byId = (ms: any[]) => Object.fromEntries(ms.map((m) => [`${m.kind}/${m.metadata.namespace}/${m.metadata.name}`, m]));
    fc.assert(fc.property(appSpec, (spec) => {
      let forward: any[];
      try {
        const { app } = buildApp(spec);
        forward = app.charts.flatMap((c) => c.toJson());
      } catch {
        return;
      }
      const { app } = buildApp(spec, true);
      const backward = app.charts.flatMap((c) => c.toJson());
      expect(byId(backward)).toEqual(byId(forward));
    }), { numRuns: Math.ceil(RUNS / 3), seed: 11 });
  });
});
