import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { STDIN } from './_args';
import { LintFile, ManifestLocation } from './_lint-fix';
import { Positions } from './_positions';
import { FolderKind, folderKind, isFolderMarker, render } from './_render';
import { Manifest } from '../../model/_manifests';

/*
 * The lint command's input: the paths it is given, expanded to YAML files, read (as kubectl reads
 * YAML: 1.1, multi-document), and located (which document of which file each object is, and the
 * line it starts on for SARIF).
 */

/** Files larger than this are refused: a manifest this size is not a manifest. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** The manifests of a set of files, where each sits, and how many documents were not Kubernetes objects. */
export interface Located {
  readonly manifests: Manifest[];
  readonly where: Map<Manifest, ManifestLocation>;
  /** The documents that are not Kubernetes objects (`file#N`). */
  readonly skipped: string[];
}

/** The manifests of the files' documents (the items of a `List`), and where each one sits. */
export function locate(files: LintFile[], problems: string[], positions?: Positions): Located {
  const skipped: string[] = [];
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
      // YAML that is no Kubernetes object at all (a chart's values.yaml or Chart.yaml): no kind and no
      // metadata; not an object of the set. One that has either but lacks apiVersion or kind is a
      // broken manifest, which kubectl refuses: bad input, not skipped.
      if (obj.kind === undefined && obj.metadata === undefined) {
        skipped.push(at);
        return;
      }
      const lacks = ['apiVersion', 'kind'].filter((k) => typeof obj[k] !== 'string' || obj[k] === '');
      if (lacks.length > 0) {
        problems.push(`${at} (line ${line()}): is not a Kubernetes object: it has no ${lacks.join(' and no ')} (kubectl refuses it)`);
        return;
      }
      const list = obj.kind === 'List' && Array.isArray(obj.items);
      (list ? obj.items : [obj]).forEach((item: any, j: number) => {
        const m: Manifest = { obj: item, source: at };
        manifests.push(m);
        const base = list ? ['items', j] : [];
        where.set(m, { file, doc: i, base });
        if (positions !== undefined && !file.rendered) {
          positions.add(m, { file: file.path, text: file.text, start: doc.range[0], end: doc.range[2], base });
        }
      });
    });
  }
  return { manifests, where, skipped };
}

/** How many aliases one document may expand (yaml's own default): more is an alias bomb. */
const MAX_ALIAS_COUNT = 100;

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
export function readLintFile(file: string, stdin: () => Buffer = () => fs.readFileSync(0)): LintFile | string {
  let buf: Buffer;
  try {
    // /dev/stdin names file descriptor 0, which cannot be opened again when it is a socket (ENXIO)
    if (file === STDIN || STDIN_ALIASES.includes(file)) {
      buf = stdin();
    } else {
      // a stream (a pipe, a process substitution) has no size until it is read
      const stat = fs.statSync(file);
      if (stat.isFile() && stat.size > MAX_FILE_BYTES) return `${file}: is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB, too large for a manifest`;
      buf = fs.readFileSync(file);
    }
    if (buf.length > MAX_FILE_BYTES) return `${file}: is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB, too large for a manifest`;
  } catch (e: any) {
    return `${file}: cannot be read (${e.code ?? e.message})`;
  }
  return parseLintBuffer(file, buf);
}

/** Reads an input: a file, or the rendered output of a kustomization or chart folder. */
export function readLintInput(input: LintInput, stdin?: () => Buffer): LintFile | string {
  if (input.folder === undefined) return readLintFile(input.path, stdin);
  const out = render(input.path, input.folder);
  if ('problem' in out) return out.problem;
  const read = parseLintBuffer(`${input.path} (${out.by})`, Buffer.from(out.text, 'utf8'));
  return typeof read === 'string' ? read : { ...read, rendered: true, artifact: path.join(input.path, input.folder.marker) };
}

