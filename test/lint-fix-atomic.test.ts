/**
 * `lint --fix` never loses a byte: --dry-run prints the diff and writes nothing; each file is
 * written atomically (kept mode, symlinks only inside the tree); and a process killed at random
 * points during --fix over many files leaves every file either as it was or as fixed, byte for
 * byte, and a re-run completes the job.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runLint } from './support/run-lint';
import { tempDirs } from './support/temp-dirs';

const ROOT = path.join(__dirname, '..');
const fresh = tempDirs('fix');

/** A meshed namespace and a Service without service-upstream: KUMA001 adds both annotations. */
const manifest = (i: number) => `# service ${i}
apiVersion: v1
kind: Namespace
metadata:
  name: ns${i}
  labels:
    kuma.io/sidecar-injection: disabled
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ns${i}
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web, kuma.io/sidecar-injection: enabled}
    spec:
      containers: [{name: web, image: web}]
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: ns${i}
spec:
  selector: {app: web}
  ports: [{port: 80}]
`;

describe('lint --fix', () => {
  test('--dry-run prints a unified diff and writes nothing', () => {
    const dir = fresh();
    const file = path.join(dir, 'svc.yaml');
    fs.writeFileSync(file, manifest(1));
    const r = runLint('lint', '--fix', '--dry-run', file);
    expect(fs.readFileSync(file, 'utf8')).toBe(manifest(1));
    expect(r.stdout).toContain([
      `--- ${file}`,
      `+++ ${file}`,
      '@@ -25,6 +25,9 @@',
      ' metadata:',
      '   name: web',
      '   namespace: ns1',
      '+  annotations:',
      '+    ingress.kubernetes.io/service-upstream: "true"',
      '+    nginx.ingress.kubernetes.io/service-upstream: "true"',
      ' spec:',
      '   selector: {app: web}',
      '   ports: [{port: 80}]',
    ].join('\n'));
    expect(r.stdout).toContain('WOULD FIX KUMA001 Service ns1/web');
    expect(runLint('lint', '--dry-run', file).status).toBe(2);
  });

  test('a bad document in a fixed file is reported once', () => {
    const dir = fresh();
    const file = path.join(dir, 'svc.yaml');
    fs.writeFileSync(file, manifest(4) + '---\n- not an object\n');
    const r = runLint('lint', '--fix', '--json', file);
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stdout).badInput).toEqual([`${file}#4 (line 31): is not a Kubernetes object (a YAML mapping with apiVersion and kind) but a list`]);
    expect(r.stderr.split('\n').filter((l) => l !== '')).toHaveLength(1);
  });

  test('writes through a temporary file: mode kept, no temporary file left, symlinks inside the tree followed', () => {
    const dir = fresh();
    fs.mkdirSync(path.join(dir, 'real'));
    const file = path.join(dir, 'real', 'svc.yaml');
    fs.writeFileSync(file, manifest(2));
    fs.chmodSync(file, 0o640);
    fs.symlinkSync(path.join('real', 'svc.yaml'), path.join(dir, 'link.yaml'));
    runLint('lint', '--fix', path.join(dir, 'link.yaml'));
    expect(fs.lstatSync(path.join(dir, 'link.yaml')).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toContain('nginx.ingress.kubernetes.io/service-upstream: "true"');
    expect(fs.statSync(file).mode % 0o10000).toBe(0o640);
    expect(fs.readdirSync(path.join(dir, 'real'))).toEqual(['svc.yaml']);

    // a link out of the linted tree is read, but never written through
    const outside = fresh();
    fs.writeFileSync(path.join(outside, 'svc.yaml'), manifest(3));
    fs.mkdirSync(path.join(dir, 'repo'));
    fs.symlinkSync(path.join(outside, 'svc.yaml'), path.join(dir, 'repo', 'svc.yaml'));
    const r = runLint('lint', '--fix', path.join(dir, 'repo', 'svc.yaml'));
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`cdk8s-kuma: ${path.join(dir, 'repo', 'svc.yaml')}: not fixed: it is a symbolic link out of the linted tree (to ${path.join(outside, 'svc.yaml')})\n`);
    expect(fs.readFileSync(path.join(outside, 'svc.yaml'), 'utf8')).toBe(manifest(3));
  });

  test('a process killed at random points leaves every file old or new, and a re-run completes the job', async () => {
    const dir = fresh();
    const count = 150;
    const names = Array.from({ length: count }, (_, i) => `svc-${String(i).padStart(3, '0')}.yaml`);
    names.forEach((n, i) => fs.writeFileSync(path.join(dir, n), manifest(i)));
    // the fixed content of each file, from a clean run on a copy
    const reference = fresh();
    names.forEach((n, i) => fs.writeFileSync(path.join(reference, n), manifest(i)));
    runLint('lint', '--fix', reference);
    const fixed = new Map(names.map((n) => [n, fs.readFileSync(path.join(reference, n), 'utf8')]));

    const killPoints = [150, 400, 600, 800, 1000, 1300, 1600, 2000];
    for (const delay of killPoints) {
      await new Promise<void>((resolve) => {
        const child = spawn(process.execPath, ['-r', 'ts-node/register', path.join(ROOT, 'src', 'cli.ts'), 'lint', '--fix', dir], {
          cwd: ROOT, env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'test', 'tsconfig.json'), TS_NODE_TRANSPILE_ONLY: 'true' }, stdio: 'ignore',
        });
        const timer = setTimeout(() => child.kill('SIGKILL'), delay);
        child.on('exit', () => { clearTimeout(timer); resolve(); });
      });
      names.forEach((n, i) => {
        const text = fs.readFileSync(path.join(dir, n), 'utf8');
        expect([manifest(i), fixed.get(n)]).toContain(text);
      });
      // a kill between write and rename may leave a temporary file, never a torn manifest
      for (const left of fs.readdirSync(dir).filter((f) => !names.includes(f))) {
        expect(left).toMatch(/^\.svc-\d{3}\.yaml\.\d+\.[0-9a-z]+\.cdk8s-kuma\.tmp$/);
      }
    }
    runLint('lint', '--fix', dir);
    names.forEach((n) => expect(fs.readFileSync(path.join(dir, n), 'utf8')).toBe(fixed.get(n)));
    // the re-run removed what the killed runs left
    expect(fs.readdirSync(dir).sort()).toEqual(names);
  }, 120_000);

  // A full disk: a tiny tmpfs filled to the last byte. Needs root and mount(8), as on this
  // project's machines and CI; elsewhere the test is reported as skipped, not passed.
  const tiny = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-kuma-tiny-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', tiny]).status === 0;
  afterAll(() => {
    if (mounted) spawnSync('umount', [tiny]);
    fs.rmSync(tiny, { recursive: true, force: true });
  });
  (mounted ? test : test.skip)('a full disk and a read-only file system: every file left unchanged and reported, exit 2; a re-run fixes them', () => {
    const names = ['a.yaml', 'b.yaml', 'c.yaml'];
    names.forEach((n, i) => fs.writeFileSync(path.join(tiny, n), manifest(i)));
    const filler = path.join(tiny, 'filler.bin');
    const fd = fs.openSync(filler, 'w');
    try {
      for (;;) fs.writeSync(fd, Buffer.alloc(1024));
    } catch (e: any) {
      expect(e.code).toBe('ENOSPC');
    } finally {
      fs.closeSync(fd);
    }
    const r = runLint('lint', '--fix', ...names.map((n) => path.join(tiny, n)));
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(names.map((n) => `cdk8s-kuma: ${path.join(tiny, n)}: not fixed, left unchanged (ENOSPC)\n`).join(''));
    names.forEach((n, i) => expect(fs.readFileSync(path.join(tiny, n), 'utf8')).toBe(manifest(i)));
    expect(fs.readdirSync(tiny).sort()).toEqual([...names, 'filler.bin'].sort());
    fs.rmSync(filler);
    // a read-only file system: the same, EROFS
    expect(spawnSync('mount', ['-o', 'remount,ro', tiny]).status).toBe(0);
    const ro = runLint('lint', '--fix', path.join(tiny, 'a.yaml'));
    expect(spawnSync('mount', ['-o', 'remount,rw', tiny]).status).toBe(0);
    expect(ro.stderr).toBe(`cdk8s-kuma: ${path.join(tiny, 'a.yaml')}: not fixed, left unchanged (EROFS)\n`);
    expect(fs.readFileSync(path.join(tiny, 'a.yaml'), 'utf8')).toBe(manifest(0));
    expect(runLint('lint', '--fix', ...names.map((n) => path.join(tiny, n))).status).toBe(0);
    names.forEach((n) => expect(fs.readFileSync(path.join(tiny, n), 'utf8')).toContain('service-upstream: "true"'));
  });
});
