// Monaco, y-monaco and the workers only exist in the browser (NOTES.md, "Realtime").
export const ssr = false;
