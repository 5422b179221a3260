/**
 * One collaborative document over y-websocket, with what the pad needs on
 * top: short-lived tokens (fetched before connecting, refreshed every few
 * minutes and after the server closes with 4401/4403), a connection status
 * the UI can always show, and the count of local changes made while not
 * synced (issue 4: "offline with N unsynced changes").
 */
import { Awareness } from 'y-protocols/awareness';
import { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { CloseCode } from '$realtime/close-codes';

export type DocStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline';

/** What the token endpoints answer (`POST .../docs/<doc>/token`). */
export type DocToken = {
  token: string;
  /** `/yjs/<interviewId>/<doc>?token=...` */
  path: string;
  expiresInSeconds: number;
  readOnly: boolean;
};

export type DocConnectionState = {
  status: DocStatus;
  /** Local transactions since the last sync with the server. */
  unsynced: number;
  /** The last token said so: the server drops this client's updates. */
  readOnly: boolean;
  /** Set when the server refused us for good; the status is then `offline`. */
  error: string | null;
};

export type AwarenessUser = { name: string; color: string };

type EventTarget = {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
};

export type DocConnectionOptions = {
  doc: Y.Doc;
  fetchToken: () => Promise<DocToken>;
  /** The page's origin, http(s)://host; the websocket goes to the same host. */
  origin: string;
  user?: AwarenessUser;
  /** Proactive token refresh, so a plain network reconnect carries a valid token. Default 4 min. */
  refreshMs?: number;
  /** How long "reconnecting" lasts before the badge says "offline". Default 8 s. */
  offlineAfterMs?: number;
  /** Terminal closes in a row (without a sync between them) before giving up. Default 3. */
  maxRefusals?: number;
  WebSocketPolyfill?: typeof WebSocket;
  /** Where `online`, `offline` and `pagehide` come from; `null` in tests. Default: `window`. */
  events?: EventTarget | null;
  isOnline?: () => boolean;
};

export type DocConnection = {
  readonly doc: Y.Doc;
  readonly provider: WebsocketProvider;
  readonly awareness: Awareness;
  readonly state: DocConnectionState;
  /** Calls the listener now and on every change; returns the unsubscribe. */
  subscribe(listener: (state: DocConnectionState) => void): () => void;
  /** Resolves on the first sync with the server. */
  whenSynced(): Promise<void>;
  setUser(user: AwarenessUser): void;
  destroy(): void;
};

export const DEFAULT_REFRESH_MS = 4 * 60_000;
export const DEFAULT_OFFLINE_AFTER_MS = 8_000;

const REFRESH_CODES: ReadonlySet<number> = new Set([CloseCode.Unauthorized, CloseCode.Forbidden]);

/** Splits the token's path into y-websocket's server URL and room name. */
export function providerTarget(origin: string, path: string): { serverUrl: string; room: string } {
  const url = new URL(path, origin);
  const cut = url.pathname.lastIndexOf('/');
  const room = decodeURIComponent(url.pathname.slice(cut + 1));
  const protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return { serverUrl: `${protocol}//${url.host}${url.pathname.slice(0, cut)}`, room };
}

function closeMessage(code: number): string {
  switch (code) {
    case CloseCode.Unauthorized:
    case CloseCode.Forbidden:
      return 'Access to this document was refused.';
    case CloseCode.UnknownDocument:
      return 'This document does not exist.';
    case CloseCode.MessageTooBig:
      return 'A change was too large to send.';
    default:
      return `The server closed the connection (${code}).`;
  }
}

export async function connectDoc(options: DocConnectionOptions): Promise<DocConnection> {
  const {
    doc,
    fetchToken,
    refreshMs = DEFAULT_REFRESH_MS,
    offlineAfterMs = DEFAULT_OFFLINE_AFTER_MS,
    maxRefusals = 3
  } = options;
  const events = options.events === undefined ? defaultEvents() : options.events;
  const isOnline =
    options.isOnline ?? (() => (typeof navigator === 'undefined' ? true : navigator.onLine));

  const first = await fetchToken();
  const { serverUrl, room } = providerTarget(options.origin, first.path);
  const awareness = new Awareness(doc);
  // setLocalStateField does nothing once the state is null (after pagehide).
  const setUserState = (user: AwarenessUser) =>
    awareness.setLocalState({ ...(awareness.getLocalState() ?? {}), user });
  if (options.user) setUserState(options.user);
  const provider = new WebsocketProvider(serverUrl, room, doc, {
    connect: false,
    awareness,
    params: { token: first.token },
    // Same-origin tabs would otherwise sync around the server (and its read-only checks).
    disableBc: true,
    ...(options.WebSocketPolyfill ? { WebSocketPolyfill: options.WebSocketPolyfill } : {})
  });

  let state: DocConnectionState = {
    status: 'connecting',
    unsynced: 0,
    readOnly: first.readOnly,
    error: null
  };
  const listeners = new Set<(state: DocConnectionState) => void>();
  const set = (patch: Partial<DocConnectionState>) => {
    const next = { ...state, ...patch };
    if (
      next.status === state.status &&
      next.unsynced === state.unsynced &&
      next.readOnly === state.readOnly &&
      next.error === state.error
    ) {
      return;
    }
    state = next;
    for (const listener of listeners) listener(state);
  };

  let destroyed = false;
  let everSynced = false;
  let refusals = 0;
  let offlineTimer: ReturnType<typeof setTimeout> | undefined;
  const syncedWaiters: (() => void)[] = [];

  const armOfflineTimer = () => {
    if (offlineTimer !== undefined) return;
    offlineTimer = setTimeout(() => {
      offlineTimer = undefined;
      if (!provider.synced) set({ status: 'offline' });
    }, offlineAfterMs);
  };
  const clearOfflineTimer = () => {
    if (offlineTimer !== undefined) clearTimeout(offlineTimer);
    offlineTimer = undefined;
  };

  const applyToken = (token: DocToken) => {
    provider.params = { ...provider.params, token: token.token };
    set({ readOnly: token.readOnly });
  };
  const refresh = async (): Promise<boolean> => {
    try {
      const token = await fetchToken();
      if (destroyed) return false;
      applyToken(token);
      return true;
    } catch {
      return false;
    }
  };

  provider.on('sync', (isSynced: boolean) => {
    if (!isSynced) return;
    everSynced = true;
    refusals = 0;
    clearOfflineTimer();
    set({ status: 'connected', unsynced: 0, error: null });
    for (const resolve of syncedWaiters.splice(0)) resolve();
  });
  provider.on('connection-close', () => {
    if (destroyed) return;
    set({ status: !isOnline() ? 'offline' : everSynced ? 'reconnecting' : 'connecting' });
    armOfflineTimer();
  });
  provider.on('closed', ({ code }: { code: number }) => {
    if (destroyed) return;
    refusals += 1;
    if (!REFRESH_CODES.has(code) || refusals > maxRefusals) {
      clearOfflineTimer();
      set({ status: 'offline', error: closeMessage(code) });
      return;
    }
    // The token expired, or the server changed our rights (the session ended): ask again.
    void refresh().then((ok) => {
      if (destroyed) return;
      if (ok) provider.connect();
      else set({ status: 'offline', error: closeMessage(code) });
    });
  });

  const onUpdate = (_update: Uint8Array, origin: unknown) => {
    if (origin === provider || provider.synced) return;
    set({ unsynced: state.unsynced + 1 });
  };
  doc.on('update', onUpdate);

  // The browser knows the network is gone before a stalled socket does (y-websocket notices only
  // after 30 s without a message): close now, count edits, and reconnect as soon as it is back.
  const onOffline = () => {
    if (state.error) return;
    provider.disconnect();
    set({ status: 'offline' });
  };
  const onOnline = () => {
    if (provider.synced || state.error) return;
    set({ status: everSynced ? 'reconnecting' : 'connecting' });
    provider.connect();
  };
  const onPageHide = () => awareness.setLocalState(null);
  // Back from the back/forward cache: show ourselves again.
  const onPageShow = () => {
    if (awareness.getLocalState() === null && currentUser) setUserState(currentUser);
  };
  let currentUser = options.user ?? null;
  events?.addEventListener('offline', onOffline);
  events?.addEventListener('online', onOnline);
  events?.addEventListener('pagehide', onPageHide);
  events?.addEventListener('pageshow', onPageShow);

  const refreshTimer = setInterval(() => void refresh(), refreshMs);
  armOfflineTimer();
  provider.connect();

  return {
    doc,
    provider,
    awareness,
    get state() {
      return state;
    },
    subscribe(listener) {
      listeners.add(listener);
      listener(state);
      return () => listeners.delete(listener);
    },
    whenSynced() {
      if (provider.synced) return Promise.resolve();
      return new Promise((resolve) => syncedWaiters.push(resolve));
    },
    setUser(user) {
      currentUser = user;
      setUserState(user);
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      clearInterval(refreshTimer);
      clearOfflineTimer();
      events?.removeEventListener('offline', onOffline);
      events?.removeEventListener('online', onOnline);
      events?.removeEventListener('pagehide', onPageHide);
      events?.removeEventListener('pageshow', onPageShow);
      doc.off('update', onUpdate);
      awareness.setLocalState(null);
      provider.destroy();
      // The provider does not own an awareness it was given: its 15 s timer must stop too.
      awareness.destroy();
      listeners.clear();
    }
  };
}

function defaultEvents(): EventTarget | null {
  return typeof window === 'undefined' ? null : window;
}
