/**
 * CSS for other participants' cursors and selections in Monaco. y-monaco
 * marks them `.yRemoteSelection-<clientID>` and `.yRemoteSelectionHead-<clientID>`;
 * each gets its participant's colour and a name label. Awareness states come
 * from other browsers, so names and colours are treated as untrusted input.
 */
export type RemoteUser = { name: string; color: string };

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;
const FALLBACK_COLOR = '#64748b';
const MAX_LABEL = 40;

/** The user an awareness state announces, if it announces one sensibly. */
export function remoteUserOf(state: unknown): RemoteUser | null {
  if (typeof state !== 'object' || state === null || !('user' in state)) return null;
  const user: unknown = state.user;
  if (typeof user !== 'object' || user === null) return null;
  const name = 'name' in user && typeof user.name === 'string' ? user.name : '';
  const color = 'color' in user && typeof user.color === 'string' ? user.color : '';
  return { name: name || 'Someone', color: HEX_COLOR.test(color) ? color : FALLBACK_COLOR };
}

/** A CSS string literal that cannot end early, whatever the name holds. */
export function cssString(text: string): string {
  let out = '"';
  for (const char of text.slice(0, MAX_LABEL)) {
    if (/^[\p{L}\p{N} .,_()'-]$/u.test(char)) out += char;
    else out += `\\${(char.codePointAt(0) ?? 0x3f).toString(16)} `;
  }
  return `${out}"`;
}

function rgba(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/**
 * How long a name label stays up after its cursor last moved. A label sits over the line above
 * the cursor, so it steps aside while that participant is not doing anything.
 */
export const LABEL_VISIBLE_MS = 3000;

export function remoteCursorCss(
  states: ReadonlyMap<number, unknown>,
  selfClientId: number,
  /** Clients whose cursor has not moved lately: their label is hidden, the caret stays. */
  quiet: ReadonlySet<number> = new Set()
): string {
  const rules: string[] = [];
  for (const [clientId, state] of states) {
    if (clientId === selfClientId || !Number.isSafeInteger(clientId)) continue;
    const user = remoteUserOf(state);
    if (!user) continue;
    rules.push(
      `.yRemoteSelection-${clientId} { background-color: ${rgba(user.color, 0.22)}; }`,
      `.yRemoteSelectionHead-${clientId} { border-left: 2px solid ${user.color}; }`,
      `.yRemoteSelectionHead-${clientId}::after { content: ${cssString(user.name)}; background: ${user.color};${quiet.has(clientId) ? ' opacity: 0;' : ''} }`
    );
  }
  return rules.join('\n');
}

type AwarenessLike = {
  getStates(): Map<number, unknown>;
  on(event: 'change', listener: (change: AwarenessChange) => void): void;
  off(event: 'change', listener: (change: AwarenessChange) => void): void;
};
type AwarenessChange = { added: number[]; updated: number[]; removed: number[] };

/**
 * Keeps the cursor CSS in step with awareness: `write` gets the stylesheet text on every change,
 * and again when a label's time is up. Returns the stop function.
 */
export function watchRemoteCursors(options: {
  awareness: AwarenessLike;
  selfClientId: number;
  write: (css: string) => void;
  now?: () => number;
}): () => void {
  const { awareness, selfClientId, write } = options;
  const now = options.now ?? (() => Date.now());
  const movedAt = new Map<number, number>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const render = () => {
    const at = now();
    const quiet = new Set<number>();
    let nextExpiry = Infinity;
    for (const clientId of awareness.getStates().keys()) {
      const expires = (movedAt.get(clientId) ?? 0) + LABEL_VISIBLE_MS;
      if (expires <= at) quiet.add(clientId);
      else nextExpiry = Math.min(nextExpiry, expires);
    }
    write(remoteCursorCss(awareness.getStates(), selfClientId, quiet));
    clearTimeout(timer);
    if (nextExpiry !== Infinity) timer = setTimeout(render, nextExpiry - at + 20);
  };
  const onChange = ({ added, updated, removed }: AwarenessChange) => {
    const at = now();
    for (const id of [...added, ...updated]) movedAt.set(id, at);
    for (const id of removed) movedAt.delete(id);
    render();
  };
  for (const id of awareness.getStates().keys()) movedAt.set(id, now());
  awareness.on('change', onChange);
  render();
  return () => {
    awareness.off('change', onChange);
    clearTimeout(timer);
  };
}
