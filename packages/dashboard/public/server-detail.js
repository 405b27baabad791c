// A server's own page (`#/servers/<name>/<tab>`): its overview with charts, what it offers (tools,
// resources, prompts), its logs, its failures and its restarts, one tab each.
import { h, Component } from '/vendor/preact.mjs';
import htm from '/vendor/htm.mjs';
import { Contents, PromptForm } from '/catalog.js';
import { ServerChart } from '/server-chart.js';
import { clock, ms, since } from '/time-format.js';

const html = htm.bind(h);

/** The tabs, in order: the URL's last part names one. */
export const TABS = ['overview', 'tools', 'resources', 'prompts', 'logs', 'errors', 'restarts'];

/** A list's empty state, or the list. */
const orEmpty = (list, empty, shown) =>
  list.length === 0 ? html`<p class="status" data-role="empty">${empty}</p>` : shown();

function Overview({ server: s, detail }) {
  const rows = [
    ['state', s.givenUp ? 'given up' : s.state],
    ['transport', s.transport],
    ['protocol', s.protocolVersion ?? s.era ?? '–'],
    ['version', detail?.version ?? '–'],
    [s.pid === undefined ? 'session' : 'pid', s.pid ?? s.sessionId ?? '–'],
    ['connected', s.connectedAt === undefined ? '–' : new Date(s.connectedAt).toLocaleString()],
    ['uptime', s.state === 'ready' ? since(s.connectedAt) : '–'],
    ['restarts', s.restarts],
    ['in flight / queued', `${s.pending} / ${s.queued}`],
    ['calls/s (last 10 s)', s.callsPerSecond.toFixed(1)],
    ['latency p50 / p99', `${ms(s.p50)} / ${ms(s.p99)}`],
    ['capabilities', detail?.capabilities.join(', ') || 'none'],
  ];
  return html`<dl class="overview" data-role="overview">
      ${rows.map(
        ([k, v]) =>
          html`<dt>${k}</dt>
            <dd data-field=${k}>${v}</dd>`,
      )}
    </dl>
    ${
      s.lastError === undefined
        ? null
        : html`<p class="error ${s.state === 'ready' ? 'recovered' : ''}" data-role="error">
            <span class="label">${s.state === 'ready' ? 'last error, before recovery:' : 'error:'}</span> ${s.lastError}
          </p>`
    }
    <h3>The last minute</h3>
    ${
      s.p50 === undefined
        ? html`<p class="chart-empty" data-role="chart-empty">No calls yet: the charts start with the first call.</p>`
        : html`<div class="detail-charts">
            <figure>
              <figcaption>Calls per second</figcaption>
              <${ServerChart} server=${s} metrics=${['rate']} height=${180} label="calls per second, last minute" />
            </figure>
            <figure>
              <figcaption>Median latency (ms)</figcaption>
              <${ServerChart}
                server=${s}
                metrics=${['latency']}
                height=${180}
                label="median latency in ms, last minute"
              />
            </figure>
          </div>`
    }
    <h3>Timeline</h3>
    ${orEmpty(
      detail?.timeline ?? [],
      'Nothing happened yet.',
      () =>
        html`<ol class="timeline" data-role="timeline">
          ${detail.timeline.map((e) => html`<li><time>${clock(e.at)}</time> ${e.kind}: ${e.text}</li>`)}
        </ol>`,
    )}`;
}

function Tools({ catalog, onTest }) {
  return orEmpty(
    catalog.tools,
    'This server offers no tools.',
    () =>
      html`<ul class="catalog-list" data-role="tools">
        ${catalog.tools.map(
          (t) =>
            html`<li data-tool-name=${t.name}>
              <div class="item-head">
                <code>${t.name}</code>${t.title ? html` <span>${t.title}</span>` : null}
                ${t.app ? html`<span class="badge">App</span>` : null}
                ${t.appOnly ? html`<span class="badge">app only</span>` : null}
                ${t.needsApproval ? html`<span class="badge danger">needs approval</span>` : null}
                <span class="spacer"></span>
                ${
                  t.appOnly
                    ? null
                    : html`<button type="button" aria-label=${`Test ${t.name}`} onClick=${() => onTest(t.name)}>
                        Test
                      </button>`
                }
              </div>
              ${t.description ? html`<p>${t.description}</p>` : null}
              <small>arguments: ${t.arguments.join(', ') || 'none'}</small>
            </li>`,
        )}
      </ul>`,
  );
}

function Resources({ server, catalog, onShow }) {
  return html`${orEmpty(
    catalog.resources,
    'This server lists no resources.',
    () =>
      html`<ul class="catalog-list" data-role="resources">
        ${catalog.resources.map(
          (r) =>
            html`<li>
              <div class="item-head">
                <code>${r.uri}</code> <span>${r.name}</span> <small>${r.mimeType ?? ''}</small>
                <span class="spacer"></span>
                <button
                  type="button"
                  aria-label=${`Read ${r.uri}`}
                  onClick=${() => onShow('/api/read', { server, uri: r.uri })}
                >
                  Read
                </button>
              </div>
            </li>`,
        )}
      </ul>`,
  )}
  ${
    catalog.templates.length === 0
      ? null
      : html`<h3>Templates</h3>
          <ul class="catalog-list" data-role="templates">
            ${catalog.templates.map((t) => html`<li><code>${t.uriTemplate}</code> <span>${t.name}</span></li>`)}
          </ul>`
  }`;
}

