// Resources and prompts of every ready server: browse, read a resource, get a prompt with its arguments.
import { h, Component } from '/vendor/preact.mjs';
import htm from '/vendor/htm.mjs';

const html = htm.bind(h);

function Contents({ shown }) {
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

export class CatalogPanel extends Component {
  state = { catalog: [], args: {}, shown: undefined };

  componentDidMount() {
    this.props.api('/api/catalog').then((catalog) => this.setState({ catalog }));
  }

  show(path, body) {
    this.props
      .api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      .then((shown) => this.setState({ shown }))
      .catch((err) => this.setState({ shown: { error: err.message } }));
  }

  render(_, { catalog, args, shown }) {
    return html`<section class="history" aria-label="resources and prompts">
      <h2>Resources and prompts</h2>
      ${catalog.map(
        (s) =>
          html`<details>
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
                html`<form
                  class="tool-form"
                  aria-label=${`prompt ${p.name}`}
                  onSubmit=${(e) => {
                    e.preventDefault();
                    this.show('/api/prompt', {
                      server: s.server,
                      name: p.name,
                      arguments: args[`${s.server}/${p.name}`] ?? {},
                    });
                  }}
                >
                  <h3>${p.name}</h3>
                  <small>${p.description ?? ''}</small>
                  ${(p.arguments ?? []).map(
                    (a) =>
                      html`<div class="field">
                        <label for=${`prompt-${s.server}-${p.name}-${a.name}`}
                          >${a.name}${a.required ? ' *' : ''}</label
                        >
                        <input
                          id=${`prompt-${s.server}-${p.name}-${a.name}`}
                          onInput=${(e) => {
                            const key = `${s.server}/${p.name}`;
                            this.setState({ args: { ...args, [key]: { ...args[key], [a.name]: e.target.value } } });
                          }}
                        />
                      </div>`,
                  )}
                  <div class="actions"><button type="submit">Get prompt</button></div>
                </form>`,
            )}
          </details>`,
      )}
      <${Contents} shown=${shown} />
    </section>`;
  }
}
