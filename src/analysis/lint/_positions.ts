import { isMap, isPair, isScalar, isSeq, Node, parseDocument } from 'yaml';
import { Manifest } from '../../model/_manifests';
import type { ManifestPath } from '../rules/rule';

/*
 * Where a finding is, to the line and column: the key it is about, else its object. The lint drops
 * each document's syntax tree once its object is read (a 50,000-object tree holds the objects, not
 * the trees), so the documents that have findings are parsed again here, each once, from the file's
 * text: the cost is paid for findings only.
 */

/** A line and column, both 1-based, as editors and SARIF count them. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Where a manifest's document sits in its file's text. */
export interface DocumentSpan {
  /** The file's path, as the report names it. */
  readonly file: string;
  /** The file's text (shared by its documents). */
  readonly text: string;
  /** The document's offsets in it. */
  readonly start: number;
  readonly end: number;
  /** The manifest's path inside the document: `['items', j]` for an item of a List. */
  readonly base: ManifestPath;
}

/** The positions of the manifests of one lint run. */
export class Positions {
  private readonly spans = new Map<Manifest, DocumentSpan>();
  /** Per file: its text, its documents parsed again (by offset), its line starts. */
  private readonly files = new Map<string, { text: string; docs: Map<number, Node | null>; lineStarts?: number[] }>();

  /** Records where a manifest's document is. */
  public add(m: Manifest, span: DocumentSpan): void {
    this.spans.set(m, span);
  }

  /**
   * Gives each manifest of `after` the document of the manifest of `before` at the same place
   * (`file#N`, then the item of a List): --fix --dry-run reports the fixed set at the lines of the
   * files as they are on disk.
   */
  public carry(before: readonly Manifest[], after: readonly Manifest[]): void {
    const key = (m: Manifest, n: number) => `${m.source}\0${n}`;
    const placeOf = (list: readonly Manifest[]) => {
      const seen = new Map<string | undefined, number>();
      return list.map((m) => {
        const n = seen.get(m.source) ?? 0;
        seen.set(m.source, n + 1);
        return key(m, n);
      });
    };
    const spans = new Map<string, DocumentSpan>();
    placeOf(before).forEach((k, i) => {
      const span = this.spans.get(before[i]);
      if (span !== undefined) spans.set(k, span);
    });
    placeOf(after).forEach((k, i) => {
      const span = spans.get(k);
      if (span !== undefined) this.spans.set(after[i], span);
    });
  }

  /** Forgets the manifests of a file (rewritten by --fix: its positions are read again). */
  public forget(m: Manifest): void {
    this.spans.delete(m);
  }

  /** The position of the key `at` of manifest `m` (of the nearest key it has on that path), else of `m` itself. */
  public of(m: Manifest | undefined, at: ManifestPath | undefined): Position | undefined {
    const span = m === undefined ? undefined : this.spans.get(m);
    if (span === undefined) return undefined;
    const root = this.documentOf(span);
    if (root === null) return undefined;
    let node: unknown = root;
    // the object itself: its mapping's first key (a List item's too)
    let offset = firstOffset(node);
    for (const key of [...span.base, ...at ?? []]) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(key));
        if (pair === undefined) break;
        offset = (pair.key as Node).range?.[0] ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof key === 'number' && key < node.items.length) {
        node = node.items[key];
        offset = firstOffset(node) ?? offset;
      } else {
        break;
      }
    }
    return offset === undefined ? undefined : this.positionOf(span, span.start + offset);
  }

  /** The document's content node, parsed once per document. */
  private documentOf(span: DocumentSpan): Node | null {
    const docs = this.fileOf(span).docs;
    if (!docs.has(span.start)) {
      try {
        const doc = parseDocument(span.text.slice(span.start, span.end), { version: '1.1' });
        docs.set(span.start, doc.errors.length > 0 ? null : doc.contents as Node | null);
      } catch {
        docs.set(span.start, null);
      }
    }
    return docs.get(span.start) ?? null;
  }

  private fileOf(span: DocumentSpan) {
    let f = this.files.get(span.file);
    // a file --fix rewrote has a new text: what was parsed of the old one is dropped
    if (f === undefined || f.text !== span.text) this.files.set(span.file, f = { text: span.text, docs: new Map() });
    return f;
  }

  private positionOf(span: DocumentSpan, offset: number): Position {
    const f = this.fileOf(span);
    const text = span.text;
    let starts = f.lineStarts;
    if (starts === undefined) {
      starts = f.lineStarts = [0];
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = Math.floor((lo + hi + 1) / 2);
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    // columns count characters (UTF-16 code units), as yaml's own linePos does
    return { line: lo + 1, column: offset - starts[lo] + 1 };
  }
}

/** Where a node begins: a mapping's first key, else the node's own start. */
function firstOffset(node: unknown): number | undefined {
  if (isMap(node) && node.items.length > 0 && isScalar(node.items[0].key)) return (node.items[0].key as Node).range?.[0];
  return (node as Node | null)?.range?.[0];
}
