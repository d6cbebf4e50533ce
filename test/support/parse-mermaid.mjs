// Parses Mermaid text from standard input with Mermaid's own parser (mermaid.parse), the way GitHub
// and GitLab read a ```mermaid block. Mermaid is ESM-only and wants a DOM (DOMPurify), so it runs
// here, in a child process, with jsdom's window. Prints {"ok":true,"diagramType":...} or {"ok":false,"error":...}.
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const text = Buffer.concat(chunks).toString('utf8');
const mermaid = (await import('mermaid')).default;
try {
  const result = await mermaid.parse(text);
  process.stdout.write(JSON.stringify({ ok: true, diagramType: result.diagramType }));
} catch (e) {
  process.stdout.write(JSON.stringify({ ok: false, error: String(e?.message ?? e) }));
}
