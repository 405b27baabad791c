// The "Changed tools" review: every tool whose definition differs from the one pinned, or that
// shadows another server's tool, with what the policy did about it (warn, hold, block) and the diff.
// Accept pins the tool as it is now: a held or blocked tool is offered again.
import { h, Component } from '/vendor/preact.mjs';
import htm from '/vendor/htm.mjs';

const html = htm.bind(h);

/** What each action means for the tool, in words. */
const ACTIONS = {
  warn: 'offered, flagged',
  hold: 'held: not offered until accepted',
  block: 'blocked: not offered until accepted',
};

/** What happened to the tool, and what the policy did about it, in one sentence. */
const summaryOf = (c) =>
  `${
    c.kind === 'shadows'
      ? `A new tool named like one of ${c.shadows ?? 'another server'}'s`
      : 'Its definition differs from the one pinned'
  }; ${ACTIONS[c.action] ?? c.action}.`;

/**
 * The review. `revision` changes on every `tool-change` and `tool-accepted` event of the page's
 * stream: the list is asked again.
 */
export class ChangesPanel extends Component {
  state = { changes: [], error: '' };

  componentDidMount() {
    this.load();
  }

  componentDidUpdate(previous) {
    if (previous.revision !== this.props.revision) this.load();
  }

  /** The latest answer wins: a slower earlier one is dropped. */
  load() {
    const asked = (this.asked = (this.asked ?? 0) + 1);
    this.props
      .api('/api/tool-changes')
      .then((changes) => asked === this.asked && this.setState({ changes, error: '' }))
      .catch((err) => asked === this.asked && this.setState({ error: err.message }));
  }

  accept(change) {
    this.props
      .api('/api/tool-changes/accept', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        // The sha256 of the definition shown: one changed again since is not accepted unseen.
        body: JSON.stringify({ server: change.server, tool: change.tool, sha256: change.sha256 }),
      })
      .then(() => this.load())
      .catch((err) => this.setState({ error: err.message }));
  }

  render(_, { changes, error }) {
    return html`<section class="history tool-changes" aria-label="changed tools" data-role="tool-changes">
      <h2>Changed tools</h2>
      ${error ? html`<p class="message" role="alert">${error}</p>` : null}
      ${
        changes.length === 0
          ? html`<p class="status" data-role="no-changes">No tool differs from its pinned definition.</p>`
          : changes.map(
              (c) =>
                html`<article
                  class="change"
                  key=${`${c.server}/${c.tool}`}
                  data-change=${`${c.server}/${c.tool}`}
                  data-action=${c.action}
                >
                  <h3>
                    ${c.server} / ${c.tool}
                    <span class="badge" data-role="change-kind">${c.kind}</span>
                    <span class=${`badge ${c.action === 'warn' ? '' : 'danger'}`} data-role="change-action"
                      >${c.action}</span
                    >
                  </h3>
                  <p class="status" data-role="change-summary">${summaryOf(c)}</p>
                  <pre class="result-text diff" data-role="diff">${c.diff}</pre>
                  <div class="actions">
                    <button type="button" data-role="accept" onClick=${() => this.accept(c)}>Accept</button>
                  </div>
                </article>`,
            )
      }
    </section>`;
  }
}
