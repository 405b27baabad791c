// Types for the one library the page imports that ships none: highlight.js's ES build (served as
// /vendor/highlight.mjs), as far as markdown.js uses it. Read by tsconfig.json's `paths` only.
declare const hljs: {
  getLanguage(name: string): object | undefined;
  highlight(code: string, options: { language: string; ignoreIllegals?: boolean }): { value: string };
};
export default hljs;
