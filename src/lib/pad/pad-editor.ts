/**
 * Monaco bound to the pad's code document with y-monaco: one model per
 * file, created when the file is first shown and kept while the file exists.
 * Undo and redo go through a Y.UndoManager that tracks only this editor's
 * binding, so they revert our own edits and never someone else's (issue 4).
 */
import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type * as MonacoApi from 'monaco-editor/editor/editor.api';
import { filesOf } from './code-doc';
import type { IntegrityMonitor } from './integrity';
import { monacoLanguageFor, type PadLanguage } from './languages';
import { monacoTheme, type MonacoKit } from './monaco';
import type { PadTheme } from './prefs';

type Editor = MonacoApi.editor.IStandaloneCodeEditor;
type Binding = InstanceType<MonacoKit['MonacoBinding']>;
type Entry = {
  ytext: Y.Text;
  model: MonacoApi.editor.ITextModel;
  binding: Binding;
  undo: Y.UndoManager;
  viewState: MonacoApi.editor.ICodeEditorViewState | null;
  observer: (event: Y.YTextEvent) => void;
};

export type PadEditorOptions = {
  kit: MonacoKit;
  element: HTMLElement;
  doc: Y.Doc;
  awareness: Awareness;
  language: PadLanguage;
  readOnly: boolean;
  readOnlyMessage: string;
  theme: PadTheme;
  fontSize: number;
  /** Read on every event: candidates' pages report paste, copy and insert signals. */
  integrity: () => IntegrityMonitor | null;
  onRun: () => void;
};

export type PadEditor = {
  /** Shows a file (null: none), creating its model on first use. */
  show(name: string | null): void;
  setLanguage(language: PadLanguage): void;
  setOptions(options: { readOnly: boolean; readOnlyMessage: string; fontSize: number }): void;
  setTheme(theme: PadTheme): void;
  destroy(): void;
};

const FONT =
  "ui-monospace, 'JetBrains Mono', 'SFMono-Regular', Menlo, Consolas, 'Liberation Mono', monospace";

let modelCount = 0;

