import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { unifiedDiff } from './_diff';
import { applyFileFix, LintFile, ManifestLocation, renderFile } from './_lint-fix';
import { KumaVersion } from '../../kuma/kuma-version';
import { KumaDistribution } from '../../mesh/kuma-control-plane';
import { MeshServicesMode } from '../../mesh/mesh';
import { Manifest } from '../../model/_manifests';
import { isDns1123Label } from '../../private/_validation';
import { forCommandLine, RULES_IN_ID_ORDER } from '../rules';
import { sarifLog } from './_sarif';
import { FindingSeverity } from '../finding';
import { MeshAnalysis } from '../mesh-analysis';

/** Where the lint command writes. */
export interface LintIo {
  readonly stdout: { write(s: string): unknown };
  readonly stderr: { write(s: string): unknown };
}

const USAGE = `usage: cdk8s-kuma lint [--format text|json|sarif] [--fix [--dry-run]] [--kuma-version <2.6..3.0>]
                       [--mesh-services-mode <mode>] [--distribution kuma|kong-mesh] [--control-plane-namespace <ns>]
                       [--namespace-label <ns>=<key>=<value>]... [--cni] [--ignore <RULE>]... <file|dir>...
       cdk8s-kuma --version

Reads Kubernetes YAML (multi-document files, YAML 1.1 as kubectl reads it; directories are searched
for *.yaml and *.yml) and reports what Kuma would do wrong with it. --fix applies the fixable rules
to the files (the safe ones only add annotations; with --kuma-version 3.x the migration fixes
replace what 3.x removed), each file written atomically (a temporary file renamed over it), then
reports what remains. --dry-run (or --diff) prints the changes as a unified diff and writes nothing.
--distribution and --control-plane-namespace say where the control plane runs (kuma-system for Kuma,
kong-mesh-system for Kong Mesh); without them it is read from the set, or assumed and said so.
--namespace-label declares a label of a namespace that is not in the files (Helm and Kustomize
output seldom has Namespace objects), e.g. shop=kuma.io/sidecar-injection=enabled: without it,
pods of such a namespace are not known to be meshed and no finding rests on it.
--cni says the control plane runs Kuma CNI (cni.enabled), so meshed pods get no root kuma-init
container; without it, findings that depend on it say they assume Kuma's default, no CNI.
--format json (or --json) prints the findings as JSON, --format sarif as a SARIF 2.1.0 log for
code scanning (GitHub, GitLab), each finding at its file and line.
Exit status: 0 no error (warnings allowed), 1 errors found, 2 bad usage or bad input (each bad file
or document is reported on one line; the rest is still checked).
`;

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = typeof FORMATS[number];

