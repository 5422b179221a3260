/**
 * The little formatting that questions and coding tasks use: paragraphs,
 * numbered or bulleted lists, and `code` spans. Parsed into blocks that
 * components render as elements, so no text is ever injected as HTML.
 */

export type Inline = { code: boolean; text: string };
export type Block = { kind: 'p'; lines: Inline[][] } | { kind: 'ol' | 'ul'; items: Inline[][] };

const ORDERED = /^\s*\d+[.)]\s+/;
const BULLET = /^\s*[-*•]\s+/;

/** Splits on backticks: odd pieces are code. An unmatched backtick stays text. */
export function inlines(text: string): Inline[] {
  const parts = text.split('`');
  if (parts.length % 2 === 0) return text ? [{ code: false, text }] : [];
  return parts
    .map((part, index) => ({ code: index % 2 === 1, text: part }))
    .filter((part) => part.text !== '');
}

export function blocks(text: string): Block[] {
  const out: Block[] = [];
  for (const chunk of text.replace(/\r\n?/g, '\n').split(/\n\s*\n/)) {
    const lines = chunk.split('\n').filter((line) => line.trim() !== '');
    if (lines.length === 0) continue;
    const list = lines.every((l) => ORDERED.test(l))
      ? 'ol'
      : lines.every((l) => BULLET.test(l))
        ? 'ul'
        : null;
    if (list) {
      const marker = list === 'ol' ? ORDERED : BULLET;
      out.push({ kind: list, items: lines.map((l) => inlines(l.replace(marker, ''))) });
    } else {
      out.push({ kind: 'p', lines: lines.map((l) => inlines(l)) });
    }
  }
  return out;
}
