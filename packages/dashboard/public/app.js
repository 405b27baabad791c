// The dashboard: one event stream for the fleet, cards that show each server live, a detail pane
// with the timeline. Preact + htm, served as they are (no bundler); the token comes from the URL.
import { h, render, Component } from '/vendor/preact.mjs';
import htm from '/vendor/htm.mjs';
import { ToolPanel } from '/tools.js';
import { ChangesPanel } from '/tool-changes.js';
import { CatalogPanel } from '/catalog.js';
import { Requests } from '/requests.js';
import { ChatView } from '/chat.js';
import { TasksView } from '/tasks.js';
import { ServerChart } from '/server-chart.js';
import { ServerDetail, TABS } from '/server-detail.js';
import { ms, since } from '/time-format.js';
import { ThemeToggle } from '/theme.js';

const html = htm.bind(h);
const token = new URLSearchParams(location.search).get('token') ?? '';
const api = (path, init = {}) =>
  fetch(path, { ...init, headers: { ...init.headers, authorization: `Bearer ${token}` } }).then(async (res) => {
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(body.error ?? `HTTP ${res.status}`);
    return body;
  });

/** Calls per page of the history. */
const PAGE = 100;

/**
 * The view the URL names: `#chat`, `#tasks`, `#/servers/<name>[/<tab>]` (a server's page), else the servers.
 * A name is URL-encoded in the hash: any name a config allows round-trips.
 */
function route(hash = location.hash) {
  if (hash === '#chat' || hash === '#tasks') return { view: hash.slice(1) };
  const m = /^#\/servers\/([^/]+)(?:\/([a-z]+))?$/.exec(hash);
  if (m === null) return { view: 'servers' };
  let name;
  try {
    name = decodeURIComponent(m[1]);
  } catch {
    return { view: 'servers' };
  }
  return { view: 'server', name, tab: TABS.includes(m[2]) ? m[2] : 'overview' };
}
const serverHash = (name, tab) => `#/servers/${encodeURIComponent(name)}${tab && tab !== 'overview' ? `/${tab}` : ''}`;

function Card({ server, onAction }) {
  const s = server;
  return html`<article class="card ${s.state}" data-server=${s.name} aria-labelledby="name-${s.name}">
    <h2>
      <span id="name-${s.name}">${s.name}</span
      ><span class="state" data-role="state">${s.givenUp ? 'given up' : s.state}</span>
    </h2>
    <dl>
      <dt>transport</dt>
      <dd>${s.transport}</dd>
      <dt>protocol</dt>
      <dd data-role="protocol" title=${s.era === undefined ? 'not connected yet' : `the ${s.era} era`}>
        ${s.protocolVersion ?? s.era ?? '–'}
      </dd>
      <dt>${s.pid === undefined ? 'session' : 'pid'}</dt>
      <dd>${s.pid ?? s.sessionId ?? '–'}</dd>
      <dt>uptime</dt>
      <dd>${s.state === 'ready' ? since(s.connectedAt) : '–'}</dd>
      <dt>restarts</dt>
      <dd data-role="restarts">${s.restarts}</dd>
      <dt>calls/s</dt>
      <dd>${s.callsPerSecond.toFixed(1)}</dd>
      <dt>p50 / p99</dt>
      <dd>${ms(s.p50)} / ${ms(s.p99)}</dd>
      <dt>in flight / queued</dt>
      <dd>${s.pending} / ${s.queued}</dd>
      <dt>tools</dt>
      <dd>${s.tools}</dd>
    </dl>
    ${
      s.p50 === undefined
        ? html`<p class="chart-empty" data-role="chart-empty">
            No calls yet: the chart of the last minute starts with the first call.
          </p>`
        : html`<${ServerChart} server=${s} />`
    }
    ${
      s.lastError === undefined
        ? null
        : s.state === 'ready'
          ? html`<p class="error recovered" data-role="error">
              <span class="label">last error, before recovery:</span> ${s.lastError}
            </p>`
          : html`<p class="error" data-role="error">${s.lastError}</p>`
    }
    <div class="actions">
      <a class="button" href=${serverHash(s.name)} aria-label=${`Details of ${s.name}`}>Details</a>
      <button type="button" onClick=${() => onAction(s.name, 'restart')}>Restart</button>
      <button type="button" onClick=${() => onAction(s.name, 'remove')}>Remove</button>
    </div>
  </article>`;
}