/** Decodes and parses a file's bytes as YAML 1.1, or says why it cannot. */
export function parseLintBuffer(file: string, buf: Buffer): LintFile | string {
  if (buf.includes(0)) return `${file}: is a binary file, not YAML`;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buf);
  } catch {
    return `${file}: is not UTF-8 text`;
  }
  const bom = text.startsWith('\uFEFF');
  if (bom) text = text.slice(1);
  const helm = unrenderedTemplate(text);
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
export function expandAll(paths: string[], problems: string[]): { files: LintInput[]; roots: string[] } {
  const files: LintInput[] = [];
  const seen = new Set<string>();
  const roots: string[] = [];
  const add = (file: string, real: string, folder?: FolderKind) => {
    if (seen.has(real)) return;
    seen.add(real);
    files.push(folder === undefined ? { path: file } : { path: file, folder });
  };
  for (const p of paths) {
    // standard input, and files that are not regular (/dev/stdin, <(...), FIFOs): read, not walked
    if (p === STDIN || isStream(p)) {
      add(p, p === STDIN ? STDIN : `${p}\0stream`);
      continue;
    }
    let real: string;
    try {
      real = fs.realpathSync(p);
    } catch (e: any) {
      problems.push(e.code === 'ELOOP' ? `${p}: is a symbolic link loop` : `${p}: no such file or directory`);
      continue;
    }
    // the tree a fix may write in: the directory given, or the directory of the file given (not of its link target)
    const isDirectory = fs.statSync(real).isDirectory();
    // a kustomization or a chart given, as its folder or its kustomization.yaml or Chart.yaml: its rendered output
    // is linted (a fix cannot be written back)
    const folder = isDirectory ? folderKind(real) : isFolderMarker(p) ? folderKind(fs.realpathSync(path.dirname(p))) : undefined;
    if (folder !== undefined) {
      const dir = isDirectory ? p : path.dirname(p);
      add(dir, isDirectory ? real : fs.realpathSync(dir), folder);
      continue;
    }
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
          const inner = visited.has(target) ? undefined : folderKind(target);
          if (visited.has(target)) problems.push(`${full}: is a symbolic link loop (back to ${target}); not followed`);
          // one set is what one cluster gets: a kustomization or chart inside a tree is not read as objects,
          // nor rendered into the tree's set (each overlay would duplicate its base)
          else if (inner !== undefined) problems.push(`${full}: is a ${inner.kind} (${inner.marker}) inside ${p}; not read: lint it as a path of its own`);
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

/** One input of the lint: a file (or stream) to read, or a folder to render. */
export interface LintInput {
  readonly path: string;
  /** Set for a kustomization or chart folder, rendered before it is read. */
  readonly folder?: FolderKind;
}

/** Paths that name standard input itself. */
const STDIN_ALIASES = ['/dev/stdin', '/dev/fd/0', '/proc/self/fd/0'];

/** Whether `p` is a stream to read once rather than a file or directory: a pipe, a character device. */
function isStream(p: string): boolean {
  try {
    const stat = fs.statSync(p);
    return stat.isFIFO() || stat.isCharacterDevice() || stat.isSocket();
  } catch {
    return false;
  }
}

/** An action of the templates Kuma renders itself (kumahq/kuma meshidentity helpers.go, HostnameGenerator). */
const KUMA_TEMPLATE = /^\{\{\s*(\.(Mesh|Zone|Namespace|ServiceAccount|Workload|DisplayName)\s*\}\}|label\s+")/;

/** A Helm template action (`{{ .Values.x }}`) outside YAML comments, if the text has one. */
function unrenderedTemplate(text: string): { index: number } | null {
  const action = /\{\{-?\s*[-.$a-zA-Z(/]/g;
  for (let m = action.exec(text); m !== null; m = action.exec(text)) {
    // Kuma's own templates, which Kuma renders (MeshIdentity spiffeID, HostnameGenerator template:
    // {{ .Mesh }}, {{ .Zone }}, {{ .Namespace }}, {{ .ServiceAccount }}, {{ .Workload }},
    // {{ .DisplayName }}, {{ label "..." }}), are not Helm's (.Values, .Release, include, ...)
    if (KUMA_TEMPLATE.test(text.slice(m.index, m.index + 40))) continue;
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    // a # at the start of the line or after a blank begins a YAML comment (a chart's NOTES, a comment quoting a template)
    if (!/(^|\s)#/.test(text.slice(lineStart, m.index))) return { index: m.index };
  }
  return null;
}