/** The package's version, from its package.json (lib/analysis/lint/ or src/analysis/lint/ -> the package root). */
export function packageVersion(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** `1 error`, `2 errors`. */
const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** Files larger than this are refused: a manifest this size is not a manifest. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** The `lint` command: returns the exit status. */
export function lint(argv: string[], io: LintIo): number {
  const args = [...argv];
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
    io.stdout.write(`cdk8s-kuma ${packageVersion()}\n`);
    return 0;
  }
  if (args[0] === 'lint') args.shift();
  let format: Format = 'text';
  let fix = false;
  let dryRun = false;
  let version = KumaVersion.DEFAULT;
  let mode: MeshServicesMode | undefined;
  let distribution: KumaDistribution | undefined;
  let controlPlaneNamespace: string | undefined;
  let cni: boolean | undefined;
  const namespaceLabels: Record<string, Record<string, string>> = {};
  const ignore: string[] = [];
  const paths: string[] = [];
  try {
    while (args.length > 0) {
      const a = args.shift()!;
      switch (a) {
        case '--help':
        case '-h':
          io.stdout.write(USAGE);
          return 0;
        case '--json':
          format = 'json';
          break;
        case '--format': {
          const f = value(a, args);
          if (!(FORMATS as readonly string[]).includes(f)) throw new Error(`--format: ${JSON.stringify(f)} is not one of ${FORMATS.join(', ')}`);
          format = f as Format;
          break;
        }
        case '--version':
          io.stdout.write(`cdk8s-kuma ${packageVersion()}\n`);
          return 0;
        case '--fix':
          fix = true;
          break;
        case '--dry-run':
        case '--diff':
          dryRun = true;
          break;
        case '--kuma-version':
          version = KumaVersion.parse(value(a, args));
          break;
        case '--ignore':
          ignore.push(value(a, args));
          break;
        case '--mesh-services-mode':
          mode = meshServicesMode(value(a, args));
          break;
        case '--distribution':
          distribution = distributionOf(value(a, args));
          break;
        case '--control-plane-namespace':
          controlPlaneNamespace = namespaceOf(value(a, args));
          break;
        case '--cni':
          cni = true;
          break;
        case '--namespace-label': {
          const v = value(a, args);
          const m = v.match(/^([^=]+)=([^=]+)=(.*)$/);
          if (m === null) throw new Error(`--namespace-label: ${JSON.stringify(v)} is not <namespace>=<key>=<value>, e.g. shop=kuma.io/sidecar-injection=enabled`);
          namespaceLabels[namespaceOf(m[1], '--namespace-label')] = { ...namespaceLabels[m[1]], [m[2]]: m[3] };
          break;
        }
        default:
          if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
          paths.push(a);
      }
    }
    if (paths.length === 0) throw new Error('no file or directory given');
    if (dryRun && !fix) throw new Error('--dry-run only goes with --fix');
  } catch (e: any) {
    io.stderr.write(`cdk8s-kuma: ${e.message}\n${USAGE}`);
    return 2;
  }

  const files: LintFile[] = [];
  const problems: string[] = [];
  const walked = expandAll(paths, problems);
  // Without --fix each file's YAML syntax tree is dropped once its objects are read: a lint of
  // a 50,000-object tree holds the objects, not every document's tree.
  let located: { manifests: Manifest[]; where: Map<Manifest, ManifestLocation> } = { manifests: [], where: new Map() };
  // `file#N` -> the line document N starts on (SARIF locations), counted in one pass per file
  const lines = new Map<string, number>();
  for (const file of walked.files) {
    const read = readLintFile(file);
    if (typeof read === 'string') {
      problems.push(read);
      continue;
    }
    const one = locate([read], problems);
    located.manifests.push(...one.manifests);
    if (format === 'sarif') documentLines(read, lines);
    if (fix) {
      files.push(read);
      for (const [m, loc] of one.where) located.where.set(m, loc);
    }
  }
  // Bad input is reported one line each; the rest of the set is still checked (exit 2 at the end).
  for (const p of problems) io.stderr.write(`cdk8s-kuma: ${p}\n`);

  const options = { version, meshServicesMode: mode, ignore, distribution, controlPlaneNamespace, namespaceLabels, cni };
  let raw;
  const fixed: Array<{ ruleId: string; object: string; source?: string }> = [];
  try {
    raw = MeshAnalysis._analyze(located.manifests, options);
    if (fix) {
      for (const f of raw) {
        if (f.autoFix !== undefined && applyFileFix(f.autoFix, located.where)) fixed.push({ ruleId: f.ruleId, object: f.object, source: f.source });
      }
      const written = files.filter((f) => f.changed.size > 0);
      for (const f of written) {
        const next = renderFile(f);
        if (dryRun) {
          // git-style names for relative paths (patch -p1 applies them), the path itself for absolute ones
          const rel = !path.isAbsolute(f.path);
          io.stdout.write(unifiedDiff((f.bom ? '\uFEFF' : '') + f.text, next, rel ? `a/${f.path}` : f.path, rel ? `b/${f.path}` : f.path));
          continue;
        }
        const failure = writeAtomically(f.path, next, walked.roots);
        if (failure !== undefined) {
          problems.push(failure);
          io.stderr.write(`cdk8s-kuma: ${failure}\n`);
        }
      }
      if (written.length > 0) {
        // the files' bad documents were reported by the first pass: not again
        located = locate(files, []);
        if (format === 'sarif' && !dryRun) for (const f of files) documentLines(f, lines);
        raw = MeshAnalysis._analyze(located.manifests, options);
      }
    }
  } catch (e: any) {
    io.stderr.write(`cdk8s-kuma: ${e.message}\n`);
    return 2;
  }
  const manifests = located.manifests;
  const findings = forCommandLine(raw);
  const errors = findings.filter((f) => f.severity === FindingSeverity.ERROR).length;
  if (format === 'sarif') {
    io.stdout.write(JSON.stringify(sarifLog({
      toolVersion: packageVersion(),
      kumaVersion: version.toString(),
      rules: RULES_IN_ID_ORDER,
      findings,
      lineOf: (source) => (source === undefined ? undefined : lines.get(source)),
      badInput: problems,
      root: process.cwd(),
    }), undefined, 2) + '\n');
  } else if (format === 'json') {
    io.stdout.write(JSON.stringify({
      version: version.toString(),
      objects: manifests.length,
      ...(fix ? { [dryRun ? 'wouldFix' : 'fixed']: fixed } : {}),
      findings,
      ...problems.length > 0 ? { badInput: problems } : {},
    }, undefined, 2) + '\n');
  } else {
    for (const f of fixed) io.stdout.write(`${dryRun ? 'WOULD FIX' : 'FIXED'} ${f.ruleId} ${f.object} (${f.source})\n`);
    for (const f of findings) {
      io.stdout.write(`${f.severity.toUpperCase()} ${f.ruleId} ${f.rule}\n  ${f.object} (${f.source})\n  ${f.message}.\n  fix: ${f.fix}\n`);
    }
    io.stdout.write(`${count(manifests.length, 'object')}, ${count(errors, 'error')}, ${count(findings.length - errors, 'warning')}${problems.length > 0 ? `, ${problems.length} bad input (see stderr)` : ''} (Kuma ${version})\n`);
  }
  if (problems.length > 0) return 2;
  return errors > 0 ? 1 : 0;
}