/** @typedef {import('../src/fleet.js').ServerCard} ServerCard */
/** @typedef {import('../src/history.js').HistoryEntry} HistoryEntry */
/** @typedef {import('../src/dashboard-requests.js').PendingRequest} PendingRequest */
/** @typedef {import('../src/dashboard-calls.js').CallUpdate} CallUpdate */

class App extends Component {
  /**
   * @type {{
   *   servers: ServerCard[], loaded: boolean, message: string, config: string,
   *   calls: Record<string, Partial<CallUpdate>>, history: HistoryEntry[], historyMore: boolean,
   *   historyQuery: string, addError: string, prefill: HistoryEntry | undefined, requests: PendingRequest[],
   *   toolChanges: number, route: ReturnType<typeof route>,
   * }}
   */
  state = {
    servers: [],
    /** The fleet stream has answered once: a server not in it is not there. */
    loaded: false,
    message: '',
    config: '',
    calls: {},
    history: [],
    historyMore: false,
    historyQuery: '',
    addError: '',
    prefill: undefined,
    requests: [],
    /** Counts the stream's tool-change and tool-accepted events: the tool views ask again on each. */
    toolChanges: 0,
    route: route(),
  };

  /** Chat and task events go to the Chat and Tasks views through this. */
  bus = new EventTarget();

  onHash = () => this.setState({ route: route() });

  componentDidMount() {
    addEventListener('hashchange', this.onHash);
    this.events = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
    for (const name of ['chat', 'task:status', 'task:end'])
      this.events.addEventListener(name, (e) =>
        this.bus.dispatchEvent(new CustomEvent(name, { detail: JSON.parse(e.data) })),
      );
    this.events.addEventListener('fleet', (e) => this.setState({ servers: JSON.parse(e.data), loaded: true }));
    this.events.addEventListener('call', (e) => {
      const update = JSON.parse(e.data);
      this.setState(({ calls }) => ({ calls: { ...calls, [update.id]: { ...calls[update.id], ...update } } }));
      if (update.result !== undefined || update.error !== undefined) this.loadHistory();
    });
    this.events.addEventListener('request', (e) => {
      const request = JSON.parse(e.data);
      this.setState(({ requests }) => ({ requests: [...requests.filter((r) => r.id !== request.id), request] }));
    });
    this.events.addEventListener('request-settled', (e) => {
      const { id } = JSON.parse(e.data);
      this.setState(({ requests }) => ({ requests: requests.filter((r) => r.id !== id) }));
    });
    const toolsMoved = () => this.setState(({ toolChanges }) => ({ toolChanges: toolChanges + 1 }));
    this.events.addEventListener('tool-change', toolsMoved);
    this.events.addEventListener('tool-accepted', toolsMoved);
    api('/api/requests').then((requests) => this.setState({ requests }));
    this.loadHistory();
    this.events.onerror = () => this.setState({ message: 'Connection to the dashboard lost; reconnecting…' });
    this.events.onopen = () => this.setState({ message: '' });
  }

  componentWillUnmount() {
    this.events?.close();
    removeEventListener('hashchange', this.onHash);
  }

  /**
   * The history's newest page, as long as what is shown (a call that ends does not take away the
   * older pages someone opened). The latest answer wins: a slower earlier one is dropped.
   */
  loadHistory(query = this.state.historyQuery) {
    const limit = Math.min(500, Math.max(PAGE, this.state.history.length));
    const asked = (this.historyAsked = (this.historyAsked ?? 0) + 1);
    api(`/api/history?q=${encodeURIComponent(query)}&limit=${limit}`)
      .then((history) => {
        if (asked === this.historyAsked) this.setState({ history, historyMore: history.length === limit });
      })
      .catch((err) => this.setState({ message: err.message }));
  }

