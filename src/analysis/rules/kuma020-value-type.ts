import { FindingSeverity } from '../finding';
import { valueProblems } from './_value-scan';
import { RuleDefinition } from './rule';

export const KUMA020: RuleDefinition = {
  id: 'KUMA020',
  name: 'value-type',
  severity: FindingSeverity.ERROR,
  fixable: false,
  withoutKumaSignal: true,
  summary: 'A label, annotation or env value that is not a string, or a port that is not an integer, as kubectl reads the YAML (1.1: unquoted true, yes, 8080): the API server rejects the object.',
  rationale: 'Kubernetes types label, annotation and env values as strings and ports as integers, and kubectl reads YAML 1.1, where an unquoted `true`, `yes` or `8080` is a boolean or a number; the API server then rejects the whole object, so none of it reaches the cluster.',
  restsOn: 'Reads the labels and annotations of every object and pod template, the env values and `containerPort`s of containers and init containers, and Service `spec.ports[].port`. Runs on every `--kuma-version`; in a set with nothing else of Kuma it reports only the values of Kuma\'s own keys (`kuma.io/` keys and the two service-upstream annotations), which are never another tool\'s business.',
  fix: 'Quote label, annotation and env values (`"5432"`, `"true"`) and write ports as bare integers.',
  exampleFlags: ['--kuma-version', '2.14'],
  sources: [
    'https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations/',
    'https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/',
    'https://yaml.org/type/bool.html',
  ],
  check: (ctx, report) => {
    for (const p of valueProblems(ctx)) if (p.ruleId === 'KUMA020') report(p.m, p.message, p.fix, { at: p.at });
  },
};
