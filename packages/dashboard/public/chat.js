// The Chat view: conversations on the side (search finds them by any word), the conversation in
// the middle streaming as the model answers, its settings (provider, model, system instructions,
// the servers whose tools are on, tool selection), and the composer with Stop while a run goes.
import { h, Component } from '/vendor/preact.mjs';
import htm from '/vendor/htm.mjs';
import { Messages } from '/chat-messages.js';

const html = htm.bind(h);
const NO_PROVIDER = 'No model provider configured: start the console with --provider and --model.';
const PLACEHOLDER = 'Message — Enter sends, Shift+Enter starts a line';
const json = (method, body) => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body ?? {}),
});

/** A found conversation's snippet, the matched words (between [ and ]) marked. */
function Snippet({ text }) {
  return html`<span class="snippet">
    ${text.split(/(\[[^\]]*\])/).map((piece) => (piece.startsWith('[') ? html`<mark>${piece.slice(1, -1)}</mark>` : piece))}
  </span>`;
}

/**
 * A conversation's settings. The typed fields (model, system instructions) are uncontrolled: a
 * re-render while someone types (a chat event refreshing the list) must not put the stored value
 * back; they start from the conversation's (the form is keyed by it) and send on change.
 */
function Settings({ meta, conversation, onChange }) {
  const s = conversation.settings;
  const provider = meta.providers.find((p) => p.name === s.provider);
  const on = (name) => s.servers === null || s.servers.includes(name);
  const toggle = (name) => {
    const current = s.servers ?? meta.servers;
    const next = current.includes(name) ? current.filter((n) => n !== name) : [...current, name];
    onChange({ servers: next.length === meta.servers.length ? null : next });
  };
  return html`<form class="chat-settings" data-role="chat-settings" onSubmit=${(e) => e.preventDefault()}>
    <label
      >Provider
      <select value=${s.provider} onChange=${(e) => onChange({ provider: e.target.value })}>
        ${meta.providers.map((p) => html`<option value=${p.name}>${p.name}</option>`)}
      </select>
    </label>
    <label
      >Model
      <input list="chat-models" defaultValue=${s.model} onChange=${(e) => onChange({ model: e.target.value })} />
      <datalist id="chat-models">${(provider?.models ?? []).map((m) => html`<option value=${m}></option>`)}</datalist>
    </label>
    <label class="wide"
      >System instructions
      <textarea rows="3" defaultValue=${s.system} onChange=${(e) => onChange({ system: e.target.value })}></textarea>
    </label>
    <fieldset>
      <legend>Tools from</legend>
      ${meta.servers.map(
        (name) =>
          html`<label class="check">
            <input type="checkbox" data-server=${name} checked=${on(name)} onChange=${() => toggle(name)} /> ${name}
          </label>`,
      )}
    </fieldset>
    <label class="check">
      <input
        type="checkbox"
        checked=${s.toolSelection}
        onChange=${(e) => onChange({ toolSelection: e.target.checked })}
      />
      Tool selection (offer the best 16 tools for each message)
    </label>
  </form>`;
}

export class ChatView extends Component {
  state = {
    meta: undefined,
    list: [],
    query: '',
    hits: undefined,
    current: undefined,
    draft: '',
    editing: undefined,
    settingsOpen: false,
    message: '',
    notice: '',
  };

  componentDidMount() {
    this.listener = (e) => this.onEvent(e.detail);
    this.props.bus.addEventListener('chat', this.listener);
    this.props.api('/api/chat').then((meta) => this.setState({ meta }));
    this.loadList().then(() => {
      const first = this.state.list[0];
      if (this.state.current === undefined && first) this.open(first.id);
    });
  }

  componentWillUnmount() {
    this.props.bus.removeEventListener('chat', this.listener);
  }

  /**
   * The messages stay scrolled to the end while the reader is there. When the fleet's servers
   * change (`servers` names them), the servers the settings offer are asked again.
   */
  componentDidUpdate(previous) {
    if (previous.servers !== this.props.servers)
      this.props
        .api('/api/chat')
        .then((meta) => this.setState({ meta }))
        .catch((err) => this.fail(err));
    const el = this.base?.querySelector?.('.messages') ?? document.querySelector('.messages');
    if (el && this.stick !== false) el.scrollTop = el.scrollHeight;
  }

  onScroll(e) {
    const el = e.currentTarget ?? e.target;
    this.stick = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
  }

  fail(err) {
    this.setState({ message: err.message });
  }

  loadList() {
    return this.props
      .api('/api/chat/conversations')
      .then((list) => {
        // The open conversation's title and settings follow the list (the first message names it).
        const { current } = this.state;
        const mine = current === undefined ? undefined : list.find((c) => c.id === current.id);
        this.setState({
          list,
          ...(mine ? { current: { ...current, title: mine.title, settings: mine.settings } } : {}),
        });
      })
      .catch((err) => this.fail(err));
  }

  open(id) {
    return this.props
      .api(`/api/chat/conversations/${id}`)
      .then((current) => this.setState({ current, editing: undefined, draft: '', message: '', notice: '' }))
      .catch((err) => this.fail(err));
  }

