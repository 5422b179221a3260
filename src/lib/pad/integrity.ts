/**
 * Integrity signals from the candidate's pad (issue 4): pastes, focus lost
 * and regained, large single inserts and typing bursts. Pure detectors: the
 * editor and the window feed them, and reports go out through a callback
 * (the session socket). Staff see them as quiet context markers, never as a
 * verdict, and the landing page tells candidates they are recorded.
 */
import type { IntegrityReport } from '$realtime/events/contracts';

export type IntegrityThresholds = {
  /** One local insert of at least this many characters that was not a paste. Default 200. */
  largeInsertChars: number;
  /**
   * Typing burst: at least `burstChars` typed within `burstWindowMs`. Defaults 120 characters in
   * 10 s, i.e. 12 characters a second (about 140 words a minute) held for ten seconds: above what
   * fast typists sustain (6-8 characters a second), and what a typing robot easily does.
   */
  burstChars: number;
  burstWindowMs: number;
  /** How long after a paste event its insert may arrive and still count as that paste. Default 1 s. */
  pasteMatchMs: number;
  /** How many texts copied or cut inside the editor are remembered. Default 50. */
  rememberCopies: number;
};

export const DEFAULT_INTEGRITY_THRESHOLDS: IntegrityThresholds = {
  largeInsertChars: 200,
  burstChars: 120,
  burstWindowMs: 10_000,
  pasteMatchMs: 1_000,
  rememberCopies: 50
};

export type IntegrityMonitorOptions = {
  report: (report: IntegrityReport) => void;
  thresholds?: Partial<IntegrityThresholds>;
  now?: () => number;
};

export type AwaySource = 'window' | 'tab';

export type IntegrityMonitor = {
  /** Text copied or cut inside the editor: pasting it back is not "external". */
  copied(text: string): void;
  /** A paste into the editor, before the editor applies it. */
  pasted(text: string, file?: string): void;
  /** A local edit (typing, paste, completion; never remote or undo) inserted `chars` characters. */
  inserted(chars: number, file?: string): void;
  /** Window blur/focus (`window`) or document hidden/visible (`tab`). */
  away(source: AwaySource, isAway: boolean): void;
};

/** Line endings and surrounding whitespace do not make a paste external. */
function normalize(text: string): string {
  return text.replace(/\r\n?/g, '\n').trim();
}

export function createIntegrityMonitor(options: IntegrityMonitorOptions): IntegrityMonitor {
  const limits = { ...DEFAULT_INTEGRITY_THRESHOLDS, ...options.thresholds };
  const now = options.now ?? (() => Date.now());
  const report = options.report;

  const copies: string[] = [];
  let pendingPasteAt: number | null = null;
  let typed: { at: number; chars: number }[] = [];
  const awaySources = new Set<AwaySource>();
  let awaySince: number | null = null;

  return {
    copied(text) {
      const value = normalize(text);
      if (!value) return;
      copies.push(value);
      if (copies.length > limits.rememberCopies) copies.shift();
    },

    pasted(text, file) {
      const value = normalize(text);
      pendingPasteAt = now();
      if (!value) return;
      const internal = copies.some((copy) => copy.includes(value));
      report({
        kind: 'paste',
        chars: text.length,
        external: !internal,
        ...(file ? { file } : {})
      });
    },

    inserted(chars, file) {
      if (chars <= 0) return;
      const at = now();
      if (pendingPasteAt !== null && at - pendingPasteAt <= limits.pasteMatchMs) {
        // This insert is the paste just reported.
        pendingPasteAt = null;
        return;
      }
      pendingPasteAt = null;
      if (chars >= limits.largeInsertChars) {
        report({ kind: 'large_insert', chars, ...(file ? { file } : {}) });
        return;
      }
      typed = typed.filter((entry) => at - entry.at <= limits.burstWindowMs);
      typed.push({ at, chars });
      const total = typed.reduce((sum, entry) => sum + entry.chars, 0);
      if (total >= limits.burstChars) {
        report({ kind: 'typing_burst', chars: total, ms: Math.round(at - (typed[0]?.at ?? at)) });
        // One marker per burst: the next one needs a fresh window's worth of typing.
        typed = [];
      }
    },

    away(source, isAway) {
      const wasAway = awaySources.size > 0;
      if (isAway) awaySources.add(source);
      else awaySources.delete(source);
      const nowAway = awaySources.size > 0;
      if (nowAway === wasAway) return;
      if (nowAway) {
        awaySince = now();
        report({ kind: 'focus_lost' });
      } else {
        const awayMs = awaySince === null ? 0 : Math.max(0, Math.round(now() - awaySince));
        awaySince = null;
        report({ kind: 'focus_regained', awayMs });
      }
    }
  };
}
