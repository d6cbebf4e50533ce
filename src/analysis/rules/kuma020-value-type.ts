import { FindingSeverity } from '../finding';
import { valueProblems } from './_value-scan';
import { RuleDefinition } from './rule';

export const KUMA020: RuleDefinition = {
  id: 'KUMA020',
  name: 'value-type',
  severity: FindingSeverity.ERROR,
  fixable: false,
  summary: 'A label, annotation or env value that is not a string, or a port that is not an integer, as kubectl reads the YAML (1.1: unquoted true, yes, 8080): the API server rejects the object.',
  rationale: 'Kubernetes types label, annotation and env values as strings and ports as integers, and kubectl reads YAML 1.1, where an unquoted `true`, `yes` or `8080` is a boolean or a number; the API server then rejects the whole object, so none of it reaches the cluster.',
  restsOn: 'Reads the labels and annotations of every object and pod template, the env values and `containerPort`s of containers and init containers, and Service `spec.ports[].port`. Runs on every `--kuma-version`, but like every rule only on a set with something of Kuma in it.',
  fix: 'Quote label, annotation and env values (`"5432"`, `"true"`) and write ports as bare integers.',
  example: {
    flags: ['--kuma-version', '2.14'],
    bad: `# KUMA020 bad: the annotation value 5432 is unquoted, so YAML reads a number and the API server rejects the Deployment (annotation values must be strings)
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
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
      annotations:
        traffic.kuma.io/exclude-outbound-ports: 5432
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - containerPort: 8080
`,
    good: `# KUMA020 good: the annotation value is quoted ("5432"), so it is the string Kubernetes requires
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
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
      annotations:
        traffic.kuma.io/exclude-outbound-ports: "5432"
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - containerPort: 8080
`,
  },
  sources: [
    'https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations/',
    'https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/',
    'https://yaml.org/type/bool.html',
  ],
  check: (ctx, report) => {
    for (const p of valueProblems(ctx)) if (p.ruleId === 'KUMA020') report(p.m, p.message, p.fix);
  },
};