export function createPadEditor(options: PadEditorOptions): PadEditor {
  const { kit, element, doc, awareness } = options;
  const { monaco, MonacoBinding } = kit;
  let language = options.language;
  let readOnly = options.readOnly;
  let shown: string | null = null;
  const entries = new Map<string, Entry>();
  let current: Entry | null = null;

  const editor: Editor = monaco.editor.create(element, {
    model: null,
    theme: monacoTheme(options.theme),
    fontSize: options.fontSize,
    fontFamily: FONT,
    readOnly,
    readOnlyMessage: { value: options.readOnlyMessage },
    automaticLayout: true,
    minimap: { enabled: false },
    scrollBeyondLastLine: false,
    // Room above the first line for the name label of a cursor there.
    padding: { top: 18, bottom: 12 },
    fixedOverflowWidgets: true,
    lineNumbersMinChars: 3,
    overviewRulerBorder: false,
    hideCursorInOverviewRuler: true,
    renderLineHighlight: 'line',
    smoothScrolling: true,
    tabSize: 4,
    ariaLabel: 'Code editor'
  });

  const { KeyMod, KeyCode } = monaco;
  const undo = () => {
    if (!readOnly) current?.undo.undo();
  };
  const redo = () => {
    if (!readOnly) current?.undo.redo();
  };
  editor.addCommand(KeyMod.CtrlCmd | KeyCode.KeyZ, undo);
  editor.addCommand(KeyMod.CtrlCmd | KeyMod.Shift | KeyCode.KeyZ, redo);
  editor.addCommand(KeyMod.CtrlCmd | KeyCode.KeyY, redo);
  editor.addCommand(KeyMod.CtrlCmd | KeyCode.Enter, () => options.onRun());

  function create(name: string, ytext: Y.Text): Entry {
    const uri = monaco.Uri.parse(`inmemory://pad/${++modelCount}/${encodeURIComponent(name)}`);
    const model = monaco.editor.createModel(
      ytext.toString(),
      monacoLanguageFor(name, language),
      uri
    );
    // LF everywhere: Windows would default to CRLF and the offsets would diverge (NOTES.md).
    model.setEOL(monaco.editor.EndOfLineSequence.LF);
    const binding = new MonacoBinding(ytext, model, new Set([editor]), awareness);
    const undoManager = new Y.UndoManager(ytext, { trackedOrigins: new Set([binding]) });
    const observer = (event: Y.YTextEvent) => {
      const integrity = options.integrity();
      if (event.transaction.origin !== binding || !integrity) return;
      let inserted = 0;
      for (const op of event.delta) if (typeof op.insert === 'string') inserted += op.insert.length;
      integrity.inserted(inserted, name);
    };
    ytext.observe(observer);
    const entry: Entry = { ytext, model, binding, undo: undoManager, viewState: null, observer };
    entries.set(name, entry);
    return entry;
  }

  function dispose(entry: Entry) {
    entry.ytext.unobserve(entry.observer);
    entry.undo.destroy();
    entry.binding.destroy();
    entry.model.dispose();
  }

  function show(name: string | null) {
    shown = name;
    const files = filesOf(doc);
    // Files renamed or deleted (by anyone) lose their models.
    for (const [existing, entry] of entries) {
      if (files.get(existing) === entry.ytext) continue;
      if (current === entry) current = null;
      if (editor.getModel() === entry.model) editor.setModel(null);
      dispose(entry);
      entries.delete(existing);
    }
    const ytext = name ? files.get(name) : undefined;
    if (!name || !ytext) {
      editor.setModel(null);
      current = null;
      return;
    }
    const entry = entries.get(name) ?? create(name, ytext);
    if (current === entry && editor.getModel() === entry.model) return;
    if (current) current.viewState = editor.saveViewState();
    editor.setModel(entry.model);
    if (entry.viewState) editor.restoreViewState(entry.viewState);
    current = entry;
  }
  const onFiles = () => show(shown);
  filesOf(doc).observe(onFiles);

  // Integrity: text copied inside the editor, and pastes before Monaco applies them.
  const onCopy = () => {
    const integrity = options.integrity();
    const model = editor.getModel();
    if (!integrity || !model) return;
    // An empty selection copies its whole line (Monaco's emptySelectionClipboard).
    const text = (editor.getSelections() ?? [])
      .map((s) =>
        s.isEmpty() ? `${model.getLineContent(s.startLineNumber)}\n` : model.getValueInRange(s)
      )
      .join('\n');
    integrity.copied(text);
  };
  const onPaste = (event: ClipboardEvent) => {
    const text = event.clipboardData?.getData('text/plain') ?? '';
    if (text && !readOnly) options.integrity()?.pasted(text, shown ?? undefined);
  };
  element.addEventListener('copy', onCopy, true);
  element.addEventListener('cut', onCopy, true);
  element.addEventListener('paste', onPaste, true);

  return {
    show,
    setLanguage(next) {
      language = next;
      for (const [name, entry] of entries) {
        monaco.editor.setModelLanguage(entry.model, monacoLanguageFor(name, next));
      }
    },
    setOptions(next) {
      readOnly = next.readOnly;
      editor.updateOptions({
        readOnly: next.readOnly,
        fontSize: next.fontSize,
        readOnlyMessage: { value: next.readOnlyMessage }
      });
    },
    setTheme(theme) {
      monaco.editor.setTheme(monacoTheme(theme));
    },
    destroy() {
      filesOf(doc).unobserve(onFiles);
      element.removeEventListener('copy', onCopy, true);
      element.removeEventListener('cut', onCopy, true);
      element.removeEventListener('paste', onPaste, true);
      for (const entry of entries.values()) dispose(entry);
      entries.clear();
      // The bindings' destroy leaves listeners and decorations on the editor (NOTES.md).
      editor.dispose();
    }
  };
}
