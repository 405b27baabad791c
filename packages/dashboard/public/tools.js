// Tool testing: search every server's tools, a form made from the tool's inputSchema (strings,
// numbers, integers, booleans, enums; arrays, objects and anything else as JSON), validation
// before sending, progress and cancel, and the result rendered by content type.
import { h, Component } from '/vendor/preact.mjs';
import htm from '/vendor/htm.mjs';

const html = htm.bind(h);

/** A schema with a local `$ref` (`#/$defs/x`, `#/definitions/x`) resolved against `root`. */
function resolve(schema, root) {
  const ref = schema?.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return schema ?? {};
  const target = ref
    .slice(2)
    .split('/')
    .reduce((node, key) => node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], root);
  return target ?? {};
}

/** `type: ['string', 'null']` or `anyOf: [{ type: 'string' }, { type: 'null' }]`: the one type, and nullable. */
function unwrapNullable(schema, root) {
  const s = resolve(schema, root);
  if (Array.isArray(s.type)) {
    const types = s.type.filter((t) => t !== 'null');
    if (types.length === 1) return { schema: { ...s, type: types[0] }, nullable: s.type.includes('null') };
  }
  const union = s.anyOf ?? s.oneOf;
  if (Array.isArray(union)) {
    const others = union.filter((u) => resolve(u, root).type !== 'null');
    if (others.length === 1 && others.length < union.length)
      return { schema: resolve(others[0], root), nullable: true };
  }
  return { schema: s, nullable: false };
}

/** The form's fields for a tool's inputSchema. */
export function fieldsOf(inputSchema) {
  const root = inputSchema ?? {};
  const required = new Set(root.required ?? []);
  return Object.entries(root.properties ?? {}).map(([name, raw]) => {
    const { schema, nullable } = unwrapNullable(raw, root);
    const kind = Array.isArray(schema.enum)
      ? 'enum'
      : ['string', 'number', 'integer', 'boolean'].includes(schema.type)
        ? schema.type
        : 'json';
    return {
      name,
      kind,
      nullable,
      required: required.has(name),
      description: schema.description ?? raw.description ?? '',
      options: schema.enum ?? [],
      initial: schema.default === undefined ? '' : kind === 'json' ? JSON.stringify(schema.default) : schema.default,
    };
  });
}

/** The arguments the form's values make, and what is wrong with them. */
export function collect(fields, values) {
  const args = {};
  const errors = {};
  for (const f of fields) {
    const v = values[f.name];
    const empty = v === undefined || v === '';
    if (f.kind === 'boolean') {
      if (v !== undefined) args[f.name] = Boolean(v);
      continue;
    }
    if (empty) {
      if (f.nullable && values[`${f.name}:null`]) args[f.name] = null;
      else if (f.required) errors[f.name] = 'required';
      continue;
    }
    if (f.kind === 'number' || f.kind === 'integer') {
      const n = Number(v);
      if (!Number.isFinite(n) || (f.kind === 'integer' && !Number.isInteger(n)))
        errors[f.name] = `not ${f.kind === 'integer' ? 'an integer' : 'a number'}`;
      else args[f.name] = n;
    } else if (f.kind === 'enum') {
      const match = f.options.find((o) => String(o) === String(v));
      args[f.name] = match ?? v;
    } else if (f.kind === 'json') {
      try {
        args[f.name] = JSON.parse(v);
      } catch {
        errors[f.name] = 'not JSON';
      }
    } else args[f.name] = v;
  }
  return { args, errors };
}

function Field({ field, value, error, onChange }) {
  const id = `field-${field.name}`;
  const label = html`<label for=${id}>${field.name}${field.required ? ' *' : ''}</label>`;
  const hint = field.description ? html`<small>${field.description}</small>` : null;
  const err = error ? html`<small class="message" role="alert">${field.name}: ${error}</small>` : null;
  if (field.kind === 'boolean')
    return html`<div class="field">
      <input id=${id} type="checkbox" checked=${Boolean(value)} onChange=${(e) => onChange(e.target.checked)} />
      ${label} ${hint}
    </div>`;
  if (field.kind === 'enum')
    return html`<div class="field">
      ${label}
      <select id=${id} value=${value ?? ''} onChange=${(e) => onChange(e.target.value)}>
        <option value="">—</option>
        ${field.options.map((o) => html`<option value=${String(o)}>${String(o)}</option>`)}
      </select>
      ${hint} ${err}
    </div>`;
  if (field.kind === 'json')
    return html`<div class="field">
      ${label}
      <textarea id=${id} value=${value ?? ''} onInput=${(e) => onChange(e.target.value)} placeholder="JSON"></textarea>
      ${hint} ${err}
    </div>`;
  return html`<div class="field">
    ${label}
    <input
      id=${id}
      type=${field.kind === 'string' ? 'text' : 'number'}
      step=${field.kind === 'integer' ? '1' : 'any'}
      value=${value ?? ''}
      onInput=${(e) => onChange(e.target.value)}
    />
    ${hint} ${err}
  </div>`;
}

/** One content item of a result. */
function Content({ item }) {
  if (item.type === 'text') return html`<pre class="result-text">${item.text}</pre>`;
  if (item.type === 'image') return html`<img alt="image result" src=${`data:${item.mimeType};base64,${item.data}`} />`;
  if (item.type === 'audio') return html`<audio controls src=${`data:${item.mimeType};base64,${item.data}`}></audio>`;
  if (item.type === 'resource')
    return html`<div>
      <code>${item.resource.uri}</code>
      <pre class="result-text">${item.resource.text ?? '(binary)'}</pre>
    </div>`;
  if (item.type === 'resource_link') return html`<div>link: <code>${item.uri}</code> ${item.name ?? ''}</div>`;
  return html`<pre>${JSON.stringify(item, null, 2)}</pre>`;
}

