// An MCP App under a tool call: its HTML in a sandboxed iframe (scripts only: an opaque origin with
// no access to this page, its token or its API), served once by the dashboard with the App's own
// CSP, and bridged with ext-apps' AppBridge. The App talks only to this page; what it asks of its
// server (tool calls, resource reads) goes through the dashboard's /api/apps routes for the App's own
// server, with the user's consent when the tool policy asks for it.
import { h, Component } from '/vendor/preact.mjs';
import htm from '/vendor/htm.mjs';
import { AppBridge, PostMessageTransport } from '/vendor/app-bridge.mjs';

const html = htm.bind(h);
const MIN_HEIGHT = 80;
const MAX_HEIGHT = 2000;
/** @type {('inline' | 'fullscreen')[]} */
const MODES = ['inline', 'fullscreen'];
const clamp = (n) => Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, Math.round(Number(n) || 0)));
/** Permissions the browser grants per dashboard origin, not per App: each is asked of the user first. */
const ASKED = ['camera', 'microphone', 'geolocation'];
const FEATURES = {
  camera: 'camera',
  microphone: 'microphone',
  geolocation: 'geolocation',
  clipboardWrite: 'clipboard-write',
};
/** The user's answers, by `server\0permission`, for the page's life. */
const consented = new Map();

/** The permissions an App asked for that the user has not answered yet for its server. */
function unanswered(server, permissions) {
  return ASKED.filter((p) => permissions?.[p] === true && !consented.has(`${server}\u0000${p}`));
}

/** The iframe's `allow`: clipboard-write as declared, the others only when the user allowed them. */
function allowOf(server, permissions) {
  return Object.keys(FEATURES)
    .filter(
      (p) => permissions?.[p] === true && (p === 'clipboardWrite' || consented.get(`${server}\u0000${p}`) === true),
    )
    .map((p) => FEATURES[p])
    .join('; ');
}