function Logs({ detail }) {
  return html`<h3>Log messages</h3>
    ${orEmpty(
      detail.logs,
      'No log messages yet.',
      () => html`<pre class="log" data-role="logs" tabindex="0">${detail.logs.join('\n')}</pre>`,
    )}
    <h3>stderr</h3>
    ${orEmpty(
      detail.stderr,
      'Nothing on stderr.',
      () => html`<pre class="log" data-role="stderr" tabindex="0">${detail.stderr.join('\n')}</pre>`,
    )}`;
}

/** A table of entries, newest first (`empty` says there are none): `columns` are [heading, cell] pairs. */
function Table({ role, entries, empty, columns }) {
  if (entries.length === 0) return html`<p class="status" data-role="empty">${empty}</p>`;
  return html`<table class="detail-table" data-role=${role}>
    <thead>
      <tr>
        ${columns.map(([heading]) => html`<th scope="col">${heading}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${[...entries].reverse().map(
        (e) =>
          html`<tr>
            ${columns.map(([, cell]) => html`<td>${cell(e)}</td>`)}
          </tr>`,
      )}
    </tbody>
  </table>`;
}

const at = (e) => html`<time>${clock(e.at)}</time>`;
const code = (e) => html`<code>${e.code}</code>`;

function Errors({ detail }) {
  return html`<${Table}
    role="errors"
    entries=${detail.errors}
    empty="No failures."
    columns=${[
      ['time', at],
      ['where', (e) => (e.source === 'call' ? `call ${e.tool}` : e.source)],
      ['code', code],
      ['message', (e) => e.message],
    ]}
  />`;
}

function Restarts({ server, detail }) {
  const count = `${server.restarts} restart${server.restarts === 1 ? '' : 's'}`;
  return html`<p data-role="restart-count">${count}${server.givenUp ? '; the supervisor gave up' : ''}.</p>
    <${Table}
      role="restarts"
      entries=${detail.restartHistory}
      empty="No restarts yet."
      columns=${[
        ['time', at],
        ['attempt', (r) => r.attempt],
        ['backoff', (r) => `${r.delayMs} ms`],
        ['code', code],
        ['reason', (r) => r.reason],
      ]}
    />`;
}

/**
 * A server's page. `server` is its card from the fleet stream (live: the overview and charts
 * follow it; `loaded` once that stream has answered); the detail (logs, failures, restarts) is
 * asked again on each card, the catalog when what the server offers may have changed. `onTest`
 * opens a tool in the tester.
 */
export class ServerDetail extends Component {
  /**
   * @type {{
   *   detail: import('../src/fleet.js').ServerDetail | undefined,
   *   catalog: import('../src/fleet.js').ServerCatalog | undefined,
   *   error: string, shown: any, args: Record<string, Record<string, string>>,
   * }}
   */
  state = { detail: undefined, catalog: undefined, error: '', shown: undefined, args: {} };

  componentDidMount() {
    this.load();
    this.loadCatalog();
  }

  componentDidUpdate(previous) {
    // A tab chosen by key keeps the focus once it is rendered selected.
    if (this.focusTab !== undefined && this.focusTab === this.props.tab) {
      document.getElementById(`tab-${this.focusTab}`)?.focus();
      this.focusTab = undefined;
    }
    const [was, now] = [previous.server, this.props.server];
    if (previous.name !== this.props.name) {
      this.setState({ detail: undefined, catalog: undefined, shown: undefined });
      this.loadCatalog();
    } else if (
      `${was?.state} ${was?.tools} ${was?.connectedAt} ${this.props.revision}` !==
      `${now?.state} ${now?.tools} ${now?.connectedAt} ${previous.revision}`
    )
      this.loadCatalog();
    if (was?.until !== now?.until || previous.name !== this.props.name) this.load();
  }

  /** The latest answer wins, for each of the two: a slower earlier one is dropped. */
  load() {
    const asked = (this.asked = (this.asked ?? 0) + 1);
    this.props
      .api(`/api/servers/${encodeURIComponent(this.props.name)}`)
      .then((detail) => asked === this.asked && this.setState({ detail, error: '' }))
      .catch((err) => asked === this.asked && this.setState({ error: err.message }));
  }

  loadCatalog() {
    const asked = (this.catalogAsked = (this.catalogAsked ?? 0) + 1);
    this.props
      .api(`/api/servers/${encodeURIComponent(this.props.name)}/catalog`)
      .then((catalog) => asked === this.catalogAsked && this.setState({ catalog }))
      .catch(() => undefined); // the detail's request reports a missing server
  }

  show(path, body) {
    this.props
      .api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      .then((shown) => this.setState({ shown }))
      .catch((err) => this.setState({ shown: { error: err.message } }));
  }

  /** Arrow keys, Home and End move between the tabs (the WAI-ARIA tabs pattern, automatic activation). */
  key(event, tab) {
    const i = TABS.indexOf(tab);
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: TABS.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const to = TABS[(next + TABS.length) % TABS.length];
    this.focusTab = to;
    this.props.onTab(to);
  }

  count(tab) {
    const { detail, catalog } = this.state;
    const n = {
      tools: catalog?.tools.length,
      resources: catalog === undefined ? undefined : catalog.resources.length + catalog.templates.length,
      prompts: catalog?.prompts.length,
      errors: detail?.errors.length,
      restarts: this.props.server?.restarts,
    }[tab];
    return n === undefined ? '' : ` (${n})`;
  }

  panel(tab) {
    const { server, name, onTest } = this.props;
    const { detail, catalog, shown, args } = this.state;
    if (tab === 'overview') return html`<${Overview} server=${server} detail=${detail} />`;
    if (['tools', 'resources', 'prompts'].includes(tab) && catalog === undefined)
      return html`<p class="status">Loading…</p>`;
    if (['logs', 'errors', 'restarts'].includes(tab) && detail === undefined)
      return html`<p class="status">Loading…</p>`;
    const more = catalog?.truncated ? html`<p class="status">Only the first 500 of each are listed.</p>` : null;
    if (tab === 'tools') return html`${more}<${Tools} catalog=${catalog} onTest=${(tool) => onTest(name, tool)} />`;
    if (tab === 'resources')
      return html`${more}<${Resources} server=${name} catalog=${catalog} onShow=${(p, b) => this.show(p, b)} />
        <${Contents} shown=${shown} />`;
    if (tab === 'prompts' && catalog !== undefined)
      return html`${more}${orEmpty(
          catalog.prompts,
          'This server offers no prompts.',
          () =>
            html`<div class="prompt-forms">
              ${catalog.prompts.map(
                (p) =>
                  html`<${PromptForm}
                    server=${name}
                    prompt=${p}
                    values=${args[p.name] ?? {}}
                    onInput=${(values) => this.setState({ args: { ...args, [p.name]: values } })}
                    onGet=${(body) => this.show('/api/prompt', body)}
                  />`,
              )}
            </div>`,
        )} <${Contents} shown=${shown} />`;
    if (tab === 'logs') return html`<${Logs} detail=${detail} />`;
    if (tab === 'errors') return html`<${Errors} detail=${detail} />`;
    return html`<${Restarts} server=${server} detail=${detail} />`;
  }

  render({ name, server, loaded, tab, onTab, onAction }, { error }) {
    // Before the first fleet event the page does not know yet (a link opened directly).
    if (server === undefined)
      return html`<section class="server-detail" aria-label=${`server ${name}`}>
        <p class="crumbs"><a href="#">← All servers</a></p>
        ${
          loaded
            ? html`<p class="status" data-role="missing">There is no server named “${name}”.</p>`
            : html`<p class="status">Loading…</p>`
        }
      </section>`;
    const state = server.givenUp ? 'given up' : server.state;
    // Every tab is a Tab stop (the arrows move too): a keyboard user reaches each view without
    // knowing the tablist's arrow keys.
    return html`<section class="server-detail" data-detail=${name} aria-labelledby="detail-name">
      <p class="crumbs"><a href="#">← All servers</a></p>
      <div class="detail-head card ${server.state}">
        <h2><span id="detail-name">${name}</span> <span class="state" data-role="state">${state}</span></h2>
        <span class="status">${server.transport} · ${server.protocolVersion ?? server.era ?? 'not connected yet'}</span>
        <span class="spacer"></span>
        <div class="actions">
          <button type="button" onClick=${() => onAction(name, 'restart')}>Restart</button>
          <button type="button" class="danger" onClick=${() => onAction(name, 'remove')}>Remove</button>
        </div>
      </div>
      ${error ? html`<p class="message" role="alert">${error}</p>` : null}
      <div class="tabs" role="tablist" aria-label=${`${name}: views`}>
        ${TABS.map(
          (t) =>
            html`<button
              type="button"
              role="tab"
              id=${`tab-${t}`}
              aria-selected=${t === tab ? 'true' : 'false'}
              aria-controls="detail-panel"
              onClick=${() => onTab(t)}
              onKeyDown=${(e) => this.key(e, t)}
            >
              ${t[0].toUpperCase()}${t.slice(1)}${this.count(t)}
            </button>`,
        )}
      </div>
      <div class="tab-panel" id="detail-panel" role="tabpanel" aria-labelledby=${`tab-${tab}`} data-tab=${tab}>
        ${this.panel(tab)}
      </div>
    </section>`;
  }
}
