// Resources and prompts of every ready server: browse, read a resource, get a prompt with its arguments.
import { h, Component } from '/vendor/preact.mjs';
import htm from '/vendor/htm.mjs';

const html = htm.bind(h);

/** What a resource read or a prompt answered (or why it failed). */
export function Contents({ shown }) {
  if (shown === undefined) return null;
  if (shown.error) return html`<p class="message" role="alert">${shown.error}</p>`;
  if (shown.contents)
    return html`<div data-role="read">
      ${shown.contents.map(
        (c) =>
          html`<div>
            <code>${c.uri}</code> <small>${c.mimeType ?? ''}</small>
            <pre class="result-text">${c.text ?? `(${c.blob?.length ?? 0} bytes of base64)`}</pre>
          </div>`,
      )}
    </div>`;
  return html`<div data-role="prompt">
    ${(shown.messages ?? []).map(
      (m) =>
        html`<div>
          <strong>${m.role}</strong>
          <pre class="result-text">
${m.content.type === 'text' ? m.content.text : JSON.stringify(m.content, null, 2)}</pre>
        </div>`,
    )}
  </div>`;
}

/**
 * A prompt's form: its arguments (required ones marked `*`), and a button that gets it. `values`
 * are the arguments typed so far; `onGet` takes the body of `POST /api/prompt`.
 */
export function PromptForm({ server, prompt, values, onInput, onGet }) {
  const id = (a) => `prompt-${server}-${prompt.name}-${a.name}`;
  return html`<form
    class="tool-form"
    aria-label=${`prompt ${prompt.name}`}
    onSubmit=${(e) => {
      e.preventDefault();
      onGet({ server, name: prompt.name, arguments: values });
    }}
  >
    <h3>${prompt.name}</h3>
    <small>${prompt.description ?? ''}</small>
    ${(prompt.arguments ?? []).map(
      (a) =>
        html`<div class="field">
          <label for=${id(a)}>${a.name}${a.required ? ' *' : ''}</label>
          <input
            id=${id(a)}
            value=${values[a.name] ?? ''}
            onInput=${(e) => onInput({ ...values, [a.name]: e.target.value })}
          />
        </div>`,
    )}
    <div class="actions"><button type="submit">Get prompt</button></div>
  </form>`;
}

/**
 * The catalog of the ready servers. `ready` names them (from the fleet events the page gets): when
 * a server becomes ready, or stops being so, the catalog is asked again.
 */
export class CatalogPanel extends Component {
  state = { catalog: [], args: {}, shown: undefined, error: '' };

  componentDidMount() {
    this.load();
  }

  componentDidUpdate(previous) {
    if (previous.ready !== this.props.ready) this.load();
  }

  /** The latest answer wins: a slower earlier one is dropped. */
  load() {
    const asked = (this.asked = (this.asked ?? 0) + 1);
    this.props
      .api('/api/catalog')
      .then((catalog) => asked === this.asked && this.setState({ catalog, error: '' }))
      .catch((err) => asked === this.asked && this.setState({ error: err.message }));
  }

  show(path, body) {
    this.props
      .api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      .then((shown) => this.setState({ shown }))
      .catch((err) => this.setState({ shown: { error: err.message } }));
  }

  render(_, { catalog, args, shown, error }) {
    return html`<section class="history" aria-label="resources and prompts">
      <h2>
        Resources and prompts <button type="button" class="link refresh" onClick=${() => this.load()}>Refresh</button>
      </h2>
      ${error ? html`<p class="message" role="alert">${error}</p>` : null}
      ${catalog.length === 0 ? html`<p class="status">No server is ready yet.</p>` : null}
      ${catalog.map(
        (s) =>
          html`<details key=${s.server} data-catalog=${s.server}>
            <summary>
              ${s.server}: ${s.resources.length} resources, ${s.templates.length} templates, ${s.prompts.length} prompts
            </summary>
            <ul class="tool-list">
              ${s.resources.slice(0, 100).map(
                (r) =>
                  html`<li>
                    <button
                      type="button"
                      data-resource=${`${s.server} ${r.uri}`}
                      onClick=${() => this.show('/api/read', { server: s.server, uri: r.uri })}
                    >
                      Read
                    </button>
                    <code>${r.uri}</code> <small>${r.name}</small>
                  </li>`,
              )}
            </ul>
            ${s.prompts.map(
              (p) =>
                html`<${PromptForm}
                  server=${s.server}
                  prompt=${p}
                  values=${args[`${s.server}/${p.name}`] ?? {}}
                  onInput=${(values) => this.setState({ args: { ...args, [`${s.server}/${p.name}`]: values } })}
                  onGet=${(body) => this.show('/api/prompt', body)}
                />`,
            )}
          </details>`,
      )}
      <${Contents} shown=${shown} />
    </section>`;
  }
}
