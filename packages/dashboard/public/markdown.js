// A model's answer as Markdown: GitHub-flavoured, code blocks highlighted (highlight.js, its common
// languages). Raw HTML in the text is shown as text, links go only to http(s) and mailto and open
// in a new tab, images become links (the page's CSP loads nothing from elsewhere anyway).
import { Marked } from '/vendor/marked.mjs';
import hljs from '/vendor/highlight.mjs';

const ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (s) => String(s).replace(/[&<>"']/g, (c) => ENTITIES[c]);
const safeHref = (href) => /^(https?:|mailto:)/i.test(href ?? '');

const marked = new Marked({
  gfm: true,
  renderer: {
    html({ text }) {
      return escape(text);
    },
    code({ text, lang }) {
      const language = (lang ?? '').trim().split(/\s+/)[0];
      const known = language !== '' && hljs.getLanguage(language) !== undefined;
      const body = known ? hljs.highlight(text, { language, ignoreIllegals: true }).value : escape(text);
      return `<pre><code class="hljs${known ? ` language-${escape(language)}` : ''}">${body}</code></pre>\n`;
    },
    link({ href, title, tokens }) {
      const text = this.parser.parseInline(tokens);
      if (!safeHref(href)) return text;
      const t = title ? ` title="${escape(title)}"` : '';
      return `<a href="${escape(href)}"${t} target="_blank" rel="noopener noreferrer">${text}</a>`;
    },
    image({ href, text }) {
      const label = escape(text || href);
      return safeHref(href)
        ? `<a href="${escape(href)}" target="_blank" rel="noopener noreferrer">${label}</a>`
        : label;
    },
  },
});

/** The HTML of a Markdown text (safe to set as innerHTML: see above). */
export function renderMarkdown(text) {
  return marked.parse(text ?? '');
}
