/**
 * The code document as an editor page holds it: the Yjs document, its
 * connection and status, the files it lists, and the one badge that sums up
 * the document's and the session's connections. The live pad (PadShell) and
 * the AI interview's coding section (CodingPad) both build on it. Browser
 * only.
 */
import * as Y from 'yjs';
import { CODE_DOC, entryOf, filesOf, languageOf, listFiles } from './code-doc';
import {
  connectDoc,
  type AwarenessUser,
  type DocConnection,
  type DocConnectionState
} from './doc-connection';
import { fetchDocToken, type PadAccess } from './endpoints';
import { DEFAULT_PAD_LANGUAGE, type PadLanguage } from './languages';
import type { SessionStatus } from './session-client.svelte';

export type BadgeStatus = DocConnectionState['status'];

const ORDER = ['connected', 'connecting', 'reconnecting', 'offline'] as const;

/** The worse of the two connections, and what to tell the user about it. */
export function connectionBadge(
  doc: { state: DocConnectionState; error: string | null },
  session: { status: SessionStatus; error: string | null }
): { status: BadgeStatus; detail: string | null } {
  const worst = Math.max(ORDER.indexOf(doc.state.status), ORDER.indexOf(session.status));
  const detail =
    doc.error ??
    doc.state.error ??
    session.error ??
    (worst > 0 ? 'Edits are kept and sent when the connection is back.' : null);
  return { status: ORDER[worst] ?? 'offline', detail };
}

export function failure(error: unknown, fallback: string): string {
  return error instanceof Error ? error.message : fallback;
}

export class CodePad {
  readonly doc = new Y.Doc();
  connection = $state.raw<DocConnection | null>(null);
  state = $state<DocConnectionState>({
    status: 'connecting',
    unsynced: 0,
    readOnly: false,
    error: null
  });
  /** Set when the document could not be opened at all. */
  error = $state<string | null>(null);
  files = $state<string[]>([]);
  entry = $state<string | null>(null);
  language = $state<PadLanguage>(DEFAULT_PAD_LANGUAGE);
  activeFile = $state<string | null>(null);
  /** The first sync with the server is done: the files shown are the real ones. */
  synced = $state(false);

  readonly #refresh = (): void => {
    this.files = listFiles(this.doc);
    this.entry = this.files.length ? entryOf(this.doc) : null;
    this.language = languageOf(this.doc);
    if (!this.activeFile || !this.files.includes(this.activeFile)) {
      this.activeFile =
        this.entry && this.files.includes(this.entry) ? this.entry : (this.files[0] ?? null);
    }
  };

  /** Connects; the returned function disconnects and frees the document. */
  open(options: { access: PadAccess; user: AwarenessUser; failed: string }): () => void {
    let closed = false;
    let unsubscribe = (): void => undefined;
    filesOf(this.doc).observe(this.#refresh);
    this.doc.getMap('meta').observe(this.#refresh);
    connectDoc({
      doc: this.doc,
      fetchToken: () => fetchDocToken(options.access, CODE_DOC),
      origin: location.origin,
      user: options.user
    }).then(
      (connection) => {
        if (closed) return connection.destroy();
        this.connection = connection;
        unsubscribe = connection.subscribe((state) => (this.state = state));
        void connection.whenSynced().then(() => {
          this.synced = true;
          this.#refresh();
        });
      },
      (error: unknown) => {
        this.error = failure(error, options.failed);
        this.state = { ...this.state, status: 'offline', error: this.error };
      }
    );
    return () => {
      closed = true;
      filesOf(this.doc).unobserve(this.#refresh);
      this.doc.getMap('meta').unobserve(this.#refresh);
      unsubscribe();
      this.connection?.destroy();
      this.doc.destroy();
    };
  }

  /** Runs a file operation; answers the error to show, or null. */
  fileAction(action: () => void): string | null {
    try {
      action();
      return null;
    } catch (error) {
      return failure(error, 'That did not work.');
    }
  }
}
