import { FindingSeverity } from '../finding';
import { valueProblems } from './_value-scan';
import { RuleDefinition } from './rule';

export const KUMA021: RuleDefinition = {
  id: 'KUMA021',
  name: 'label-syntax',
  severity: FindingSeverity.ERROR,
  fixable: false,
  summary: 'A label or annotation key, or a label value, that Kubernetes rejects (qualified names, 63-character label values).',
  rationale: 'The API server checks label and annotation keys as qualified names (an optional DNS-subdomain prefix and `/`, then at most 63 letters, digits, `-`, `_` and `.`, alphanumeric at both ends) and label values as at most 63 such characters, and rejects the whole object when one does not fit.',
  restsOn: 'Reads the keys of labels and annotations and the label values of every object and pod template; values that are not strings are left to KUMA020, and annotation values are not checked. Annotation keys are checked with the label-key rules, although the API server lowercases an annotation key before checking it; runs on every `--kuma-version`, but only on a set with something of Kuma in it.',
  fix: 'Use a key such as `example.com/name` and a label value of at most 63 allowed characters; put a longer or freer value in an annotation.',
  example: {
    flags: ['--kuma-version', '2.14'],
    bad: `# KUMA021 bad: the pod label value "1.4.0+build.7" contains '+', which is not a valid label value, so the API server rejects the Deployment
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    kuma.io/sidecar-injection: enabled
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
        version: "1.4.0+build.7"
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - containerPort: 8080
`,
    good: `# KUMA021 good: the label value is "1.4.0-build.7" (only letters, digits, '-', '_' and '.'); the full build string could go in an annotation
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    kuma.io/sidecar-injection: enabled
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
        version: "1.4.0-build.7"
      annotations:
        example.com/build: "1.4.0+build.7"
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - containerPort: 8080
`,
  },
  sources: [
    'https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set',
    'https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations/#syntax-and-character-set',
  ],
  check: (ctx, report) => {
    for (const p of valueProblems(ctx)) if (p.ruleId === 'KUMA021') report(p.m, p.message, p.fix);
  },
};
