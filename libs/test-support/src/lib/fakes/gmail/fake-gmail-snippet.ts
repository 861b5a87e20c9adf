import { decodeCharset } from '../shared/mime-decoding';
import { parseMimeTree, type MimeNode } from './fake-gmail-mime-tree';

/** Gmail's snippets run to about 200 characters. */
const SNIPPET_LENGTH = 200;

const firstTextPart = (node: MimeNode, mimeType: string): MimeNode | undefined => {
  if (node.parts.length === 0) return node.mimeType === mimeType && !node.isAttachment ? node : undefined;
  for (const part of node.parts) {
    const found = firstTextPart(part, mimeType);
    if (found) return found;
  }
  return undefined;
};

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

const htmlToText = (html: string): string =>
  html
    .replace(/<(style|script)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (entity, code: string) => {
      if (code[0] !== '#') return ENTITIES[code.toLowerCase()] ?? entity;
      const point = code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
      return point > 0 && point <= 0x10ffff ? String.fromCodePoint(point) : entity;
    });

// Gmail sends snippets HTML-escaped (`it&#39;s`), so a client that shows them must unescape.
const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`);

const snippets = new WeakMap<Buffer, string>();

/**
 * The `snippet` Gmail shows for the message `raw`: the first text/plain part (else text/html
 * without tags), white space collapsed, cut to 200 characters, then HTML-escaped as Gmail does.
 * Cached per Buffer object.
 */
export function snippetOf(raw: Buffer): string {
  let snippet = snippets.get(raw);
  if (snippet === undefined) {
    const tree = parseMimeTree(raw);
    const plain = firstTextPart(tree, 'text/plain');
    const html = plain ? undefined : firstTextPart(tree, 'text/html');
    const part = plain ?? html;
    let text = part ? decodeCharset(part.body, part.charset) : '';
    if (html) text = htmlToText(text);
    snippet = escapeHtml(text.replace(/\s+/g, ' ').trim().slice(0, SNIPPET_LENGTH));
    snippets.set(raw, snippet);
  }
  return snippet;
}