/** The manifests of the files' documents (the items of a `List`), and where each one sits. */
export function locate(files: LintFile[], problems: string[]): { manifests: Manifest[]; where: Map<Manifest, ManifestLocation> } {
  const manifests: Manifest[] = [];
  const where = new Map<Manifest, ManifestLocation>();
  for (const file of files) {
    file.docs.forEach((doc, i) => {
      const at = `${file.path}#${i + 1}`;
      // the document's line, counted only for a report: counting it for every document is quadratic in a file's length
      const line = () => lineOf(file.text, doc.range[0]);
      if (doc.errors.length > 0) {
        const message = doc.errors[0].message.split('\n')[0].replace(/:$/, '');
        // yaml's message names the line and column in the file; its first line is enough.
        problems.push(/Maximum call stack/.test(message) ? `${at} (line ${line()}): is nested too deeply to read` : `${at}: malformed YAML: ${message}`);
        return;
      }
      let obj: any;
      try {
        obj = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      } catch (e: any) {
        problems.push(`${at} (line ${line()}): ${e instanceof ReferenceError && /alias/i.test(e.message)
          ? `expands more than ${MAX_ALIAS_COUNT} YAML aliases, refused as a resource-exhaustion attack (an alias bomb)`
          : e instanceof RangeError ? 'is nested too deeply to read' : `cannot be read (${e.message})`}`);
        return;
      }
      if (obj === null || obj === undefined) return;
      if (typeof obj !== 'object' || Array.isArray(obj)) {
        problems.push(`${at} (line ${line()}): is not a Kubernetes object (a YAML mapping with apiVersion and kind) but a ${Array.isArray(obj) ? 'list' : typeof obj}`);
        return;
      }
      const list = obj.kind === 'List' && Array.isArray(obj.items);
      (list ? obj.items : [obj]).forEach((item: any, j: number) => {
        const m: Manifest = { obj: item, source: at };
        manifests.push(m);
        where.set(m, { file, doc: i, base: list ? ['items', j] : [] });
      });
    });
  }
  return { manifests, where };
}

