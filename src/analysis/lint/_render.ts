import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/*
 * Folders whose files are not the objects a cluster gets: a kustomization (its files are bases,
 * patches and generators: `kubectl kustomize` assembles the objects) and a Helm chart (templates:
 * `helm template` renders them). The lint renders such a folder when a renderer is on PATH, as
 * kubeconform and kube-score users do in a pipe, and otherwise refuses it with the command to run:
 * linting the raw files would pass patches as objects and miss the resources.
 */

/** The files that make a folder a kustomization (kustomize's recognised names). */
const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** Whether a path names the file that makes its folder a kustomization or a chart (kustomization.yaml, Chart.yaml). */
export function isFolderMarker(p: string): boolean {
  return KUSTOMIZATION_FILES.includes(path.basename(p)) || path.basename(p) === 'Chart.yaml';
}

/** What renders a folder. */
export interface FolderKind {
  readonly kind: 'kustomization' | 'Helm chart';
  /** The file that says so. */
  readonly marker: string;
}

/** Whether a folder is a kustomization or a Helm chart. */
export function folderKind(dir: string): FolderKind | undefined {
  for (const f of KUSTOMIZATION_FILES) if (isFile(path.join(dir, f))) return { kind: 'kustomization', marker: f };
  if (isFile(path.join(dir, 'Chart.yaml'))) return { kind: 'Helm chart', marker: 'Chart.yaml' };
  return undefined;
}

/** The output of rendering a folder, or why it could not be rendered. */
export type Rendered = { readonly text: string; readonly by: string } | { readonly problem: string };

/** Renders a kustomization or a chart with the first renderer on PATH. */
export function render(dir: string, kind: FolderKind): Rendered {
  const q = quote(dir);
  const renderers: [string, string[]][] = kind.kind === 'kustomization'
    ? [['kubectl', ['kustomize', dir]], ['kustomize', ['build', dir]]]
    : [['helm', ['template', dir]]];
  const found = renderers.find(([cmd]) => onPath(cmd) !== undefined);
  if (found === undefined) {
    const how = kind.kind === 'kustomization'
      ? `kubectl kustomize ${q} | cdk8s-kuma lint - (neither kubectl nor kustomize is on PATH)`
      : `helm template <release> ${q} | cdk8s-kuma lint - (helm is not on PATH)`;
    return { problem: `${dir}: is a ${kind.kind} (${kind.marker}), whose files are not the objects it gives; render it: ${how}` };
  }
  const [cmd, args] = found;
  const by = `${cmd} ${args.slice(0, -1).join(' ')}`;
  try {
    const text = execFileSync(onPath(cmd)!, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
    return { text, by };
  } catch (e: any) {
    // its last line of stderr; a timeout or an output too large has none
    const why = String(e.stderr ?? '').trim().split('\n').filter((l) => l.trim() !== '').slice(-1)[0]
      ?? (e.signal ? `killed by ${e.signal}${e.code === 'ETIMEDOUT' ? ' (timed out after 5 minutes)' : ''}`
        : e.code === 'ENOBUFS' ? 'its output is larger than 64 MiB' : e.status !== null && e.status !== undefined ? `exit ${e.status}` : String(e.message));
    return { problem: `${dir}: ${by} ${q} failed: ${why}` };
  }
}

/** The executable `cmd` on PATH, if any. */
function onPath(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const file = path.join(dir, cmd);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** A path as a shell word, for the command a message shows. */
function quote(p: string): string {
  return /^[\w@%+=:,./-]+$/.test(p) ? p : `'${p.replace(/'/g, '\'\\\'\'')}'`;
}
