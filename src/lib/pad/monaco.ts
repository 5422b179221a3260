/**
 * Loads Monaco in the browser, once: the editor API, the editor features
 * the pad uses, the syntax of the languages Tandem runs, y-monaco, and the
 * editor worker through Vite's `?worker`. Importing all of `monaco-editor`
 * gives a 21 MB build (NOTES.md, "Realtime"); this is a fraction of it.
 */
import type * as MonacoApi from 'monaco-editor/editor/editor.api';
import type { MonacoBinding as MonacoBindingClass } from 'y-monaco';

export type Monaco = typeof MonacoApi;
export type MonacoKit = { monaco: Monaco; MonacoBinding: typeof MonacoBindingClass };

declare global {
  interface Window {
    MonacoEnvironment?: { getWorker(workerId: string, label: string): Worker };
  }
}

let loading: Promise<MonacoKit> | null = null;

export function loadMonaco(): Promise<MonacoKit> {
  // Never part of the server bundle: the pad mounts Monaco in onMount only.
  if (import.meta.env.SSR) return Promise.reject(new Error('Monaco runs in the browser only.'));
  loading ??= load();
  return loading;
}

async function load(): Promise<MonacoKit> {
  const [monaco, { MonacoBinding }, { default: EditorWorker }] = await Promise.all([
    import('monaco-editor/editor/editor.api'),
    import('y-monaco'),
    // monaco 0.57's exports map `monaco-editor/*` to `esm/vs/*.js` (NOTES.md).
    import('monaco-editor/editor/editor.worker?worker'),
    import('monaco-editor/features/codicon/register'),
    import('monaco-editor/features/codeEditor/register'),
    import('monaco-editor/features/bracketMatching/register'),
    import('monaco-editor/features/caretOperations/register'),
    import('monaco-editor/features/clipboard/register'),
    import('monaco-editor/features/comment/register'),
    import('monaco-editor/features/contextmenu/register'),
    import('monaco-editor/features/cursorUndo/register'),
    import('monaco-editor/features/find/register'),
    import('monaco-editor/features/folding/register'),
    import('monaco-editor/features/gotoLine/register'),
    import('monaco-editor/features/hover/register'),
    import('monaco-editor/features/indentation/register'),
    import('monaco-editor/features/linesOperations/register'),
    import('monaco-editor/features/multicursor/register'),
    import('monaco-editor/features/readOnlyMessage/register'),
    import('monaco-editor/features/smartSelect/register'),
    import('monaco-editor/features/snippet/register'),
    // Word-based completion; Monaco ships no `features/` entry for the suggest widget itself.
    import('monaco-editor/editor/contrib/suggest/browser/suggestController'),
    import('monaco-editor/features/wordHighlighter/register'),
    import('monaco-editor/features/wordOperations/register'),
    // Syntax only (Monarch), for the languages in languages.ts: no language-service workers.
    import('monaco-editor/languages/definitions/python/register'),
    import('monaco-editor/languages/definitions/javascript/register'),
    import('monaco-editor/languages/definitions/typescript/register'),
    import('monaco-editor/languages/definitions/go/register'),
    import('monaco-editor/languages/definitions/java/register'),
    import('monaco-editor/languages/definitions/cpp/register'),
    import('monaco-editor/languages/definitions/shell/register'),
    import('monaco-editor/languages/definitions/sql/register'),
    import('monaco-editor/languages/definitions/markdown/register')
  ]);
  window.MonacoEnvironment = { getWorker: () => new EditorWorker() };
  defineThemes(monaco);
  return { monaco, MonacoBinding };
}

/** Monaco's own themes, on the pad's surfaces (app.css `.theme-light` / `.theme-dark`). */
export function monacoTheme(theme: 'light' | 'dark'): string {
  return theme === 'dark' ? 'tandem-dark' : 'tandem-light';
}

function defineThemes(monaco: Monaco): void {
  monaco.editor.defineTheme('tandem-light', {
    base: 'vs',
    inherit: true,
    rules: [],
    colors: {
      'editor.background': '#ffffff',
      'editor.lineHighlightBorder': '#f1f3f6',
      'editor.lineHighlightBackground': '#f6f7f9',
      'editorLineNumber.foreground': '#8a93a3',
      'editorLineNumber.activeForeground': '#1b1f27'
    }
  });
  monaco.editor.defineTheme('tandem-dark', {
    base: 'vs-dark',
    inherit: true,
    rules: [],
    colors: {
      'editor.background': '#161a22',
      'editor.lineHighlightBorder': '#1d222c',
      'editor.lineHighlightBackground': '#1b2029',
      'editorLineNumber.foreground': '#5d6575',
      'editorLineNumber.activeForeground': '#e6e9ef',
      'editorWidget.background': '#1d222c',
      'editorIndentGuide.background1': '#2a303c'
    }
  });
}
