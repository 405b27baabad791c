// A conversation's messages: the user's text with what it attached (resources, images, the prompt
// it came from), the model's answers as Markdown, each tool call as a card (folded: server, tool,
// outcome, duration, and the images it returned; open: arguments and the result by type), the
// approvals waiting in line, and the tokens each turn used. An image opens larger on a click.
import { h, Component } from '/vendor/preact.mjs';
import htm from '/vendor/htm.mjs';
import { renderMarkdown } from '/markdown.js';
import { AppView, resultOfOutcome } from '/app-view.js';

const html = htm.bind(h);

/** Markdown rendered into its element; re-rendered only when the text changes. */
export class Markdown extends Component {
  componentDidMount() {
    this.paint();
  }

  shouldComponentUpdate(next) {
    if (next.text !== this.props.text) {
      this.props = next;
      this.paint();
    }
    return false;
  }

  paint() {
    if (this.el) this.el.innerHTML = renderMarkdown(this.props.text);
  }

  render({ role }) {
    return html`<div class="markdown" data-role=${role ?? 'markdown'} ref=${(el) => (this.el = el)}></div>`;
  }
}

/** An image shown small; a click (or Enter) opens it in a dialog as large as the window allows, Esc closes. */
export class Thumb extends Component {
  render({ mimeType, data, alt }) {
    const src = `data:${mimeType};base64,${data}`;
    return html`<span class="thumb">
      <button type="button" class="thumb-open" aria-label=${`Enlarge ${alt}`} onClick=${() => this.dialog?.showModal()}>
        <img alt=${alt} src=${src} data-role="image" />
      </button>
      <dialog
        class="lightbox"
        aria-label=${alt}
        ref=${(el) => (this.dialog = el)}
        onClick=${(e) => e.target === this.dialog && this.dialog.close()}
      >
        <img alt=${alt} src=${src} />
        <button type="button" class="lightbox-close" aria-label="Close" onClick=${() => this.dialog.close()}>×</button>
      </dialog>
    </span>`;
  }
}

/** One part of a tool's result: text, or an image. */
function Part({ part }) {
  if (part.type === 'image') return html`<${Thumb} mimeType=${part.mimeType} data=${part.data} alt="image result" />`;
  return html`<pre class="result-text">${part.text}</pre>`;
}

/** The prompt (`server/name`) a message came from. */
const PromptChip = ({ prompt }) =>
  html`<span class="chip" data-role="prompt-chip" data-kind="prompt">/${prompt}</span>`;

/** What a user's message carries: the prompt it came from, its resources and images. */
function Attachments({ message }) {
  const attachments = message.attachments ?? [];
  if (attachments.length === 0 && !message.prompt) return null;
  return html`<div class="chips" data-role="attachments">
    ${message.prompt ? html`<${PromptChip} prompt=${message.prompt} />` : null}
    ${attachments.map((a) =>
      a.kind === 'image'
        ? html`<${Thumb} mimeType=${a.mimeType} data=${a.data} alt=${a.name} />`
        : html`<span class="chip" data-role="attachment" data-kind="resource" title=${`${a.server} · ${a.uri}`}>
            @${a.name}${a.truncated ? html` <small>(cut)</small>` : null}
          </span>`,
    )}
  </div>`;
}

const whereOf = (call) => (call.server ? `${call.server} / ${call.tool ?? call.name}` : call.name);

/** What a call's card says of it in one line. */
function outcomeOf(call, approval, task) {
  if (approval) return 'waiting for approval';
  if (call.outcome === undefined && task !== undefined) return task.status.replace('_', ' ');
  if (call.outcome === undefined) return 'running…';
  if (call.approval === 'denied') return 'denied';
  return call.outcome.isError ? 'error' : 'ok';
}

/** The badge of each hint a server gave, in words: [hint, value, text]. */
/** @typedef {import('../src/chat-approvals.js').ToolHints} ToolHints */
/** @typedef {import('../src/chat-store.js').StoredMessage} StoredMessage */

/** @type {[keyof ToolHints, boolean, string][]} */
const HINT_WORDS = [
  ['readOnlyHint', true, 'read-only'],
  ['readOnlyHint', false, 'may change things'],
  ['destructiveHint', true, 'destructive'],
  ['destructiveHint', false, 'not destructive'],
  ['idempotentHint', true, 'idempotent'],
  ['idempotentHint', false, 'not idempotent'],
  ['openWorldHint', true, 'reaches the outside world'],
  ['openWorldHint', false, 'closed world'],
];

