/**
 * A plain textarea bound to a Y.Text (the interviewer's notes): local edits
 * become the smallest splice of the shared text, and remote edits move the
 * caret the way they moved the text around it.
 */
import type * as Y from 'yjs';

export type Splice = { index: number; remove: number; insert: string };

/** The single splice that turns `before` into `after` (common prefix and suffix kept). */
export function diffText(before: string, after: string): Splice | null {
  if (before === after) return null;
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (
    endBefore > start &&
    endAfter > start &&
    before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)
  ) {
    endBefore--;
    endAfter--;
  }
  return { index: start, remove: endBefore - start, insert: after.slice(start, endAfter) };
}

/** Applies what the textarea now shows to the shared text, in one transaction. */
export function applyTextareaValue(text: Y.Text, value: string, origin: unknown): void {
  const splice = diffText(text.toString(), value);
  if (!splice || !text.doc) return;
  text.doc.transact(() => {
    if (splice.remove > 0) text.delete(splice.index, splice.remove);
    if (splice.insert) text.insert(splice.index, splice.insert);
  }, origin);
}

type DeltaOp = { retain?: number; insert?: unknown; delete?: number };

/** Where a caret at `index` ends up after a remote change described by a Yjs delta. */
export function transformIndex(index: number, delta: readonly DeltaOp[]): number {
  let position = 0;
  let result = index;
  for (const op of delta) {
    if (position > index) break;
    if (op.retain !== undefined) {
      position += op.retain;
    } else if (typeof op.insert === 'string') {
      if (position <= index) result += op.insert.length;
      position += op.insert.length;
    } else if (op.delete !== undefined) {
      const deletedBeforeCaret = Math.min(op.delete, Math.max(0, index - position));
      result -= deletedBeforeCaret;
      index -= deletedBeforeCaret;
    }
  }
  return Math.max(0, result);
}
