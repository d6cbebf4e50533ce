/**
 * The hostile-input catalogue of the lint command: odd but real input a GitOps repository holds.
 * Each entry lays its files out in a fresh directory and says what `cdk8s-kuma lint` must answer:
 * the exit status (2 for bad input) and the exact report, never a stack trace. The README lists
 * the catalogue (test/lint-hostile.test.ts checks that they agree).
 */
import * as fs from 'fs';
import * as path from 'path';

export interface HostileInput {
  readonly id: string;
  /** The input, in a user's words. */
  readonly what: string;
  /** Lays the input out under `dir`; returns the lint arguments (paths relative to `dir`). */
  readonly make: (dir: string) => string[];
  readonly status: number;
  /** stderr, with the directory written as `<dir>`. */
  readonly stderr: string;
  /** The last line of stdout (the summary). */
  readonly summary: string;
  /** A finding stdout must contain, if any. */
  readonly finding?: string;
}

const write = (dir: string, file: string, content: string | Buffer) => {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), content);
  return file;
};

const NS = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n';
const deployment = (podAnnotations: string, env = '', port = '8080') => `apiVersion: apps/v1
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
${podAnnotations}
    spec:
      containers:
        - name: web
          image: web:1
          ports:
            - containerPort: ${port}
${env}`;

const aliasBomb = ['a: &a [x,x,x,x,x,x,x,x,x]', 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]', 'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]', 'f: [*e,*e,*e,*e,*e,*e,*e,*e,*e]'].join('\n') + '\n';

const objects = (n: number) => `${n} object${n === 1 ? '' : 's'}`;
const OK = (n: number) => `${objects(n)}, 0 errors, 0 warnings (Kuma 2.14)`;
const BAD = (n: number, bad = 1) => `${objects(n)}, 0 errors, 0 warnings, ${bad} bad input (see stderr) (Kuma 2.14)`;