  /** The next page of older calls, after the last one shown (its time, and how many of that millisecond are shown). */
  loadOlder() {
    const { history, historyQuery } = this.state;
    const last = history.at(-1);
    if (last === undefined) return;
    const cursor = `${last.at}.${history.filter((e) => e.at === last.at).length}`;
    const asked = (this.historyAsked = (this.historyAsked ?? 0) + 1);
    api(`/api/history?q=${encodeURIComponent(historyQuery)}&limit=${PAGE}&before=${cursor}`)
      .then((older) => {
        if (asked === this.historyAsked)
          this.setState({ history: [...history, ...older], historyMore: older.length === PAGE });
      })
      .catch((err) => this.setState({ message: err.message }));
  }

  exportHistory() {
    const blob = new Blob([this.state.history.map((e) => JSON.stringify(e)).join('\n') + '\n'], {
      type: 'application/x-ndjson',
    });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = 'umcp-history.ndjson';
    a.click();
    URL.revokeObjectURL(a.href);
  }

  act(name, action) {
    api(`/api/servers/${encodeURIComponent(name)}/${action}`, { method: 'POST' })
      .then(() => {
        // A removed server's page would only say it is gone: back to the list.
        if (action === 'remove' && this.state.route.name === name) location.hash = '#';
      })
      .catch((err) => this.setState({ message: err.message }));
  }

  /**
   * A tool of a server's page in the tester: the list's view first (the tester replays a prefill
   * it is given once mounted, not one it mounts with), then the tool's form, scrolled to.
   */
  test(server, tool) {
    location.hash = '#';
    this.setState({ route: { view: 'servers' } }, () =>
      this.setState({ prefill: { server, tool, arguments: {} } }, () => {
        let tries = 0;
        const find = () => {
          const form = document.querySelector(`form[aria-label="call ${CSS.escape(tool)}"]`);
          if (form !== null) return form.scrollIntoView({ block: 'start' });
          if ((tries += 1) < 60) requestAnimationFrame(find);
        };
        requestAnimationFrame(find);
      }),
    );
  }

