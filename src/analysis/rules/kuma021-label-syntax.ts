import { FindingSeverity } from '../finding';
import { valueProblems } from './_value-scan';
import { RuleDefinition } from './rule';

export const KUMA021: RuleDefinition = {
  id: 'KUMA021',
  name: 'label-syntax',
  severity: FindingSeverity.ERROR,
  fixable: false,
  withoutKumaSignal: true,
  summary: 'A label or annotation key, or a label value, that Kubernetes rejects (qualified names, 63-character label values).',
  rationale: 'The API server checks label and annotation keys as qualified names (an optional DNS-subdomain prefix and `/`, then at most 63 letters, digits, `-`, `_` and `.`, alphanumeric at both ends) and label values as at most 63 such characters, and rejects the whole object when one does not fit.',
  restsOn: 'Reads the keys of labels and annotations and the label values of every object and pod template; values that are not strings are left to KUMA020, and annotation values are not checked. Annotation keys are checked with the label-key rules, although the API server lowercases an annotation key before checking it; runs on every `--kuma-version`; in a set with nothing else of Kuma it reports only Kuma\'s own keys (`kuma.io/` keys and the two service-upstream annotations).',
  fix: 'Use a key such as `example.com/name` and a label value of at most 63 allowed characters; put a longer or freer value in an annotation.',
  exampleFlags: ['--kuma-version', '2.14'],
  sources: [
    'https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set',
    'https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations/#syntax-and-character-set',
  ],
  check: (ctx, report) => {
    for (const p of valueProblems(ctx)) if (p.ruleId === 'KUMA021') report(p.m, p.message, p.fix, { at: p.at });
  },
};