  /**
   * The open conversation read again after a change of its own (its settings): what is typed in
   * the composer, and an edit under way, stay.
   */
  refresh(id) {
    return this.props
      .api(`/api/chat/conversations/${id}`)
      .then((current) => this.state.current?.id === id && this.setState({ current }))
      .catch((err) => this.fail(err));
  }

  /** A run's event: applied to the open conversation; the list reloaded when it changed. */
  onEvent(e) {
    if (e.type === 'conversations') return void this.loadList();
    const current = this.state.current;
    if (current === undefined || e.conversationId !== current.id) return;
    const live = current.live ?? { text: '', calls: [], approvals: [] };
    const set = (change) => this.setState({ current: { ...current, ...change } });
    const patch = (callId, change) => ({
      ...live,
      calls: live.calls.map((c) => (c.id === callId ? { ...c, ...change } : c)),
    });
    switch (e.type) {
      case 'run':
        return set({ running: true, live: { text: '', calls: [], approvals: [] } });
      case 'message':
        return set({
          messages: [...current.messages, e.message],
          live: e.message.role === 'assistant' ? { ...live, text: '', calls: [] } : live,
        });
      case 'delta':
        return set({ live: { ...live, text: live.text + e.text } });
      case 'tool-call':
        return set({ live: { ...live, calls: [...live.calls, e.call] } });
      case 'approval-request':
        return set({ live: { ...live, approvals: [...live.approvals, e.approval] } });
      case 'approval':
        return set({
          live: {
            ...patch(e.callId, { approval: e.approved ? 'approved' : 'denied' }),
            approvals: live.approvals.filter((a) => a.callId !== e.callId),
          },
        });
      case 'tool-result':
        return set({ live: patch(e.callId, { outcome: e.outcome, durationMs: e.durationMs, result: e.result }) });
      case 'notice':
        return this.setState({ notice: e.text });
      case 'end':
        this.setState({ notice: e.status === 'error' ? '' : this.state.notice });
        return set({ running: false, live: undefined });
    }
  }

  create() {
    this.props
      .api('/api/chat/conversations', json('POST'))
      .then((created) => this.loadList().then(() => this.open(created.id)))
      .catch((err) => this.fail(err));
  }

  send(event) {
    event?.preventDefault();
    const { current, draft, editing } = this.state;
    if (current === undefined || draft.trim() === '') return;
    const body = editing === undefined ? { text: draft } : { text: draft, edit: editing };
    if (editing !== undefined) {
      const at = current.messages.findIndex((m) => m.id === editing);
      this.setState({ current: { ...current, messages: current.messages.slice(0, at) } });
    }
    this.setState({ draft: '', editing: undefined, message: '' });
    this.props.api(`/api/chat/conversations/${current.id}/messages`, json('POST', body)).catch((err) => {
      this.setState({ draft });
      this.fail(err);
      this.open(current.id);
    });
  }

  regenerate() {
    const { current } = this.state;
    const at = current.messages.findLastIndex((m) => m.role === 'user');
    this.setState({ current: { ...current, messages: current.messages.slice(0, at) } });
    this.props.api(`/api/chat/conversations/${current.id}/regenerate`, json('POST')).catch((err) => {
      this.fail(err);
      this.open(current.id);
    });
  }

  stop() {
    this.props
      .api(`/api/chat/conversations/${this.state.current.id}/stop`, json('POST'))
      .catch((err) => this.fail(err));
  }

  /** The word on a tool call; `remember`: later calls of that tool in this conversation run unasked. */
  answer(id, approved, remember = false) {
    this.props.api(`/api/chat/approvals/${id}`, json('POST', { approved, remember })).catch((err) => this.fail(err));
  }

  /**
   * Saves a change of settings. It shows at once: a re-render before the server answers (a chat
   * event) would otherwise put a clicked checkbox back. Refused, the stored settings come back.
   */
  change(settings) {
    const { current } = this.state;
    this.setState({ current: { ...current, settings: { ...current.settings, ...settings } } });
    this.props
      .api(`/api/chat/conversations/${current.id}`, json('PATCH', { settings }))
      .then(() => this.refresh(current.id))
      .catch((err) => {
        this.fail(err);
        this.refresh(current.id);
      });
  }

  remove() {
    const { current } = this.state;
    if (!confirm(`Delete "${current.title}"?`)) return;
    this.props
      .api(`/api/chat/conversations/${current.id}`, { method: 'DELETE' })
      .then(() => this.setState({ current: undefined }))
      .then(() => this.loadList())
      .catch((err) => this.fail(err));
  }

  /** Downloads the conversation as Markdown or JSON (fetched with the token, saved from a blob). */
  exportAs(format) {
    const { current } = this.state;
    fetch(`/api/chat/conversations/${current.id}/export?format=${format}`, {
      headers: { authorization: `Bearer ${this.props.token}` },
    })
      .then(async (res) => {
        if (!res.ok) throw new Error(`Export failed: HTTP ${res.status}`);
        const name = decodeURIComponent(
          /filename\*=UTF-8''([^;]+)/.exec(res.headers.get('content-disposition'))?.[1] ?? 'conversation',
        );
        const a = document.createElement('a');
        a.href = URL.createObjectURL(await res.blob());
        a.download = name;
        a.click();
        setTimeout(() => URL.revokeObjectURL(a.href), 1000);
      })
      .catch((err) => this.fail(err));
  }