  add(event) {
    event.preventDefault();
    let config;
    try {
      config = JSON.parse(this.state.config);
    } catch {
      this.setState({ addError: 'The server config is not JSON' });
      return;
    }
    api('/api/servers', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(config),
    })
      .then(() => this.setState({ config: '', addError: '' }))
      .catch((err) => this.setState({ addError: err.message }));
  }

  render(_, { servers, message, route: { view }, requests }) {
    const ready = servers.filter((s) => s.state === 'ready').length;
    return html`<header>
        <h1>MCP servers</h1>
        <nav class="views" aria-label="views">
          <a href="#" data-role="servers-nav" aria-current=${view.startsWith('server') ? 'page' : null}>Servers</a>
          <a href="#tasks" data-role="tasks-nav" aria-current=${view === 'tasks' ? 'page' : null}>Tasks</a>
          <a href="#chat" data-role="chat-nav" aria-current=${view === 'chat' ? 'page' : null}>Chat</a>
        </nav>
        <span class="summary" data-role="summary">${ready} of ${servers.length} ready</span>
        ${message ? html`<span class="message" role="alert">${message}</span>` : null}
        <${ThemeToggle} />
      </header>
      <${Requests} requests=${requests} api=${api} />
      ${
        view === 'chat'
          ? html`<${ChatView}
              api=${api}
              token=${token}
              bus=${this.bus}
              servers=${servers.map((s) => s.name).join('\n')}
            />`
          : view === 'tasks'
            ? html`<${TasksView} api=${api} bus=${this.bus} requests=${requests} />`
            : view === 'server'
              ? this.server()
              : this.servers()
      }`;
  }

  /** A server's page, live from the fleet stream. */
  server() {
    const { servers, loaded, route, toolChanges } = this.state;
    return html`<${ServerDetail}
      api=${api}
      name=${route.name}
      tab=${route.tab}
      server=${servers.find((s) => s.name === route.name)}
      loaded=${loaded}
      revision=${toolChanges}
      onTab=${(tab) => {
        // The URL names the tab (a link to it opens it) without a history entry per tab.
        history.replaceState(null, '', serverHash(route.name, tab));
        this.setState({ route: { ...route, tab } });
      }}
      onAction=${(name, action) => this.act(name, action)}
      onTest=${(server, tool) => this.test(server, tool)}
    />`;
  }

  /** The servers view: the fleet, a server's detail, tool testing, the catalog, the history, adding a server. */
  servers() {
    const { servers, config, calls, history, historyMore, historyQuery, prefill, addError, toolChanges } = this.state;
    // The tester's list follows the tools offered: a change of policy state, or of a server's count.
    const tools = `${toolChanges}\n${servers.map((s) => `${s.name}:${s.state}:${s.tools}`).join('\n')}`;
    return html`<section class="fleet" aria-label="servers">
        ${servers.map(
          (s) => html`<${Card} key=${s.name} server=${s} onAction=${(name, action) => this.act(name, action)} />`,
        )}
      </section>
      <${ChangesPanel} api=${api} revision=${toolChanges} />
      <${ToolPanel} api=${api} calls=${calls} prefill=${prefill} revision=${tools} />
      <${CatalogPanel}
        api=${api}
        ready=${servers
          .filter((s) => s.state === 'ready')
          .map((s) => s.name)
          .sort()
          .join('\n')}
      />
      <section class="history" aria-label="call history">
        <h2>History</h2>
        <label for="history-search">Filter history</label>
        <input
          id="history-search"
          type="search"
          value=${historyQuery}
          onInput=${(e) => {
            this.setState({ historyQuery: e.target.value, history: [] }, () => this.loadHistory());
          }}
        />
        <button type="button" onClick=${() => this.exportHistory()}>Export</button>
        <table>
          <thead>
            <tr>
              <th>when</th>
              <th>server / tool</th>
              <th>outcome</th>
              <th>ms</th>
              <th>source</th>
              <th></th>
            </tr>
          </thead>
          <tbody data-role="history">
            ${history.map(
              (e) =>
                html`<tr data-outcome=${e.outcome}>
                  <td>${new Date(e.at).toLocaleTimeString()}</td>
                  <td>${e.server} / ${e.tool}</td>
                  <td>${e.outcome}</td>
                  <td>${Math.round(e.durationMs)}</td>
                  <td>${e.source}</td>
                  <td>
                    ${
                      e.arguments !== undefined
                        ? html`<button type="button" onClick=${() => this.setState({ prefill: { ...e } })}>
                            Replay
                          </button>`
                        : null
                    }
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>
        ${
          historyMore
            ? html`<div class="actions">
                <button type="button" data-role="history-older" onClick=${() => this.loadOlder()}>Older calls</button>
              </div>`
            : html`<p class="status" data-role="history-end">
                ${history.length === 0 ? 'No calls yet.' : `All ${history.length} calls shown.`}
              </p>`
        }
      </section>
      <form class="add" onSubmit=${(e) => this.add(e)}>
        <label for="config"><h2>Add a server</h2></label>
        <textarea
          id="config"
          placeholder='{"name": "notes", "transport": "stdio", "command": "node", "args": ["notes.js"]}'
          value=${config}
          aria-describedby=${addError ? 'add-error' : null}
          onInput=${(e) => this.setState({ config: e.target.value })}
        ></textarea>
        ${addError ? html`<p class="message" id="add-error" role="alert" data-role="add-error">${addError}</p>` : null}
        <div class="actions"><button type="submit">Add</button></div>
      </form>`;
  }
}

const root = /** @type {HTMLElement} */ (document.getElementById('app'));
root.textContent = '';
render(html`<${App} />`, root);
