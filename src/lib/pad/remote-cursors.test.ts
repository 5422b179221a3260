import { describe, expect, it, vi } from 'vitest';
import { applyAwarenessUpdate, Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import {
  cssString,
  LABEL_VISIBLE_MS,
  remoteCursorCss,
  remoteUserOf,
  watchRemoteCursors
} from './remote-cursors';

describe('remote cursor styles', () => {
  it('labels each other client with its name and colour, and skips ourselves', () => {
    const css = remoteCursorCss(
      new Map<number, unknown>([
        [1, { user: { name: 'Ines', color: '#2563eb' } }],
        [2, { user: { name: 'Cleo', color: '#059669' } }],
        [3, {}]
      ]),
      1
    );
    expect(css).toContain(
      '.yRemoteSelectionHead-2::after { content: "Cleo"; background: #059669; }'
    );
    expect(css).toContain('.yRemoteSelection-2 { background-color: rgba(5, 150, 105, 0.22); }');
    expect(css).not.toContain('-1 ');
    expect(css).not.toContain('-3');
  });

  it('hides the label of a cursor that has not moved lately, not the caret', () => {
    const css = remoteCursorCss(
      new Map<number, unknown>([[2, { user: { name: 'Cleo', color: '#059669' } }]]),
      1,
      new Set([2])
    );
    expect(css).toContain('.yRemoteSelectionHead-2 { border-left: 2px solid #059669; }');
    expect(css).toContain('content: "Cleo"; background: #059669; opacity: 0; }');
  });

  it('cannot be broken out of by a hostile name or colour', () => {
    const user = remoteUserOf({
      user: { name: 'x"; } body { display: none', color: 'red;}*{x:y' }
    });
    expect(user?.color).toBe('#64748b');
    const literal = cssString(user?.name ?? '');
    expect(literal).toBe('"x\\22 \\3b  \\7d  body \\7b  display\\3a  none"');
    expect(cssString('</style><script>')).not.toMatch(/[<>]/);
    expect(cssString('Zoë Ågren')).toBe('"Zoë Ågren"');
  });
});

describe('watching remote cursors', () => {
  it('rewrites the styles on awareness changes and hides idle labels after a while', () => {
    vi.useFakeTimers();
    try {
      const doc = new Y.Doc();
      const awareness = new Awareness(doc);
      const remote = new Awareness(new Y.Doc());
      remote.setLocalState({ user: { name: 'Cleo', color: '#059669' } });
      let css = '';
      const stop = watchRemoteCursors({
        awareness,
        selfClientId: doc.clientID,
        write: (text) => (css = text)
      });
      applyAwarenessUpdate(awareness, encodeAwarenessUpdate(remote, [remote.clientID]), 'remote');
      expect(css).toContain('content: "Cleo"; background: #059669; }');
      vi.advanceTimersByTime(LABEL_VISIBLE_MS + 50);
      expect(css).toContain('opacity: 0;');
      stop();
      awareness.destroy();
      remote.destroy();
    } finally {
      vi.useRealTimers();
    }
  });
});
