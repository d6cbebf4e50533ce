import { Document, isScalar } from 'yaml';
import { KumaAnnotation } from '../../kuma/well-known';
import { ServiceUpstream } from '../../mesh/service-upstream';
import { Manifest, podMetadataPath } from '../../model/_manifests';
import { Fix } from '../rules/rule';

/** A YAML file read by the lint command, kept as documents so that a fix keeps comments. */
export interface LintFile {
  readonly path: string;
  /** The text, without a byte-order mark. */
  readonly text: string;
  /** Whether the file starts with a UTF-8 byte-order mark (kept when it is rewritten). */
  readonly bom: boolean;
  readonly docs: Document.Parsed[];
  /** Indexes of the documents a fix changed. */
  readonly changed: Set<number>;
  /**
   * Set for the output of a renderer (kubectl kustomize, helm template): its lines are not those
   * of a file, and a fix cannot be written back.
   */
  readonly rendered?: boolean;
  /** For rendered output: the file findings are reported at (the folder's kustomization.yaml or Chart.yaml). */
  readonly artifact?: string;
}

/** Where a manifest sits in a file: the document and, for a `List`, the item. */
export interface ManifestLocation {
  readonly file: LintFile;
  readonly doc: number;
  readonly base: ReadonlyArray<string | number>;
}

/**
 * Applies a fix to the YAML the manifest came from. The annotation fixes only add annotations
 * that are absent: a value the user wrote is never changed. Edit fixes change what they name:
 * migration fixes (rules for the target version) replace what that version removed with what it
 * reads, and the pod-start fixes (KUMA028, KUMA029) the pod security settings Kuma's sidecar cannot
 * start under. Returns whether anything was written.
 */
export function applyFileFix(fix: Fix, where: Map<Manifest, ManifestLocation>): boolean {
  if (fix.kind === 'edit') {
    // A migration fix (--kuma-version 3.x): replaces what the target version removed.
    const loc = where.get(fix.target);
    if (loc === undefined) return false;
    const doc = loc.file.docs[loc.doc];
    for (const op of fix.ops) {
      if (op.op === 'delete') {doc.deleteIn([...loc.base, ...op.path]);} else {
        ensureParents(doc, [...loc.base, ...op.path]);
        doc.setIn([...loc.base, ...op.path], doc.createNode(op.value));
      }
    }
    loc.file.changed.add(loc.doc);
    return true;
  }
  if (fix.kind === 'service-upstream') {
    const loc = where.get(fix.service);
    if (loc === undefined) return false;
    const present = fix.service.obj.metadata?.annotations ?? {};
    let wrote = false;
    for (const key of ServiceUpstream._KEYS) {
      if (present[key] !== undefined) continue;
      setAnnotation(loc, ['metadata'], key, ServiceUpstream.VALUE);
      wrote = true;
    }
    return wrote;
  }
  const loc = where.get(fix.gateway.manifest);
  if (loc === undefined || fix.gateway.annotations[KumaAnnotation.REACHABLE_SERVICES] !== undefined) return false;
  setAnnotation(loc, podMetadataPath(fix.gateway.manifest.obj)!, KumaAnnotation.REACHABLE_SERVICES, fix.services.join(','));
  return true;
}

/**
 * The file with its changed documents re-serialized and every other document byte for byte as
 * read. Flow mappings keep their padding, block sequences their indentation style and lines
 * their CRLF endings, so that the diff a fix leaves is the added annotations.
 */
export function renderFile(file: LintFile): string {
  const crlf = file.text.includes('\r\n');
  const indentSeq = !/^( *)[^\s#-][^\n]*:\r?\n\1- /m.test(file.text);
  let out = '';
  let from = 0;
  file.docs.forEach((doc, i) => {
    const end = doc.range[2];
    if (file.changed.has(i)) {
      const text = doc.toString({ lineWidth: 0, indentSeq, flowCollectionPadding: false });
      out += crlf ? text.replace(/\r?\n/g, '\r\n') : text;
    } else {
      out += file.text.slice(from, end);
    }
    from = end;
  });
  return (file.bom ? '\uFEFF' : '') + out + file.text.slice(from);
}

/**
 * Creates the missing mappings above `path` as plain mappings. `setIn` would create them from
 * JavaScript Maps, which a YAML 1.1 document writes as `!!omap` sequences: kubectl and kustomize
 * do not read those as objects.
 */
function ensureParents(doc: Document, path: ReadonlyArray<string | number>): void {
  for (let i = 1; i < path.length; i++) {
    const parent = path.slice(0, i);
    const node = doc.getIn(parent, true);
    if (node === undefined || node === null || (isScalar(node) && node.value === null)) doc.setIn(parent, doc.createNode(typeof path[i] === 'number' ? [] : {}));
  }
}

function setAnnotation(loc: ManifestLocation, metadata: string[], key: string, value: string): void {
  const doc = loc.file.docs[loc.doc];
  const path = [...loc.base, ...metadata, 'annotations'];
  const node = doc.getIn(path, true);
  // `annotations:` with no value parses as a null scalar: replace it with a mapping
  if (node === undefined || node === null || (isScalar(node) && node.value === null)) {
    doc.setIn(path, doc.createNode({ [key]: value }));
  } else {
    doc.setIn([...path, key], value);
  }
  loc.file.changed.add(loc.doc);
}