function meshServicesMode(m: string): MeshServicesMode {
  if (!Object.values<string>(MeshServicesMode).includes(m)) {
    throw new Error(`--mesh-services-mode: ${JSON.stringify(m)} is not one of ${Object.values(MeshServicesMode).join(', ')}`);
  }
  return m as MeshServicesMode;
}

/** The distributions by the names the lint command and cdk8s.yaml properties give them. */
export const DISTRIBUTIONS: Record<string, KumaDistribution> = { 'kuma': KumaDistribution.KUMA, 'kong-mesh': KumaDistribution.KONG_MESH };

function distributionOf(d: string): KumaDistribution {
  const found = DISTRIBUTIONS[d];
  if (found === undefined) throw new Error(`--distribution: ${JSON.stringify(d)} is not one of ${Object.keys(DISTRIBUTIONS).join(', ')}`);
  return found;
}

function namespaceOf(ns: string, option = '--control-plane-namespace'): string {
  if (!isDns1123Label(ns)) {
    throw new Error(`${option}: ${JSON.stringify(ns)} is not a namespace name (lower-case letters, digits and '-', at most 63)`);
  }
  return ns;
}

function value(option: string, args: string[]): string {
  const v = args.shift();
  if (v === undefined || v.startsWith('--')) throw new Error(`${option} needs a value`);
  return v;
}

/** How many aliases one document may expand (yaml's own default): more is an alias bomb. */
const MAX_ALIAS_COUNT = 100;

/** Records the line each document of a file starts on, as `file#N`, in one pass over the text. */
function documentLines(file: LintFile, into: Map<string, number>): void {
  let line = 1;
  let at = 0;
  file.docs.forEach((doc, i) => {
    // the document's content, not its `---` marker
    const offset = (doc.contents as { range?: [number, number, number] } | null)?.range?.[0] ?? doc.range[0];
    for (; at < offset && at < file.text.length; at++) if (file.text.charCodeAt(at) === 10) line++;
    into.set(`${file.path}#${i + 1}`, line);
  });
}

/** The 1-based line of an offset. */
function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Reads one file as YAML 1.1, the way kubectl reads it (sigs.k8s.io/yaml on go-yaml v2: `yes`,
 * `on` and `0777` are a boolean and a number there), or says why it cannot.
 */
