// A server's sampling or elicitation request, raised by a call made here: shown with its params,
// answered as is, edited, or rejected.
import { h, Component } from '/vendor/preact.mjs';
import htm from '/vendor/htm.mjs';

const html = htm.bind(h);

/** A starting answer the operator edits. */
function template(request) {
  if (request.kind === 'sampling')
    return { role: 'assistant', content: { type: 'text', text: '' }, model: 'operator', stopReason: 'endTurn' };
  const properties = request.params?.requestedSchema?.properties ?? {};
  const content = Object.fromEntries(
    Object.entries(properties).map(([name, s]) => [name, s.default ?? (s.type === 'boolean' ? false : '')]),
  );
  return { action: 'accept', content };
}

class RequestCard extends Component {
  state = { text: JSON.stringify(template(this.props.request), null, 2), error: '' };

  send(body) {
    this.props
      .api(`/api/requests/${this.props.request.id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      .catch((err) => this.setState({ error: err.message }));
  }

  approve() {
    try {
      this.send({ result: JSON.parse(this.state.text) });
    } catch {
      this.setState({ error: 'The answer is not JSON' });
    }
  }

  render({ request }, { text, error }) {
    return html`<section class="tool-form" role="dialog" aria-label=${`${request.kind} request from ${request.server}`}>
      <h3>${request.server} asks for ${request.kind === 'sampling' ? 'a model answer' : 'input'}</h3>
      <pre class="result-text" data-role="params">${JSON.stringify(request.params, null, 2)}</pre>
      <label for=${`answer-${request.id}`}>Answer</label>
      <textarea
        id=${`answer-${request.id}`}
        value=${text}
        onInput=${(e) => this.setState({ text: e.target.value })}
      ></textarea>
      ${error ? html`<small class="message" role="alert">${error}</small>` : null}
      <div class="actions">
        <button type="button" onClick=${() => this.approve()}>Approve</button>
        <button type="button" onClick=${() => this.send({ reject: true })}>Reject</button>
      </div>
    </section>`;
  }
}

export function Requests({ requests, api }) {
  if (requests.length === 0) return null;
  return html`<section class="tools" aria-label="requests from servers">
    <h2>Requests from servers</h2>
    ${requests.map((r) => html`<${RequestCard} key=${r.id} request=${r} api=${api} />`)}
  </section>`;
}