export const HOSTILE: HostileInput[] = [
  {
    id: 'H01',
    what: 'a YAML alias bomb (nested anchors)',
    make: (d) => [write(d, 'bomb.yaml', aliasBomb)],
    status: 2,
    stderr: 'cdk8s-kuma: bomb.yaml#1 (line 1): expands more than 100 YAML aliases, refused as a resource-exhaustion attack (an alias bomb)\n',
    summary: BAD(0),
  },
  {
    id: 'H02',
    what: 'deeply nested flow collections',
    make: (d) => [write(d, 'deep.yaml', 'a: ' + '['.repeat(20000) + ']'.repeat(20000) + '\n')],
    status: 2,
    stderr: 'cdk8s-kuma: deep.yaml#1 (line 1): is nested too deeply to read\n',
    summary: BAD(0),
  },
  {
    id: 'H03',
    what: 'a huge scalar (a 5 MB annotation value)',
    make: (d) => [write(d, 'huge.yaml', `${NS}  annotations:\n    example.com/blob: "${'x'.repeat(5 * 1024 * 1024)}"\n`)],
    status: 0,
    stderr: '',
    summary: OK(1),
  },
  {
    id: 'H04',
    what: 'a binary file named .yaml',
    make: (d) => [write(d, 'image.yaml', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]))],
    status: 2,
    stderr: 'cdk8s-kuma: image.yaml: is a binary file, not YAML\n',
    summary: BAD(0),
  },
  {
    id: 'H05',
    what: 'a file that is not UTF-8 (Latin-1)',
    make: (d) => [write(d, 'latin1.yaml', Buffer.from('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: caf\xe9\n', 'latin1'))],
    status: 2,
    stderr: 'cdk8s-kuma: latin1.yaml: is not UTF-8 text\n',
    summary: BAD(0),
  },
  {
    id: 'H06',
    what: 'a UTF-8 byte-order mark',
    make: (d) => [write(d, 'bom.yaml', '\uFEFF' + NS)],
    status: 0,
    stderr: '',
    summary: OK(1),
  },
  {
    id: 'H07',
    what: 'CRLF line endings',
    make: (d) => [write(d, 'crlf.yaml', NS.replace(/\n/g, '\r\n'))],
    status: 0,
    stderr: '',
    summary: OK(1),
  },
  {
    id: 'H08',
    what: 'duplicate keys in a mapping',
    make: (d) => [write(d, 'dup.yaml', 'apiVersion: v1\nkind: Namespace\nkind: Service\n')],
    status: 2,
    stderr: 'cdk8s-kuma: dup.yaml#1: malformed YAML: Map keys must be unique at line 3, column 1\n',
    summary: BAD(0),
  },
  {
    id: 'H09',
    what: 'tabs as indentation',
    make: (d) => [write(d, 'tabs.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n\tname: shop\n')],
    status: 2,
    stderr: 'cdk8s-kuma: tabs.yaml#1: malformed YAML: Tabs are not allowed as indentation at line 4, column 1\n',
    summary: BAD(0),
  },
  {
    id: 'H10',
    what: 'ingress.kubernetes.io/service-upstream: true (a YAML boolean, not the string "true")',
    make: (d) => [write(d, 'svc.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\n  labels:\n    kuma.io/mesh: default\n  annotations:\n    ingress.kubernetes.io/service-upstream: true\nspec:\n  ports: [{port: 80}]\n')],
    status: 1,
    stderr: '',
    summary: '1 object, 1 error, 0 warnings (Kuma 2.14)',
    finding: 'sets metadata.annotations["ingress.kubernetes.io/service-upstream"] to the YAML boolean true, but Kubernetes takes only strings there, so the API server rejects the object.',
  },
  {
    id: 'H11',
    what: 'a YAML 1.1 boolean (yes) as a label value',
    make: (d) => [write(d, 'yes.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    kuma.io/sidecar-injection: yes\n')],
    status: 1,
    stderr: '',
    summary: '1 object, 1 error, 0 warnings (Kuma 2.14)',
    finding: 'sets metadata.labels["kuma.io/sidecar-injection"] to the YAML boolean true, but Kubernetes takes only strings there',
  },
  {
    id: 'H12',
    what: 'a YAML 1.1 boolean (on) as a pod annotation value',
    make: (d) => [write(d, 'on.yaml', deployment('        kuma.io/wait-for-dataplane-ready: on'))],
    status: 1,
    stderr: '',
    summary: '1 object, 1 error, 0 warnings (Kuma 2.14)',
    finding: 'sets spec.template.metadata.annotations["kuma.io/wait-for-dataplane-ready"] to the YAML boolean true',
  },
  {
    id: 'H13',
    what: 'a number as an annotation value',
    make: (d) => [write(d, 'num.yaml', deployment('        kuma.io/sidecar-proxy-concurrency: 2'))],
    status: 1,
    stderr: '',
    summary: '1 object, 1 error, 0 warnings (Kuma 2.14)',
    finding: 'sets spec.template.metadata.annotations["kuma.io/sidecar-proxy-concurrency"] to the YAML number 2',
  },
  {
    id: 'H14',
    what: 'an octal-looking label value (0777, a number in YAML 1.1)',
    make: (d) => [write(d, 'octal.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    kuma.io/sidecar-injection: enabled\n    mode: 0777\n')],
    status: 1,
    stderr: '',
    summary: '1 object, 1 error, 0 warnings (Kuma 2.14)',
    finding: 'sets metadata.labels["mode"] to the YAML number 511',
  },
  {
    id: 'H15',
    what: 'an annotation with no value (null)',
    make: (d) => [write(d, 'null.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    kuma.io/sidecar-injection: enabled\n  annotations:\n    example.com/note:\n')],
    status: 1,
    stderr: '',
    summary: '1 object, 1 error, 0 warnings (Kuma 2.14)',
    finding: 'sets metadata.annotations["example.com/note"] to null',
  },
  {
    id: 'H16',
    what: 'an env value that is a number',
    make: (d) => [write(d, 'env.yaml', deployment('        kuma.io/envoy-log-level: info', '          env:\n            - name: WORKERS\n              value: 4\n'))],
    status: 1,
    stderr: '',
    summary: '1 object, 1 error, 0 warnings (Kuma 2.14)',
    finding: 'sets containers[0].env[0] (WORKERS) value to the YAML number 4, but Kubernetes takes only strings there',
  },
  {
    id: 'H17',
    what: 'a container port written as a string',
    make: (d) => [write(d, 'port.yaml', deployment('        kuma.io/envoy-log-level: info', '', '"8080"'))],
    status: 1,
    stderr: '',
    summary: '1 object, 1 error, 0 warnings (Kuma 2.14)',
    finding: 'sets containers[0].ports[0].containerPort to "8080", but Kubernetes takes only integers there',
  },
  {
    id: 'H18',
    what: 'a label key Kubernetes rejects',
    make: (d) => [write(d, 'key.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    kuma.io/sidecar-injection: enabled\n    a/b/c: x\n')],
    status: 1,
    stderr: '',
    summary: '1 object, 1 error, 0 warnings (Kuma 2.14)',
    finding: 'has the label key "a/b/c" in metadata, which has more than one "/", so the API server rejects the object',
  },
  {
    id: 'H19',
    what: 'a label value longer than 63 characters',
    make: (d) => [write(d, 'long.yaml', `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    kuma.io/sidecar-injection: enabled\n    team: ${'t'.repeat(64)}\n`)],
    status: 1,
    stderr: '',
    summary: '1 object, 1 error, 0 warnings (Kuma 2.14)',
    finding: 'which is not a label value (at most 63 letters, digits',
  },
  {
    id: 'H20',
    what: 'a document that is a list',
    make: (d) => [write(d, 'list.yaml', '- apiVersion: v1\n  kind: Namespace\n')],
    status: 2,
    stderr: 'cdk8s-kuma: list.yaml#1 (line 1): is not a Kubernetes object (a YAML mapping with apiVersion and kind) but a list\n',
    summary: BAD(0),
  },
  {
    id: 'H21',
    what: 'a document that is a scalar',
    make: (d) => [write(d, 'scalar.yaml', NS + '---\njust some text\n')],
    status: 2,
    stderr: 'cdk8s-kuma: scalar.yaml#2 (line 5): is not a Kubernetes object (a YAML mapping with apiVersion and kind) but a string\n',
    summary: BAD(1),
  },
  {
    id: 'H22',
    what: 'a kind: List with items (kubectl applies each)',
    make: (d) => [write(d, 'list-kind.yaml', 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Namespace\n    metadata: {name: a}\n  - apiVersion: v1\n    kind: Namespace\n    metadata: {name: b}\n')],
    status: 0,
    stderr: '',
    summary: OK(2),
  },
  {
    id: 'H23',
    what: 'an empty file',
    make: (d) => [write(d, 'empty.yaml', '')],
    status: 0,
    stderr: '',
    summary: OK(0),
  },
  {
    id: 'H24',
    what: 'empty documents between separators',
    make: (d) => [write(d, 'seps.yaml', '---\n---\n# only a comment\n---\n' + NS + '---\n')],
    status: 0,
    stderr: '',
    summary: OK(1),
  },
  {
    id: 'H25',
    what: 'a file that is only ---',
    make: (d) => [write(d, 'dashes.yaml', '---\n')],
    status: 0,
    stderr: '',
    summary: OK(0),
  },
  {
    id: 'H26',
    what: 'a path that does not exist',
    make: () => ['missing.yaml'],
    status: 2,
    stderr: 'cdk8s-kuma: missing.yaml: no such file or directory\n',
    summary: BAD(0),
  },
  {
    id: 'H27',
    what: 'a broken symbolic link in a directory',
    make: (d) => {
      write(d, 'repo/ns.yaml', NS);
      fs.symlinkSync('gone.yaml', path.join(d, 'repo', 'dangling.yaml'));
      return ['repo'];
    },
    status: 2,
    stderr: 'cdk8s-kuma: repo/dangling.yaml: is a broken symbolic link; not followed\n',
    summary: BAD(1),
  },
  {
    id: 'H28',
    what: 'a symbolic link loop (a directory linking to its parent)',
    make: (d) => {
      write(d, 'repo/ns.yaml', NS);
      fs.symlinkSync('..', path.join(d, 'repo', 'up'));
      fs.symlinkSync('.', path.join(d, 'repo', 'self'));
      return ['repo'];
    },
    status: 2,
    stderr: 'cdk8s-kuma: repo/self: is a symbolic link loop (back to <dir>/repo); not followed\ncdk8s-kuma: repo/up: is a symbolic link out of repo (to <dir>); not followed\n',
    summary: BAD(1, 2),
  },
  {
    id: 'H29',
    what: 'a symbolic link out of the linted tree',
    make: (d) => {
      write(d, 'outside/secret.yaml', NS);
      write(d, 'repo/ns.yaml', NS.replace('shop', 'web'));
      fs.symlinkSync(path.join('..', 'outside', 'secret.yaml'), path.join(d, 'repo', 'linked.yaml'));
      return ['repo'];
    },
    status: 2,
    stderr: 'cdk8s-kuma: repo/linked.yaml: is a symbolic link out of repo (to <dir>/outside/secret.yaml); not followed\n',
    summary: BAD(1),
  },
  {
    id: 'H30',
    what: 'a file given twice (directly and through its directory)',
    make: (d) => [write(d, 'repo/ns.yaml', NS), 'repo'],
    status: 0,
    stderr: '',
    summary: OK(1),
  },
  {
    id: 'H31',
    what: 'files that are not YAML in a directory (ignored)',
    make: (d) => {
      write(d, 'repo/README.md', '# docs {{ not yaml }}\n');
      write(d, 'repo/values.json', '{"a": 1}');
      write(d, 'repo/ns.yml', NS);
      return ['repo'];
    },
    status: 0,
    stderr: '',
    summary: OK(1),
  },
  {
    id: 'H32',
    what: 'a Helm template that is not rendered yet',
    make: (d) => [write(d, 'templates/deployment.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "kong.fullname" . }}\n')],
    status: 2,
    stderr: 'cdk8s-kuma: templates/deployment.yaml (line 4): is a Helm template that is not rendered yet ({{ ... }}): lint the output of helm template\n',
    summary: BAD(0),
  },
  {
    id: 'H33',
    what: 'one bad file among good ones: the rest is still checked',
    make: (d) => {
      write(d, 'repo/a-bad.yaml', 'a: [\n');
      write(d, 'repo/b-svc.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\n  labels:\n    kuma.io/mesh: default\n    replicas: 3\nspec:\n  ports: [{port: 80}]\n');
      return ['repo'];
    },
    status: 2,
    stderr: 'cdk8s-kuma: repo/a-bad.yaml#1: malformed YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 2, column 1\n',
    summary: '1 object, 1 error, 0 warnings, 1 bad input (see stderr) (Kuma 2.14)',
    finding: 'sets metadata.labels["replicas"] to the YAML number 3',
  },
  {
    id: 'H40',
    what: 'ingress.kubernetes.io/service-upstream: true (a YAML boolean) in a set with nothing else of Kuma',
    make: (d) => [write(d, 'svc.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\n  annotations:\n    ingress.kubernetes.io/service-upstream: true\nspec:\n  ports: [{port: 80}]\n')],
    status: 1,
    stderr: '',
    summary: '1 object, 1 error, 0 warnings (Kuma 2.14)',
    finding: 'sets metadata.annotations["ingress.kubernetes.io/service-upstream"] to the YAML boolean true, but Kubernetes takes only strings there, so the API server rejects the object.',
  },
  {
    id: 'H41',
    what: 'a YAML boolean label value (yes) in a set with nothing of Kuma: not Kuma\'s business',
    make: (d) => [write(d, 'svc.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\n  labels:\n    public: yes\nspec:\n  ports: [{port: 80}]\n')],
    status: 0,
    stderr: '',
    summary: '1 object, 0 errors, 0 warnings (Kuma 2.14)',
  },
];
