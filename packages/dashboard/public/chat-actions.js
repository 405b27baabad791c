// A conversation's actions in its header: its settings shown or not, exports, delete; and the
// export's download.
import { h } from '/vendor/preact.mjs';
import htm from '/vendor/htm.mjs';

const html = htm.bind(h);

/**
 * Downloads a conversation as Markdown or JSON: fetched with the token (a link could not send it),
 * saved from a blob under the name the dashboard gives.
 * @param {string} token
 * @param {string} id
 * @param {'markdown' | 'json'} format
 * @returns {Promise<void>}
 */
export function downloadExport(token, id, format) {
  return fetch(`/api/chat/conversations/${id}/export?format=${format}`, {
    headers: { authorization: `Bearer ${token}` },
  }).then(async (res) => {
    if (!res.ok) throw new Error(`Export failed: HTTP ${res.status}`);
    const name = decodeURIComponent(
      /filename\*=UTF-8''([^;]+)/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'conversation',
    );
    const a = document.createElement('a');
    a.href = URL.createObjectURL(await res.blob());
    a.download = name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  });
}

/** The header's buttons: Settings (shows or hides them), Markdown and JSON exports, Delete. */
export function ConversationActions({ settingsOpen, onSettings, onExport, onDelete }) {
  return html`<button type="button" class="link" aria-expanded=${settingsOpen} onClick=${onSettings}>Settings</button>
    <button type="button" class="link" data-role="export-md" onClick=${() => onExport('markdown')}>Markdown</button>
    <button type="button" class="link" data-role="export-json" onClick=${() => onExport('json')}>JSON</button>
    <button type="button" class="link danger" data-role="delete-conversation" onClick=${onDelete}>Delete</button>`;
}
