import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SETTLE_BATCH, createSettlingDoc } from './settling-doc';
import { createMemoryLogger } from './test-harness';

/** One update per typed character, from a client of its own. */
function typed(text: string): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  for (const ch of text) doc.getText('code').insert(doc.getText('code').length, ch);
  return updates;
}

describe('settling doc', () => {
  it('applies what waits before the document is read', () => {
    const settling = createSettlingDoc({ logger: createMemoryLogger() });
    for (const update of typed('abc')) settling.add(update);
    expect(settling.waiting()).toBe(3);
    expect(settling.current().getText('code').toString()).toBe('abc');
    expect(settling.waiting()).toBe(0);
  });

  it('applies on its own once about a batch waits, so the wait stays bounded', () => {
    const settling = createSettlingDoc({ logger: createMemoryLogger() });
    const updates = typed('x'.repeat(SETTLE_BATCH * 2));
    let most = 0;
    for (const update of updates) {
      settling.add(update);
      most = Math.max(most, settling.waiting());
    }
    expect(most).toBeLessThanOrEqual(Math.round(SETTLE_BATCH * 1.5));
    expect(settling.waiting()).toBeLessThan(updates.length);
    expect(settling.current().getText('code').length).toBe(updates.length);
  });

  it('applies updates in one transaction, whatever order they came in', () => {
    const settling = createSettlingDoc({ logger: createMemoryLogger() });
    const transactions: number[] = [];
    settling.current().on('afterTransaction', () => transactions.push(1));
    for (const update of typed('order').reverse()) settling.add(update);
    expect(settling.current().getText('code').toString()).toBe('order');
    expect(transactions).toHaveLength(1);
  });
});