/** The page's light or dark, as the App is told it. */
function themeOf() {
  const set = document.documentElement.dataset.theme;
  if (set === 'light' || set === 'dark') return set;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** Each outcome's result, made once: a new object on every render would send the App its result again. */
const resultsOfOutcomes = new WeakMap();

/** A chat call's outcome (parts a model reads) as the CallToolResult an App expects (the same object each time). */
export function resultOfOutcome(outcome) {
  let result = resultsOfOutcomes.get(outcome);
  if (result === undefined) {
    result = {
      content: outcome.parts.map((p) =>
        p.type === 'image' ? { type: 'image', data: p.data, mimeType: p.mimeType } : { type: 'text', text: p.text },
      ),
      isError: outcome.isError,
    };
    resultsOfOutcomes.set(outcome, result);
  }
  return result;
}

/**
 * A tool's App. Props: `server`, `tool`, `input` (the call's arguments), `result` (its
 * CallToolResult, once it came), `token` (default: the page's).
 */
export class AppView extends Component {
  /**
   * @type {{
   *   frame: { permissions?: unknown, hostVersion?: string } & Record<string, any> | undefined,
   *   error: string, height: number,
   *   mode: 'inline' | 'fullscreen', consent: { resolve(ok: boolean): void } & Record<string, any> | undefined,
   *   link: { url: string, resolve(ok: boolean): void } | undefined, closed: boolean, navigated: boolean,
   * }}
   */
  state = {
    frame: undefined,
    error: '',
    height: 320,
    mode: 'inline',
    consent: undefined,
    link: undefined,
    closed: false,
    navigated: false,
  };

  /** Aborts the App's requests in flight (its tool calls) when the frame goes. */
  requests = new AbortController();

  componentDidMount() {
    this.open();
    // The page's theme toggle reaches open Apps.
    this.themes = new MutationObserver(() =>
      this.bridge?.sendHostContextChange({ theme: themeOf() })?.catch?.(() => undefined),
    );
    this.themes.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  }

  componentDidUpdate(previous) {
    if (this.state.frame !== undefined && this.ready() && !this.bridge && !this.state.navigated) this.connect();
    if (this.initialized && previous.result !== this.props.result && this.props.result)
      this.bridge?.sendToolResult(this.props.result).catch(() => undefined);
  }

  componentWillUnmount() {
    this.gone = true;
    this.themes?.disconnect();
    this.teardown();
  }

  /** Whether every browser permission the App asked for has been answered for its server. */
  ready() {
    return unanswered(this.props.server, this.state.frame?.permissions).length === 0;
  }

  /** The user's answer to the App's permissions, remembered per server and permission. */
  answerPermissions(allowed) {
    for (const p of unanswered(this.props.server, this.state.frame?.permissions))
      consented.set(`${this.props.server}\u0000${p}`, allowed);
    this.forceUpdate();
  }

  /** The frame's `load`: the first is the App; a second means it navigated away, and the bridge is ended. */
  loaded() {
    this.loads = (this.loads ?? 0) + 1;
    if (this.loads > 1 && !this.state.navigated) this.setState({ navigated: true }, () => this.teardown());
  }

  /** A POST to the dashboard with the token: `{ status, body }`. */
  async post(path, body) {
    const token = this.props.token ?? new URLSearchParams(location.search).get('token') ?? '';
    const res = await fetch(path, {
      method: 'POST',
      signal: this.requests.signal,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: await res.json().catch(() => ({})) };
  }

  async open() {
    const { server, tool } = this.props;
    try {
      const { status, body } = await this.post('/api/apps/frames', { server, tool });
      if (this.gone) return;
      if (status !== 200) return this.setState({ error: body.error ?? `The App could not be loaded (${status})` });
      this.setState({ frame: body });
    } catch (err) {
      if (!this.gone) this.setState({ error: `The App could not be loaded: ${/** @type {Error} */ (err).message}` });
    }
  }

  /** The bridge to the frame, before its scripts run (the frame's window is there once it is in the page). */
  connect() {
    const { server } = this.props;
    const target = this.iframe?.contentWindow;
    if (!target) return;
    const bridge = new AppBridge(
      null,
      { name: 'Universal MCP dashboard', version: this.state.frame?.hostVersion ?? '' },
      { openLinks: {}, serverTools: {}, serverResources: {}, logging: {}, message: { text: {} } },
      { hostContext: this.hostContext() },
    );
    bridge.oninitialized = () => {
      this.initialized = true;
      bridge.sendToolInput({ arguments: this.props.input ?? {} }).catch(() => undefined);
      if (this.props.result) bridge.sendToolResult(this.props.result).catch(() => undefined);
    };
    bridge.oncalltool = (params) => this.callTool(params.name, params.arguments ?? {});
    bridge.onreadresource = async (params) => {
      const { status, body } = await this.post('/api/apps/resources', { server, uri: params.uri });
      if (status !== 200) throw new Error(body.error ?? `resources/read failed (${status})`);
      return body;
    };
    bridge.onopenlink = async ({ url }) => {
      let parsed;
      try {
        parsed = new URL(url);
      } catch {
        return { isError: true };
      }
      if (!['http:', 'https:'].includes(parsed.protocol)) return { isError: true };
      // One question at a time: an App asking again while one waits is refused, not queued.
      if (this.state.link || this.state.consent) return { isError: true };
      const open = await new Promise((resolve) => this.setState({ link: { url: parsed.href, resolve } }));
      this.setState({ link: undefined });
      if (!open) return { isError: true };
      window.open(parsed.href, '_blank', 'noopener,noreferrer');
      return {};
    };
    bridge.onmessage = async ({ content }) => {
      // Into the chat's composer, never sent unasked; outside the chat there is nowhere to put it.
      /** @type {HTMLTextAreaElement | null} */
      const composer = document.querySelector('[data-role="composer"]');
      const text = (content ?? [])
        .filter((c) => c.type === 'text')
        .map((c) => c.text)
        .join('\n');
      if (!composer || text === '') return { isError: true };
      composer.value = text;
      composer.dispatchEvent(new Event('input', { bubbles: true }));
      composer.focus();
      return {};
    };
    bridge.onsizechange = ({ height }) => {
      if (height !== undefined) this.setState({ height: clamp(height) });
    };
    bridge.onrequestdisplaymode = async ({ mode }) => {
      const next = mode === 'inline' || mode === 'fullscreen' ? mode : this.state.mode;
      this.setMode(next);
      return { mode: next };
    };
    bridge.onrequestteardown = () => this.setState({ closed: true }, () => this.teardown());
    bridge.onloggingmessage = () => undefined;
    this.bridge = bridge;
    bridge.connect(new PostMessageTransport(target, target)).catch((err) => {
      if (!this.gone) this.setState({ error: `The App could not be bridged: ${err.message}` });
    });
  }

  /** @returns {import('@modelcontextprotocol/ext-apps/app-bridge').McpUiHostContext} */
  hostContext() {
    const width = this.iframe?.clientWidth;
    return {
      theme: themeOf(),
      displayMode: this.state.mode,
      availableDisplayModes: MODES,
      containerDimensions: { maxHeight: MAX_HEIGHT, ...(width ? { width } : {}) },
      platform: 'web',
      locale: navigator.language,
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    };
  }

  setMode(mode) {
    if (mode === this.state.mode) return;
    this.setState({ mode }, () => this.bridge?.sendHostContextChange({ displayMode: mode })?.catch?.(() => undefined));
    if (mode === 'fullscreen') {
      this.onKey = (e) => e.key === 'Escape' && this.setMode('inline');
      document.addEventListener('keydown', this.onKey);
    } else if (this.onKey) {
      document.removeEventListener('keydown', this.onKey);
      this.onKey = undefined;
    }
  }

  /** A call from the App to its own server: asked of the user first when the policy says so. */
  async callTool(name, args) {
    const { server } = this.props;
    const first = await this.post('/api/apps/calls', { server, tool: name, arguments: args });
    let answer = first;
    if (first.status === 409 && first.body.needsApproval) {
      // One question at a time: a second call while the user is asked is refused (the App hears why).
      if (this.state.consent || this.state.link)
        throw new Error(`${server}/${name} was not run: another request of this App is waiting for the user`);
      const approved = await new Promise((resolve) => this.setState({ consent: { ...first.body, resolve } }));
      this.setState({ consent: undefined });
      if (!approved) throw new Error(`The user denied ${server}/${name}`);
      answer = await this.post('/api/apps/calls', { server, tool: name, arguments: args, approved: true });
    }
    if (answer.status !== 200) throw new Error(answer.body.error ?? `tools/call failed (${answer.status})`);
    return answer.body;
  }

  teardown() {
    if (this.onKey) document.removeEventListener('keydown', this.onKey);
    this.onKey = undefined;
    this.state.consent?.resolve(false);
    this.state.link?.resolve(false);
    this.requests.abort();
    const bridge = this.bridge;
    this.bridge = undefined;
    if (!bridge) return;
    // The App is told it is going; the transport closes whatever it answers (it may be gone already).
    const done = () => bridge.close().catch(() => undefined);
    bridge.teardownResource({}, { timeout: 1000 }).then(done, done);
  }

  render({ server, tool }, { frame, error, height, mode, consent, link, closed, navigated }) {
    if (closed) return null;
    if (error) return html`<p class="message app-error" data-role="app-error">${error}</p>`;
    if (!frame) return html`<p class="status" data-role="app-loading">Loading the App…</p>`;
    if (navigated) return html`<p class="message app-error" data-role="app-navigated">The App navigated away</p>`;
    const asked = unanswered(server, frame.permissions);
    if (asked.length > 0)
      return html`<div
        class="approval app-permissions"
        role="alertdialog"
        aria-label="the App's permissions"
        data-role="app-permissions"
      >
        <p>This App asks for: ${asked.join(', ')}</p>
        <div class="actions">
          <button type="button" data-role="app-permissions-allow" onClick=${() => this.answerPermissions(true)}>
            Allow
          </button>
          <button type="button" data-role="app-permissions-deny" onClick=${() => this.answerPermissions(false)}>
            Without them
          </button>
        </div>
      </div>`;
    const label = `${server}/${tool} app`;
    const classes = [
      'app-view',
      mode === 'fullscreen' ? 'fullscreen' : '',
      frame.prefersBorder === false ? 'borderless' : '',
    ];
    return html`<div class=${classes.join(' ').trim()} data-role="app-view" data-mode=${mode}>
      ${
        mode === 'fullscreen'
          ? html`<button type="button" class="app-close" data-role="app-close" onClick=${() => this.setMode('inline')}>
              Close (Esc)
            </button>`
          : null
      }
      <iframe
        ref=${(el) => (this.iframe = el)}
        sandbox="allow-scripts"
        allow=${allowOf(server, frame.permissions) || undefined}
        src=${frame.frame}
        onLoad=${() => this.loaded()}
        title=${label}
        data-role="app-frame"
        style=${mode === 'fullscreen' ? '' : `height: ${height}px`}
      ></iframe>
      ${
        consent
          ? html`<div
              class="approval app-consent"
              role="alertdialog"
              aria-label="approve the App's tool call"
              data-role="app-consent"
            >
              <p>
                The App wants to run <strong>${consent.server} / ${consent.tool}</strong>
                ${consent.trusted ? '' : html` <span class="badge danger">not trusted</span>`} with these arguments:
              </p>
              <pre class="result-text">${JSON.stringify(consent.arguments, null, 2)}</pre>
              <div class="actions">
                <button type="button" data-role="app-allow" onClick=${() => consent.resolve(true)}>Allow</button>
                <button type="button" data-role="app-deny" onClick=${() => consent.resolve(false)}>Deny</button>
              </div>
            </div>`
          : null
      }
      ${
        link
          ? html`<div
              class="approval app-consent"
              role="alertdialog"
              aria-label="open the App's link"
              data-role="app-link"
            >
              <p>The App of ${server} wants to open <strong>${link.url}</strong></p>
              <div class="actions">
                <button type="button" data-role="app-link-open" onClick=${() => link.resolve(true)}>Open</button>
                <button type="button" data-role="app-link-cancel" onClick=${() => link.resolve(false)}>Cancel</button>
              </div>
            </div>`
          : null
      }
    </div>`;
  }
}
