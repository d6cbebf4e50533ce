import * as fs from 'fs';
import * as path from 'path';

/*
 * How `lint --fix` writes a file: atomically, through a temporary file renamed over it, and only
 * inside the linted tree.
 */

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
export function writeAtomically(file: string, content: string, roots: string[]): string | undefined {
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
