/** A JSON pointer (RFC 6901) to `path`: each key with '~' written '~0' and '/' written '~1' (kuma.io/mesh). */
export function jsonPointer(path: ReadonlyArray<string | number>): string {
  return path.map((k) => '/' + String(k).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}
