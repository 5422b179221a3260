// Monaco ships this editor contribution without a declaration file; it is imported for its effect.
declare module 'monaco-editor/editor/contrib/suggest/browser/suggestController';