export function Result({ call }) {
  if (call === undefined) return null;
  const { progress, result, error, durationMs } = call;
  return html`<section class="result" aria-label="result" data-role="result">
    ${
      progress && result === undefined && error === undefined
        ? html`<progress max=${progress.total ?? 100} value=${progress.progress} aria-label="progress"></progress>
            <span>${progress.message ?? ''}</span>`
        : null
    }
    ${error ? html`<p class="message" data-role="error">${error}</p>` : null}
    ${
      result
        ? html`<div class=${result.isError ? 'is-error' : ''} data-outcome=${result.isError ? 'tool_error' : 'ok'}>
            ${result.isError ? html`<strong>The tool reported an error</strong>` : null}
            ${(result.content ?? []).map((item) => html`<${Content} item=${item} />`)}
            ${
              result.structuredContent
                ? html`<details open>
                    <summary>structuredContent</summary>
                    <pre>${JSON.stringify(result.structuredContent, null, 2)}</pre>
                  </details>`
                : null
            }
          </div>`
        : null
    }
    ${durationMs !== undefined ? html`<small>${Math.round(durationMs)} ms</small>` : null}
  </section>`;
}

/** The tool tester: search, pick, fill, run, cancel; `prefill` replays a history entry. */
export class ToolPanel extends Component {
  state = {
    tools: [],
    query: '',
    picked: undefined,
    values: {},
    errors: {},
    raw: false,
    rawText: '{}',
    callId: undefined,
  };

  componentDidMount() {
    this.search('');
  }

  /** Asks the console's tool-selection index (every tool when the query is empty). */
  search(query) {
    this.setState({ query });
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.props.api(`/api/tools?q=${encodeURIComponent(query)}`).then((tools) => {
        if (this.state.query === query) this.setState({ tools });
      });
    }, 120);
  }

  componentDidUpdate(previous) {
    const p = this.props.prefill;
    if (p !== undefined && p !== previous.prefill) {
      const tool = this.state.tools.find((t) => t.server === p.server && t.name === p.tool);
      if (tool !== undefined) this.pick(tool, p.arguments ?? {});
    }
  }

  pick(tool, args = {}) {
    const values = {};
    for (const f of fieldsOf(tool.inputSchema)) {
      const v = args[f.name];
      values[f.name] = v === undefined ? f.initial : f.kind === 'json' ? JSON.stringify(v) : v;
    }
    this.setState({ picked: tool, values, errors: {}, rawText: JSON.stringify(args, null, 2), callId: undefined });
  }

  run(event) {
    event.preventDefault();
    const tool = this.state.picked;
    let args;
    if (this.state.raw) {
      try {
        args = JSON.parse(this.state.rawText);
      } catch {
        this.setState({ errors: { raw: 'not JSON' } });
        return;
      }
    } else {
      const { args: a, errors } = collect(fieldsOf(tool.inputSchema), this.state.values);
      if (Object.keys(errors).length > 0) {
        this.setState({ errors });
        return;
      }
      args = a;
    }
    this.setState({ errors: {} });
    this.props
      .api('/api/calls', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ server: tool.server, tool: tool.name, arguments: args }),
      })
      .then(({ id }) => this.setState({ callId: id }));
  }

  render({ calls, api }, { tools, query, picked, values, errors, raw, rawText, callId }) {
    const q = query.toLowerCase();
    const shown = tools
      .filter((t) => `${t.server} ${t.name} ${t.description ?? ''}`.toLowerCase().includes(q))
      .slice(0, 50);
    const call = callId === undefined ? undefined : calls[callId];
    const running = call !== undefined && call.result === undefined && call.error === undefined;
    return html`<section class="tools" aria-label="tool testing">
      <h2>Test a tool</h2>
      <label for="tool-search">Search tools</label>
      <input id="tool-search" type="search" value=${query} onInput=${(e) => this.search(e.target.value)} />
      <ul class="tool-list">
        ${shown.map(
          (t) =>
            html`<li>
              <button type="button" data-tool=${`${t.server}/${t.name}`} onClick=${() => this.pick(t)}>
                ${t.server} / ${t.name}
              </button>
              <small>${t.description ?? ''}</small>
            </li>`,
        )}
      </ul>
      ${
        picked
          ? html`<form class="tool-form" onSubmit=${(e) => this.run(e)} aria-label=${`call ${picked.name}`}>
              <h3>${picked.server} / ${picked.name}</h3>
              <label
                ><input type="checkbox" checked=${raw} onChange=${(e) => this.setState({ raw: e.target.checked })} />
                raw JSON</label
              >
              ${
                raw
                  ? html`<textarea
                        aria-label="arguments as JSON"
                        value=${rawText}
                        onInput=${(e) => this.setState({ rawText: e.target.value })}
                      ></textarea>
                      ${errors.raw ? html`<small class="message" role="alert">arguments: ${errors.raw}</small>` : null}`
                  : fieldsOf(picked.inputSchema).map(
                      (f) =>
                        html`<${Field}
                          field=${f}
                          value=${values[f.name]}
                          error=${errors[f.name]}
                          onChange=${(v) => this.setState({ values: { ...values, [f.name]: v } })}
                        />`,
                    )
              }
              <div class="actions">
                <button type="submit" disabled=${running}>Run</button>
                ${
                  running
                    ? html`<button
                        type="button"
                        onClick=${() => api(`/api/calls/${callId}/cancel`, { method: 'POST' })}
                      >
                        Cancel
                      </button>`
                    : null
                }
              </div>
              <${Result} call=${call} />
            </form>`
          : null
      }
    </section>`;
  }
}