/** The server's own hints about a tool, as labelled badges: they are its claims, nobody checked them. */
/** @param {{ hints?: ToolHints }} props */
function Hints({ hints = {} }) {
  const shown = HINT_WORDS.filter(([key, value]) => hints[key] === value);
  return html`<p class="hints" data-role="approval-hints">
    <span class="hints-label">The server's own hints (not checked):</span>
    ${
      shown.length === 0
        ? html`<span class="badge none">none given</span>`
        : shown.map(
            ([key, value, text]) =>
              html`<span
                class=${`badge ${key === 'destructiveHint' && value ? 'danger' : ''}`}
                title=${`${key}: ${value}`}
                >${text}</span
              >`,
          )
    }
  </p>`;
}

const UNTRUSTED = 'not marked trusted: its annotations are hints only';

/** What a flagged change did, in words. */
const CHANGE_WORDS = { warn: 'flagged', hold: 'held', block: 'blocked' };

/**
 * The question for a call waiting for approval: what will run — server (trusted or not), tool, the
 * change since it was pinned when flagged, the arguments — then the buttons, with "remember for this
 * conversation" (later calls of this tool in it run unasked).
 */
class Approval extends Component {
  state = { remember: false };

  render({ call, approval, onAnswer }, { remember }) {
    const change = approval.change;
    return html`<div class="approval" role="group" aria-label="approve this tool call" data-role="approval">
      <p>Allow <strong>${whereOf(call)}</strong> to run with these arguments?</p>
      <p class="hints" data-role="approval-where">
        <span>server <strong data-role="approval-server">${approval.server ?? 'unknown'}</strong></span>
        <span>tool <strong data-role="approval-tool">${approval.tool ?? call.name}</strong></span>
        <span
          class=${`badge ${approval.trusted ? '' : 'danger'}`}
          data-role="approval-trust"
          data-trusted=${String(approval.trusted === true)}
          title=${approval.trusted ? 'marked trusted in its config' : UNTRUSTED}
          >${approval.trusted ? 'trusted server' : 'not trusted'}</span
        >
      </p>
      ${
        change
          ? html`<div class="approval-change" data-role="approval-change">
              <p class="message">
                ${
                  change.kind === 'shadows'
                    ? `This tool shadows one of ${change.shadows ?? 'another server'}'s`
                    : 'This tool changed since it was pinned'
                }
                (${CHANGE_WORDS[change.action] ?? change.action}, not yet accepted):
              </p>
              <pre class="result-text diff" data-role="approval-diff">${change.diff}</pre>
            </div>`
          : null
      }
      <pre class="result-text" data-role="approval-args">${JSON.stringify(approval.args ?? call.args, null, 2)}</pre>
      ${
        approval.argsCut
          ? html`<small class="status" data-role="approval-args-cut">
              Cut to be shown: the call gets the arguments whole.
            </small>`
          : null
      }
      <${Hints} hints=${approval.hints} />
      <div class="actions">
        <button type="button" data-role="approve" onClick=${() => onAnswer(approval.id, true, remember)}>Allow</button>
        <button type="button" data-role="deny" onClick=${() => onAnswer(approval.id, false)}>Deny</button>
        ${
          approval.server
            ? html`<label class="check">
                <input
                  type="checkbox"
                  data-role="remember"
                  checked=${remember}
                  onChange=${(e) => this.setState({ remember: e.target.checked })}
                />
                Remember for this conversation
              </label>`
            : null
        }
      </div>
    </div>`;
  }
}

/**
 * A tool call: folded to a line; open, its arguments and result. An approval is asked above the
 * fold, the images it returned show below it, and under a finished call is the place for its App
 * (the `apps` work puts an AppView there).
 */
export function ToolCard({ call, approval, task, onAnswer }) {
  const outcome = outcomeOf(call, approval, task);
  const images = (call.outcome?.parts ?? []).filter((p) => p.type === 'image');
  return html`<div class="tool-card" data-role="tool-card" data-outcome=${outcome} data-call=${call.id}>
    <details>
      <summary>
        <span class="tool-name">${whereOf(call)}</span>
        <span class="tool-outcome" data-role="tool-outcome">${outcome}</span>
        ${call.durationMs !== undefined ? html`<small>${Math.round(call.durationMs)} ms</small>` : null}
        ${
          call.outcome === undefined && task?.statusMessage
            ? html`<small data-role="task-line">${task.statusMessage}</small>`
            : null
        }
      </summary>
      <h4>Arguments</h4>
      <pre class="result-text" data-role="tool-args">${JSON.stringify(call.args, null, 2)}</pre>
      ${
        call.outcome
          ? html`<h4>Result</h4>
              <div class=${call.outcome.isError ? 'is-error' : ''} data-role="tool-result">
                ${call.outcome.parts.map((part) => html`<${Part} part=${part} />`)}
              </div>`
          : null
      }
    </details>
    ${
      call.app && call.outcome && call.approval !== 'denied'
        ? html`<${AppView}
            server=${call.server}
            tool=${call.tool}
            input=${call.args}
            result=${call.result ?? resultOfOutcome(call.outcome)}
          />`
        : null
    }
    ${
      call.app && call.resultCut
        ? html`<small class="status" data-role="app-result-cut"
            >The result was too large to keep for the App: it shows what the model saw.</small
          >`
        : null
    }
    ${approval ? html`<${Approval} call=${call} approval=${approval} onAnswer=${onAnswer} />` : null}
    ${
      images.length > 0
        ? html`<div class="result-images" data-role="result-images">
            ${images.map(
              (p) => html`<${Thumb} mimeType=${p.mimeType} data=${p.data} alt=${`image from ${whereOf(call)}`} />`,
            )}
          </div>`
        : null
    }
  </div>`;
}

