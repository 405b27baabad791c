// The Chat view: conversations on the side (search finds them by any word; a drawer on a phone),
// the conversation in the middle streaming as the model answers, its settings (provider, model,
// system instructions, the servers whose tools are on, tool selection), and the composer. Keys:
// Ctrl/Cmd+K finds a conversation, Ctrl/Cmd+Shift+R answers the last message again.
import { h, Component } from '/vendor/preact.mjs';
import htm from '/vendor/htm.mjs';
import { ConversationActions, downloadExport } from '/chat-actions.js';
import { Composer } from '/chat-composer.js';
import { ConversationList } from '/chat-list.js';
import { Messages } from '/chat-messages.js';
import { Settings } from '/chat-settings.js';
import { reduce } from '/chat-state.js';

const html = htm.bind(h);
const json = (method, body) => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body ?? {}),
});

/** @typedef {import('/chat-state.js').ChatState} ChatState */
/** @typedef {import('../src/chat-store.js').ConversationSummary} ConversationSummary */
/** @typedef {import('../src/chat-store.js').SearchHit} SearchHit */
/** @typedef {{ enabled: boolean, providers: { name: string, models: string[] }[], servers: string[] }} ChatMeta */

export class ChatView extends Component {
  /**
   * @type {ChatState & {
   *   meta: ChatMeta | undefined, list: ConversationSummary[], query: string, hits: SearchHit[] | undefined,
   *   draft: string, editing: number | undefined, settingsOpen: boolean, message: string, drawer: boolean,
   *   renaming: boolean,
   * }}
   */
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
    drawer: false,
    renaming: false,
  };

  /** @param {CustomEvent} e */
  listener = (e) => this.onEvent(e.detail);
  /** @param {KeyboardEvent} e */
  keys = (e) => this.onKey(e);

  componentDidMount() {
    this.props.bus.addEventListener('chat', this.listener);
    document.addEventListener('keydown', this.keys);
    this.props.api('/api/chat').then((meta) => this.setState({ meta }));
    this.loadList().then(() => {
      const first = this.state.list[0];
      if (this.state.current === undefined && first) this.open(first.id);
    });
  }

  componentWillUnmount() {
    this.props.bus.removeEventListener('chat', this.listener);
    document.removeEventListener('keydown', this.keys);
  }

  /** The view's shortcuts: Ctrl/Cmd+K to the search, Ctrl/Cmd+Shift+R regenerates (not the page's reload). */
  onKey(e) {
    const mod = e.ctrlKey || e.metaKey;
    if (mod && !e.shiftKey && e.key.toLowerCase() === 'k') {
      e.preventDefault();
      // On a phone the list is a drawer: open it to show the search.
      const phone = matchMedia('(max-width: 640px)').matches;
      this.setState({ drawer: phone }, () => document.getElementById('chat-search')?.focus());
    } else if (mod && e.shiftKey && e.key.toLowerCase() === 'r') {
      e.preventDefault();
      const { current } = this.state;
      if (current && !current.running && current.messages.some((m) => m.role === 'user')) this.regenerate();
    }
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
    const el = document.querySelector('.messages');
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
      .then((current) =>
        this.setState({
          current,
          editing: undefined,
          draft: '',
          message: '',
          notice: '',
          drawer: false,
          renaming: false,
        }),
      )
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

  /** A run's event: folded into the open conversation (chat-state.js); the list reloaded when it changed. */
  onEvent(e) {
    if (e.type === 'conversations') return void this.loadList();
    this.setState((/** @type {ChatState} */ state) => reduce(state, e));
  }

  create() {
    this.props
      .api('/api/chat/conversations', json('POST'))
      .then((created) => this.loadList().then(() => this.open(created.id)))
      .catch((err) => this.fail(err));
  }

  /** Sends what the composer holds: the text, the resources to read, the images, the prompt. */
  send({ text, resources, images, prompt }) {
    const { current, editing } = this.state;
    if (current === undefined) return Promise.resolve();
    const body = {
      text,
      ...(editing === undefined ? {} : { edit: editing }),
      ...(resources.length > 0 ? { resources } : {}),
      ...(images.length > 0 ? { images } : {}),
      ...(prompt ? { prompt } : {}),
    };
    if (editing !== undefined) {
      const at = current.messages.findIndex((m) => m.id === editing);
      this.setState({ current: { ...current, messages: current.messages.slice(0, at) } });
    }
    this.setState({ draft: '', editing: undefined, message: '' });
    // Refused (a resource that cannot be read, an image too big), the text and the edit come back;
    // the composer puts its attachments back on the rejection.
    return this.props.api(`/api/chat/conversations/${current.id}/messages`, json('POST', body)).catch((err) => {
      this.setState({ draft: text, editing });
      this.fail(err);
      this.refresh(current.id);
      throw err;
    });
  }

  regenerate() {
    const { current } = this.state;
    if (current === undefined) return;
    const at = current.messages.findLastIndex((m) => m.role === 'user');
    this.setState({ current: { ...current, messages: current.messages.slice(0, at) } });
    this.props.api(`/api/chat/conversations/${current.id}/regenerate`, json('POST')).catch((err) => {
      this.fail(err);
      this.open(current.id);
    });
  }

  stop() {
    const { current } = this.state;
    if (current === undefined) return;
    this.props.api(`/api/chat/conversations/${current.id}/stop`, json('POST')).catch((err) => this.fail(err));
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
    if (current === undefined) return;
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
    if (current === undefined) return;
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
    if (current === undefined) return;
    downloadExport(this.props.token, current.id, format).catch((err) => this.fail(err));
  }

  cancelEdit() {
    this.setState({ editing: undefined, draft: '' });
  }

  /** ↑ in an empty composer: the last message sent, back in the composer to be edited. */
  editLast() {
    const { current } = this.state;
    const last = current?.messages.findLast((m) => m.role === 'user');
    if (last && !current?.running) this.setState({ editing: last.id, draft: last.content });
  }

  rename(title) {
    const { current } = this.state;
    if (current === undefined) return;
    this.setState({ renaming: false });
    if (title.trim() === '' || title === current.title) return;
    this.setState({ current: { ...current, title } });
    this.props
      .api(`/api/chat/conversations/${current.id}`, json('PATCH', { title }))
      .then(() => this.loadList())
      .catch((err) => this.fail(err));
  }

  search(query) {
    this.setState({ query });
    if (query.trim() === '') return this.setState({ hits: undefined });
    this.props
      .api(`/api/chat/search?q=${encodeURIComponent(query)}`)
      .then((hits) => this.state.query === query && this.setState({ hits }))
      .catch((err) => this.fail(err));
  }

  /** The conversation's title: a heading, or (Rename) a field that saves on Enter or leaving it, Esc cancels. */
  title(current) {
    if (!this.state.renaming)
      return html`<h2 data-role="conversation-title">${current.title}</h2>
        <button type="button" class="link" data-role="rename" onClick=${() => this.setState({ renaming: true })}>
          Rename
        </button>`;
    return html`<input
      class="rename"
      data-role="rename-input"
      aria-label="Conversation title"
      maxlength="200"
      defaultValue=${current.title}
      ref=${(el) => el && document.activeElement !== el && (el.focus(), el.select())}
      onKeyDown=${(e) => {
        if (e.key === 'Enter') this.rename(e.target.value);
        if (e.key === 'Escape') this.setState({ renaming: false });
      }}
      onBlur=${(e) => this.state.renaming && this.rename(e.target.value)}
    />`;
  }

  render(_, { meta, list, query, hits, current, draft, editing, settingsOpen, message, notice, drawer }) {
    if (meta === undefined) return html`<p class="chat-off">Loading…</p>`;
    if (!meta.enabled) return html`<p class="chat-off">The chat is not enabled in this dashboard.</p>`;
    const running = current?.running === true;
    const drawerButton = html`<button
      type="button"
      class="link drawer-open"
      data-role="drawer-open"
      aria-label="Conversations"
      aria-expanded=${drawer ? 'true' : 'false'}
      onClick=${() => this.setState({ drawer: !drawer })}
    >
      ☰
    </button>`;
    return html`<div class=${`chat ${drawer ? 'drawer-shown' : ''}`}>
      <${ConversationList}
        list=${list}
        hits=${hits}
        query=${query}
        current=${current?.id}
        providers=${meta.providers.length}
        open=${drawer}
        onNew=${() => this.create()}
        onSearch=${(q) => this.search(q)}
        onOpen=${(id) => this.open(id)}
        onClose=${() => this.setState({ drawer: false })}
      />
      ${
        drawer
          ? html`<div class="drawer-scrim" aria-hidden="true" onClick=${() => this.setState({ drawer: false })}></div>`
          : null
      }
      ${
        current === undefined
          ? html`<section class="conversation empty">
              <header class="conversation-head">${drawerButton}</header>
              <p class="status">Start a new conversation, or pick one.</p>
            </section>`
          : html`<section class="conversation" aria-label="conversation" data-conversation=${current.id}>
              <header class="conversation-head">
                ${drawerButton} ${this.title(current)}
                <small class="model">${current.settings.provider} · ${current.settings.model}</small>
                <span class="spacer"></span>
                <${ConversationActions}
                  settingsOpen=${settingsOpen}
                  onSettings=${() => this.setState({ settingsOpen: !settingsOpen })}
                  onExport=${(format) => this.exportAs(format)}
                  onDelete=${() => this.remove()}
                />
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
              <${Composer}
                key=${current.id}
                api=${this.props.api}
                draft=${draft}
                running=${running}
                editing=${editing}
                disabled=${meta.providers.length === 0}
                onDraft=${(text) => this.setState({ draft: text })}
                onSend=${(input) => this.send(input)}
                onStop=${() => this.stop()}
                onCancelEdit=${() => this.cancelEdit()}
                onEditLast=${() => this.editLast()}
              />
            </section>`
      }
    </div>`;
  }
}