export function readLintFile(file: string): LintFile | string {
  let buf: Buffer;
  try {
    if (fs.statSync(file).size > MAX_FILE_BYTES) return `${file}: is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB, too large for a manifest`;
    buf = fs.readFileSync(file);
  } catch (e: any) {
    return `${file}: cannot be read (${e.code ?? e.message})`;
  }
  if (buf.includes(0)) return `${file}: is a binary file, not YAML`;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buf);
  } catch {
    return `${file}: is not UTF-8 text`;
  }
  const bom = text.startsWith('\uFEFF');
  if (bom) text = text.slice(1);
  const helm = /\{\{-?\s*[-.$a-zA-Z(/]/.exec(text);
  if (helm !== null) {
    return `${file} (line ${lineOf(text, helm.index)}): is a Helm template that is not rendered yet ({{ ... }}): lint the output of helm template`;
  }
  try {
    return { path: file, text, bom, docs: parseAllDocuments(text, { version: '1.1', prettyErrors: true }), changed: new Set() };
  } catch (e: any) {
    return `${file}: cannot be parsed (${e instanceof RangeError ? 'nested too deeply' : e.message})`;
  }
}

/**
 * The files to lint: each file given, and the *.yaml and *.yml files under each directory given,
 * each file once (by its real path). Symbolic links are followed inside the directory given only:
 * a link out of it or back up into it (a loop) is reported, not followed.
 */
function expandAll(paths: string[], problems: string[]): { files: string[]; roots: string[] } {
  const files: string[] = [];
  const seen = new Set<string>();
  const roots: string[] = [];
  const add = (file: string, real: string) => {
    if (seen.has(real)) return;
    seen.add(real);
    files.push(file);
  };
  for (const p of paths) {
    let real: string;
    try {
      real = fs.realpathSync(p);
    } catch (e: any) {
      problems.push(e.code === 'ELOOP' ? `${p}: is a symbolic link loop` : `${p}: no such file or directory`);
      continue;
    }
    // the tree a fix may write in: the directory given, or the directory of the file given (not of its link target)
    const isDirectory = fs.statSync(real).isDirectory();
    roots.push(isDirectory ? real : fs.realpathSync(path.dirname(p)));
    if (!isDirectory) {
      add(p, real);
      continue;
    }
    const visited = new Set<string>();
    const walk = (dir: string, realDir: string) => {
      visited.add(realDir);
      let names: string[];
      try {
        names = fs.readdirSync(dir).sort();
      } catch (e: any) {
        problems.push(`${dir}: cannot be read (${e.code ?? e.message})`);
        return;
      }
      for (const name of names) {
        const full = path.join(dir, name);
        let target: string;
        let stat: fs.Stats;
        try {
          target = fs.realpathSync(full);
          stat = fs.statSync(target);
        } catch (e: any) {
          if (/\.ya?ml$/.test(name) || e.code === 'ELOOP') problems.push(`${full}: is a ${e.code === 'ELOOP' ? 'symbolic link loop' : 'broken symbolic link'}; not followed`);
          continue;
        }
        if (target !== real && !target.startsWith(real + path.sep)) {
          if (stat.isDirectory() || /\.ya?ml$/.test(name)) problems.push(`${full}: is a symbolic link out of ${p} (to ${target}); not followed`);
          continue;
        }
        if (stat.isDirectory()) {
          if (visited.has(target)) problems.push(`${full}: is a symbolic link loop (back to ${target}); not followed`);
          else walk(full, target);
        } else if (/\.ya?ml$/.test(name)) {
          add(full, target);
        }
      }
    };
    walk(p, real);
  }
  return { files, roots };
}

/** Removes what a killed `--fix` left next to `target`: its temporary files of processes that are gone. */
function removeStaleTemporaries(target: string): void {
  const prefix = `.${path.basename(target)}.`;
  for (const name of fs.readdirSync(path.dirname(target))) {
    const m = name.startsWith(prefix) ? /^\.(\d+)\.[0-9a-z]+\.cdk8s-kuma\.tmp$/.exec(name.slice(prefix.length - 1)) : null;
    if (m === null) continue;
    try {
      process.kill(Number(m[1]), 0);
    } catch {
      fs.rmSync(path.join(path.dirname(target), name), { force: true });
    }
  }
}

/**
 * Writes a fixed file atomically: a temporary file in the same directory, with the file's mode,
 * renamed over it, so that a crash or a full disk leaves the old or the new content, never a
 * truncated one. A symbolic link is written through to its target, and only inside the linted
 * tree. Returns why it could not, if it could not (the file is then unchanged).
 */
function writeAtomically(file: string, content: string, roots: string[]): string | undefined {
  let target: string;
  try {
    target = fs.realpathSync(file);
  } catch (e: any) {
    return `${file}: not fixed: ${e.code ?? e.message}`;
  }
  if (!roots.some((r) => target === r || target.startsWith(r + path.sep))) {
    return `${file}: not fixed: it is a symbolic link out of the linted tree (to ${target})`;
  }
  removeStaleTemporaries(target);
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${Date.now().toString(36)}.cdk8s-kuma.tmp`);
  let fd: number | undefined;
  try {
    const mode = fs.statSync(target).mode % 0o10000; // the permission bits
    fd = fs.openSync(tmp, 'wx', mode);
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.chmodSync(tmp, mode);
    fs.renameSync(tmp, target);
    return undefined;
  } catch (e: any) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    return `${file}: not fixed, left unchanged (${e.code ?? e.message})`;
  }
}