/** The tokens of a turn (a user message and the model's steps after it). */
function tokensOf(steps) {
  let input = 0;
  let output = 0;
  for (const m of steps) {
    input += m.usage?.inputTokens ?? 0;
    output += m.usage?.outputTokens ?? 0;
  }
  return input + output === 0
    ? null
    : html`<small class="tokens" data-role="tokens">${input} in · ${output} out</small>`;
}

/** The model's thinking, folded: a click (or Enter on it) shows it. */
function Thinking({ text, live }) {
  if (!text) return null;
  return html`<details class="thinking" data-role="thinking">
    <summary>${live ? 'Thinking…' : 'Thought'}</summary>
    <div class="thinking-text">${text}</div>
  </details>`;
}

/** A step of the model's: its thinking (folded), its text, its tool calls, how it ended. */
function Step({ message }) {
  return html`<div class="chat-message assistant" data-role="message" data-message-role="assistant">
    ${message.prompt ? html`<div class="chips"><${PromptChip} prompt=${message.prompt} /></div>` : null}
    <${Thinking} text=${message.reasoning} />
    ${message.content !== '' ? html`<${Markdown} text=${message.content} />` : null}
    ${(message.toolCalls ?? []).map((call) => html`<${ToolCard} call=${call} />`)}
    ${message.status === 'stopped' ? html`<p class="status" data-role="stopped">Stopped.</p>` : null}
    ${message.status === 'error' ? html`<p class="message" data-role="run-error">${message.error}</p>` : null}
  </div>`;
}

/** Messages grouped by turn, then the step in progress. */
export function Messages({ messages, live, running, onAnswer, onEdit, onRegenerate, onScroll }) {
  /** @type {{ user: StoredMessage | undefined, steps: StoredMessage[] }[]} */
  const turns = [];
  for (const m of messages) {
    if (m.role === 'user' || turns.length === 0) turns.push({ user: m.role === 'user' ? m : undefined, steps: [] });
    if (m.role !== 'user') turns[turns.length - 1].steps.push(m);
  }
  const lastUser = messages.findLast((m) => m.role === 'user');
  const approvals = new Map((live?.approvals ?? []).map((a) => [a.callId, a]));
  return html`<div class="messages" data-role="messages" onScroll=${onScroll}>
    ${turns.map(
      (turn, i) =>
        html`<section class="turn">
          ${
            turn.user
              ? html`<div class="chat-message user" data-role="message" data-message-role="user">
                  ${turn.user.content !== '' ? html`<p>${turn.user.content}</p>` : null}
                  <${Attachments} message=${turn.user} />
                  ${
                    !running && turn.user === lastUser
                      ? html`<button type="button" class="link" data-role="edit" onClick=${() => onEdit(turn.user)}>
                          Edit
                        </button>`
                      : null
                  }
                </div>`
              : null
          }
          ${turn.steps.map((m) => html`<${Step} key=${m.id} message=${m} />`)}
          ${
            i === turns.length - 1 && live
              ? html`<div class="chat-message assistant live" data-role="live">
                  <${Thinking} text=${live.reasoning} live=${true} />
                  ${live.text !== '' ? html`<${Markdown} role="streaming" text=${live.text} />` : null}
                  ${live.calls.map(
                    (call) =>
                      html`<${ToolCard}
                        call=${call}
                        approval=${approvals.get(call.id)}
                        task=${live.tasks?.[call.id]}
                        onAnswer=${onAnswer}
                      />`,
                  )}
                  ${
                    live.text === '' && live.calls.length === 0 && !live.reasoning
                      ? html`<p class="status">Thinking…</p>`
                      : null
                  }
                </div>`
              : null
          }
          <div class="turn-foot">
            ${tokensOf(turn.steps)}
            ${
              !running && i === turns.length - 1 && lastUser
                ? html`<button
                    type="button"
                    class="link"
                    data-role="regenerate"
                    aria-keyshortcuts="Control+Shift+R Meta+Shift+R"
                    title="Regenerate (Ctrl+Shift+R)"
                    onClick=${onRegenerate}
                  >
                    Regenerate
                  </button>`
                : null
            }
          </div>
        </section>`,
    )}
  </div>`;
}