  cancelEdit() {
    this.setState({ editing: undefined, draft: '' });
  }

  search(query) {
    this.setState({ query });
    if (query.trim() === '') return this.setState({ hits: undefined });
    this.props
      .api(`/api/chat/search?q=${encodeURIComponent(query)}`)
      .then((hits) => this.state.query === query && this.setState({ hits }))
      .catch((err) => this.fail(err));
  }

  render(_, { meta, list, query, hits, current, draft, editing, settingsOpen, message, notice }) {
    if (meta === undefined) return html`<p class="chat-off">Loading…</p>`;
    if (!meta.enabled) return html`<p class="chat-off">The chat is not enabled in this console.</p>`;
    const running = current?.running === true;
    return html`<div class="chat">
      <aside class="conversations" aria-label="conversations">
        <button
          type="button"
          data-role="new-conversation"
          disabled=${meta.providers.length === 0}
          onClick=${() => this.create()}
        >
          New conversation
        </button>
        ${meta.providers.length === 0 ? html`<p class="status">${NO_PROVIDER}</p>` : null}
        <label for="chat-search" class="sr-only">Search conversations</label>
        <input
          id="chat-search"
          type="search"
          placeholder="Search conversations"
          data-role="chat-search"
          value=${query}
          onInput=${(e) => this.search(e.target.value)}
        />
        <ul>
          ${
            hits === undefined
              ? list.map(
                  (c) =>
                    html`<li>
                      <button
                        type="button"
                        class=${c.id === current?.id ? 'current' : ''}
                        data-role="conversation"
                        onClick=${() => this.open(c.id)}
                      >
                        ${c.title}${c.running ? html` <small>(running)</small>` : null}
                      </button>
                    </li>`,
                )
              : hits.map(
                  (hit) =>
                    html`<li>
                      <button type="button" data-role="search-hit" onClick=${() => this.open(hit.conversationId)}>
                        <strong>${hit.title}</strong><${Snippet} text=${hit.snippet} />
                      </button>
                    </li>`,
                )
          }
        </ul>
      </aside>
      ${
        current === undefined
          ? html`<section class="conversation empty">
              <p class="status">Start a new conversation, or pick one.</p>
            </section>`
          : html`<section class="conversation" aria-label="conversation" data-conversation=${current.id}>
              <header class="conversation-head">
                <h2 data-role="conversation-title">${current.title}</h2>
                <small>${current.settings.provider} · ${current.settings.model}</small>
                <span class="spacer"></span>
                <button
                  type="button"
                  class="link"
                  aria-expanded=${settingsOpen}
                  onClick=${() => this.setState({ settingsOpen: !settingsOpen })}
                >
                  Settings
                </button>
                <button type="button" class="link" data-role="export-md" onClick=${() => this.exportAs('markdown')}>
                  Markdown
                </button>
                <button type="button" class="link" data-role="export-json" onClick=${() => this.exportAs('json')}>
                  JSON
                </button>
                <button
                  type="button"
                  class="link danger"
                  data-role="delete-conversation"
                  onClick=${() => this.remove()}
                >
                  Delete
                </button>
              </header>
              ${
                settingsOpen
                  ? html`<${Settings}
                      key=${current.id}
                      meta=${meta}
                      conversation=${current}
                      onChange=${(s) => this.change(s)}
                    />`
                  : null
              }
              ${message ? html`<p class="message" role="alert">${message}</p>` : null}
              ${notice ? html`<p class="status">${notice}</p>` : null}
              <${Messages}
                onScroll=${(e) => this.onScroll(e)}
                messages=${current.messages}
                live=${current.live}
                running=${running}
                onAnswer=${(id, approved, remember) => this.answer(id, approved, remember)}
                onEdit=${(m) => this.setState({ editing: m.id, draft: m.content })}
                onRegenerate=${() => this.regenerate()}
              />
              <form class="composer" onSubmit=${(e) => this.send(e)}>
                <label for="composer" class="sr-only">Message</label>
                <textarea
                  id="composer"
                  data-role="composer"
                  rows="2"
                  placeholder=${editing === undefined ? PLACEHOLDER : 'Edit your message, then send'}
                  value=${draft}
                  onInput=${(e) => this.setState({ draft: e.target.value })}
                  onKeyDown=${(e) => {
                    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) this.send(e);
                  }}
                ></textarea>
                ${
                  running
                    ? html`<button type="button" class="danger" data-role="stop" onClick=${() => this.stop()}>
                        Stop
                      </button>`
                    : html`<button type="submit" data-role="send" disabled=${draft.trim() === ''}>Send</button>`
                }
                ${
                  editing !== undefined
                    ? html`<button type="button" class="link" onClick=${() => this.cancelEdit()}>Cancel edit</button>`
                    : null
                }
              </form>
            </section>`
      }
    </div>`;
  }
}
