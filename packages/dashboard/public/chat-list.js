// The chat's conversation list: search (Ctrl/Cmd+K focuses it), the conversations grouped by when
// they were last used (Today, Yesterday, Previous 7 days, Older), each with its time. On a phone it
// is a drawer over the conversation.
import { h } from '/vendor/preact.mjs';
import htm from '/vendor/htm.mjs';

const html = htm.bind(h);
const DAY = 24 * 60 * 60 * 1000;

/** The group a time falls in, counted in calendar days of the reader's own time zone. */
export function groupOf(at, now = Date.now()) {
  const midnight = new Date(now);
  midnight.setHours(0, 0, 0, 0);
  const start = midnight.getTime();
  if (at >= start) return 'Today';
  if (at >= start - DAY) return 'Yesterday';
  if (at >= start - 7 * DAY) return 'Previous 7 days';
  return 'Older';
}

const GROUPS = ['Today', 'Yesterday', 'Previous 7 days', 'Older'];

/** A time as the list shows it: the hour today, else the date. */
function when(at, now = Date.now()) {
  const date = new Date(at);
  return groupOf(at, now) === 'Today'
    ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleDateString([], {
        month: 'short',
        day: 'numeric',
        year: now - at > 300 * DAY ? 'numeric' : undefined,
      });
}

/** A found conversation's snippet, the matched words (between [ and ]) marked. */
function Snippet({ text }) {
  return html`<span class="snippet">
    ${text.split(/(\[[^\]]*\])/).map((piece) => (piece.startsWith('[') ? html`<mark>${piece.slice(1, -1)}</mark>` : piece))}
  </span>`;
}

/** One conversation's button in the list. */
function Item({ c, current, onOpen }) {
  return html`<li>
    <button
      type="button"
      class=${c.id === current ? 'current' : ''}
      aria-current=${c.id === current ? 'true' : null}
      data-role="conversation"
      onClick=${() => onOpen(c.id)}
    >
      <span class="title">${c.title}${c.running ? html` <small>(running)</small>` : null}</span>
      <time datetime=${new Date(c.updatedAt).toISOString()}>${when(c.updatedAt)}</time>
    </button>
  </li>`;
}

/** The list: new conversation, search, and the conversations or the search's hits. */
export function ConversationList({ list, hits, query, current, providers, open, onNew, onSearch, onOpen, onClose }) {
  const groups = GROUPS.map((name) => [name, list.filter((c) => groupOf(c.updatedAt) === name)]).filter(
    ([, items]) => items.length > 0,
  );
  return html`<aside
    class=${`conversations ${open ? 'open' : ''}`}
    aria-label="conversations"
    data-role="conversation-list"
  >
    <div class="conversations-head">
      <button type="button" class="primary" data-role="new-conversation" disabled=${providers === 0} onClick=${onNew}>
        New conversation
      </button>
      <button type="button" class="link drawer-close" aria-label="Close the conversation list" onClick=${onClose}>
        ×
      </button>
    </div>
    ${
      providers === 0
        ? html`<p class="status">No model provider configured: start the dashboard with --provider and --model.</p>`
        : null
    }
    <label for="chat-search" class="sr-only">Search conversations</label>
    <input
      id="chat-search"
      type="search"
      placeholder="Search conversations (Ctrl+K)"
      aria-keyshortcuts="Control+K Meta+K"
      data-role="chat-search"
      value=${query}
      onInput=${(e) => onSearch(e.target.value)}
      onKeyDown=${(e) => {
        if (e.key === 'Escape') onSearch('');
      }}
    />
    ${
      hits !== undefined
        ? html`<ul>
            ${hits.length === 0 ? html`<li class="status">Nothing found</li>` : null}
            ${hits.map(
              (hit) =>
                html`<li>
                  <button type="button" data-role="search-hit" onClick=${() => onOpen(hit.conversationId)}>
                    <strong>${hit.title}</strong><${Snippet} text=${hit.snippet} />
                  </button>
                </li>`,
            )}
          </ul>`
        : groups.map(
            ([name, items]) =>
              html`<section class="group" aria-label=${name}>
                <h3 data-role="conversation-group">${name}</h3>
                <ul>
                  ${items.map((c) => html`<${Item} key=${c.id} c=${c} current=${current} onOpen=${onOpen} />`)}
                </ul>
              </section>`,
          )
    }
  </aside>`;
}
