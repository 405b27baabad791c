// The Tasks view: the client's tasks (MCP Tasks: a tool call the server runs on and the client polls),
// grouped by how they stand, live from the event stream. A running task can be cancelled; one waiting for
// input is answered in the page's requests (the queue every sampling and elicitation request goes to).
import { h, Component } from '/vendor/preact.mjs';
import htm from '/vendor/htm.mjs';
import { since } from '/time-format.js';

const html = htm.bind(h);

/** @typedef {import('../src/dashboard-tasks.js').TaskRow} TaskRow */
/** @typedef {import('../src/dashboard-requests.js').PendingRequest} PendingRequest */

/** The groups, in the order shown, and the statuses each holds. */
export const GROUPS = [
  { id: 'running', title: 'Running', statuses: ['working'] },
  { id: 'waiting', title: 'Waiting for input', statuses: ['input_required'] },
  { id: 'done', title: 'Done', statuses: ['completed'] },
  { id: 'failed', title: 'Failed, cancelled or lost', statuses: ['failed', 'cancelled', 'lost'] },
];

/** The rows the page keeps: the newest this many (the server bounds its own list too). */
const MAX_ROWS = 1000;

/**
 * Merges a pushed row into the list: a newer `updatedAt` wins (an event can pass the list it follows),
 * newest task first.
 * @param {TaskRow[]} rows
 * @param {TaskRow} row
 * @returns {TaskRow[]}
 */
export function mergeTask(rows, row) {
  const old = rows.find((r) => r.id === row.id);
  if (old !== undefined && old.updatedAt > row.updatedAt) return rows;
  const rest = rows.filter((r) => r.id !== row.id);
  return [row, ...rest].sort((a, b) => b.createdAt - a.createdAt).slice(0, MAX_ROWS);
}

/** The text of a result's content blocks (a text part each), for the row; the whole result is in its details. */
function resultText(result) {
  const content = Array.isArray(result?.content) ? result.content : [];
  return content
    .filter((c) => c?.type === 'text')
    .map((c) => String(c.text))
    .join('\n');
}

/** Brings the page's request for `server` into view and its answer into focus. */
function showRequest(server) {
  const dialog = document.querySelector(`[role="dialog"][aria-label$=" request from ${CSS.escape(server)}"]`);
  dialog?.scrollIntoView({ block: 'center' });
  dialog?.querySelector('textarea')?.focus();
}

function TaskItem({ row, asked, onCancel }) {
  const ended = ['completed', 'failed', 'cancelled', 'lost'].includes(row.status);
  return html`<li class="task" data-task=${row.id} data-status=${row.status}>
    <div class="task-head">
      <strong>${row.server} / ${row.tool}</strong>
      ${row.label ? html`<span class="task-label">${row.label}</span>` : null}
      <span class="state" data-role="task-status">${row.status.replace('_', ' ')}</span>
      <span class="task-age" title=${new Date(row.createdAt).toLocaleString()}>${since(row.createdAt)}</span>
    </div>
    ${row.statusMessage ? html`<p class="task-line" data-role="task-message">${row.statusMessage}</p>` : null}
    ${
      row.error
        ? html`<p class="error" data-role="task-error">${row.error.code}: ${row.error.message}</p>`
        : row.result !== undefined
          ? html`<pre class=${`result-text${row.result?.isError ? ' is-error' : ''}`} data-role="task-result">
${resultText(row.result)}</pre>`
          : null
    }
    ${row.note ? html`<small>${row.note}</small>` : null}
    ${
      ended
        ? null
        : html`<div class="actions">
            ${
              row.status === 'input_required'
                ? html`<button
                    type="button"
                    disabled=${!asked}
                    title=${asked ? null : 'Not asked in this page: the client answers it with its own handlers'}
                    onClick=${() => showRequest(row.server)}
                  >
                    Answer
                  </button>`
                : null
            }
            <button type="button" onClick=${() => onCancel(row.id)} aria-label=${`Cancel ${row.tool} (${row.id})`}>
              Cancel
            </button>
          </div>`
    }
  </li>`;
}

/**
 * The Tasks view. Props: `api`, `bus` (the page's `task:status` and `task:end` events) and `requests` (the
 * requests waiting in the page, for "Answer").
 */
export class TasksView extends Component {
  /** @type {{ rows: TaskRow[], message: string, loaded: boolean }} */
  state = { rows: [], message: '', loaded: false };

  /** @param {Event} e */
  onTask = (e) => this.setState(({ rows }) => ({ rows: mergeTask(rows, /** @type {CustomEvent} */ (e).detail) }));

  componentDidMount() {
    this.props.bus.addEventListener('task:status', this.onTask);
    this.props.bus.addEventListener('task:end', this.onTask);
    this.props
      .api('/api/tasks')
      .then((/** @type {TaskRow[]} */ list) =>
        this.setState(({ rows }) => ({ rows: list.reduce(mergeTask, rows), loaded: true })),
      )
      .catch((err) => this.setState({ message: err.message }));
  }

  componentWillUnmount() {
    this.props.bus.removeEventListener('task:status', this.onTask);
    this.props.bus.removeEventListener('task:end', this.onTask);
  }

  cancel(id) {
    this.props
      .api(`/api/tasks/${encodeURIComponent(id)}/cancel`, { method: 'POST' })
      .then(() => this.setState({ message: '' }))
      .catch((err) => this.setState({ message: err.message }));
  }

  render({ requests }, { rows, message, loaded }) {
    /** @type {Set<string>} */
    const asking = new Set(requests.map((/** @type {PendingRequest} */ r) => r.server));
    return html`<section class="tasks" aria-label="tasks">
      <h2>Tasks</h2>
      ${message ? html`<p class="message" role="alert">${message}</p>` : null}
      ${
        loaded && rows.length === 0
          ? html`<p class="status" data-role="tasks-empty">
              No tasks yet: a tool call the server runs as a task shows here while it runs, and after.
            </p>`
          : null
      }
      <div class="task-groups">
        ${GROUPS.map((g) => {
          const mine = rows.filter((r) => g.statuses.includes(r.status));
          return html`<section class="task-group" data-group=${g.id} aria-labelledby=${`tasks-${g.id}`}>
            <h3 id=${`tasks-${g.id}`}>${g.title} <span class="badge none">${mine.length}</span></h3>
            <ul>
              ${mine.map(
                (row) =>
                  html`<${TaskItem}
                    key=${row.id}
                    row=${row}
                    asked=${asking.has(row.server)}
                    onCancel=${(id) => this.cancel(id)}
                  />`,
              )}
            </ul>
          </section>`;
        })}
      </div>
    </section>`;
  }
}
