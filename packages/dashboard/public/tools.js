// Tool testing: search the tools the servers offer (the policy's list: none denied, held or
// blocked), a form made from the tool's inputSchema (strings, numbers, integers, booleans, enums;
// arrays, objects and anything else as JSON), validation before sending, progress and cancel, and
// the result rendered by content type.
import { h, Component } from '/vendor/preact.mjs';
import htm from '/vendor/htm.mjs';
import { AppView } from '/app-view.js';
import { collect, fieldsOf, fitsForm, initialOf, valuesOf } from '/schema-form.js';

const html = htm.bind(h);

function Field({ field, value, path, errors, onChange }) {
  const id = `field-${path}`;
  const label = html`<label for=${id}>${field.name}${field.required ? ' *' : ''}</label>`;
  const hint = field.description ? html`<small>${field.description}</small>` : null;
  const err = errors[path] ? html`<small class="message" role="alert">${path}: ${errors[path]}</small>` : null;
  const nullBox = field.nullable
    ? html`<label class="null"
        ><input
          type="checkbox"
          aria-label=${`${path} is null`}
          checked=${value === null}
          onChange=${(e) => onChange(e.target.checked ? null : initialOf(field))}
        />
        null</label
      >`
    : null;
  if (field.kind === 'object')
    return html`<fieldset class="field" id=${id}>
      <legend>${field.name}${field.required ? ' *' : ''}</legend>
      ${hint} ${nullBox}
      ${
        value === null
          ? null
          : field.fields.map(
              (f) =>
                html`<${Field}
                  field=${f}
                  value=${value?.[f.name]}
                  path=${`${path}.${f.name}`}
                  errors=${errors}
                  onChange=${(v) => onChange({ ...value, [f.name]: v })}
                />`,
            )
      }
    </fieldset>`;
  if (field.kind === 'array') {
    const items = value ?? [];
    return html`<fieldset class="field" id=${id}>
      <legend>${field.name}${field.required ? ' *' : ''}</legend>
      ${hint} ${nullBox}
      ${
        value === null
          ? null
          : items.map(
              (v, i) =>
                html`<div class="item">
                  <${Field}
                    field=${{ ...field.item, name: `${field.name} ${i + 1}` }}
                    value=${v}
                    path=${`${path}[${i}]`}
                    errors=${errors}
                    onChange=${(nv) => onChange(items.map((x, j) => (j === i ? nv : x)))}
                  />
                  <button
                    type="button"
                    aria-label=${`remove ${field.name} ${i + 1}`}
                    onClick=${() => onChange(items.filter((_, j) => j !== i))}
                  >
                    Remove
                  </button>
                </div>`,
            )
      }
      ${
        value === null
          ? null
          : html`<button type="button" onClick=${() => onChange([...items, initialOf(field.item)])}>
              Add ${field.name}
            </button>`
      }
    </fieldset>`;
  }
  if (value === null) return html`<div class="field">${label} ${nullBox}</div>`;
  if (field.kind === 'boolean')
    return html`<div class="field">
      <span
        ><input id=${id} type="checkbox" checked=${Boolean(value)} onChange=${(e) => onChange(e.target.checked)} />
        ${label}</span
      >
      ${hint}
    </div>`;
  if (field.kind === 'enum')
    return html`<div class="field">
      ${label} ${nullBox}
      <select id=${id} value=${value ?? ''} onChange=${(e) => onChange(e.target.value)}>
        <option value="">—</option>
        ${field.options.map((o) => html`<option value=${String(o)}>${String(o)}</option>`)}
      </select>
      ${hint} ${err}
    </div>`;
  if (field.kind === 'json')
    return html`<div class="field">
      ${label} ${nullBox}
      <textarea id=${id} value=${value ?? ''} onInput=${(e) => onChange(e.target.value)} placeholder="JSON"></textarea>
      ${hint} ${err}
    </div>`;
  return html`<div class="field">
    ${label} ${nullBox}
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

/** A JSON value as a tree: objects and arrays fold open and shut, leaves show their value. */
function Tree({ name, value }) {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
    return html`<details open class="tree">
      <summary>${name} <small>${Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`}</small></summary>
      <ul>
        ${entries.map(([k, v]) => html`<li><${Tree} name=${k} value=${v} /></li>`)}
      </ul>
    </details>`;
  }
  return html`<span class="leaf">${name}: <code>${JSON.stringify(value)}</code></span>`;
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
                ? html`<div data-role="structured">
                    <${Tree} name="structuredContent" value=${result.structuredContent} />
                  </div>`
                : null
            }
          </div>`
        : null
    }
    ${durationMs !== undefined ? html`<small>${Math.round(durationMs)} ms</small>` : null}
  </section>`;
}

/**
 * A tool as `GET /api/tools` lists it.
 * @typedef {{
 *   server: string, name: string, title?: string, description?: string,
 *   inputSchema?: import('/schema-form.js').Schema, app: boolean,
 * }} OfferedTool
 */

/** The tool tester: search, pick, fill, run, cancel; `prefill` replays a history entry. */
export class ToolPanel extends Component {
  /**
   * @type {{
   *   tools: OfferedTool[], query: string, picked: OfferedTool | undefined, missing?: string | undefined,
   *   values: Record<string, unknown>, errors: Record<string, string>, raw: boolean, rawText: string,
   *   callId: string | undefined, ranArgs?: unknown,
   * }}
   */
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

  /** Asks the dashboard's tool-selection index (every tool when the query is empty). */
  search(query) {
    this.setState({ query });
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.props.api(`/api/tools?q=${encodeURIComponent(query)}`).then((tools) => {
        if (this.state.query === query) this.setState({ tools });
      });
    }, 120);
  }

  /** A replay fills the form; a change of the tools offered (`revision`) asks for the list again. */
  componentDidUpdate(previous) {
    const p = this.props.prefill;
    if (p !== undefined && p !== previous.prefill) this.replay(p);
    if (previous.revision !== this.props.revision) this.search(this.state.query);
  }

  /**
   * A history entry back in the form. The tool is looked up among every server's tools, not the
   * search results shown (a replayed tool is seldom among them); gone tools say so.
   */
  replay(entry) {
    const find = (tools) => tools.find((t) => t.server === entry.server && t.name === entry.tool);
    const known = find(this.state.tools);
    const found = known !== undefined ? Promise.resolve(known) : this.props.api('/api/tools').then(find);
    found
      .then((tool) => {
        if (tool === undefined) this.setState({ picked: undefined, missing: `${entry.server} / ${entry.tool}` });
        else this.pick(tool, entry.arguments ?? {}, true);
        this.section?.scrollIntoView({ block: 'start' });
      })
      .catch((err) => this.setState({ missing: err.message }));
  }

  /**
   * Picks a tool, its form filled from `args`. On a replay, arguments the form cannot hold as they
   * are (a value of the wrong type, a key the schema lacks: often what made the call fail) open
   * the raw JSON editor instead, so the replay sends exactly what was sent.
   */
  pick(tool, args = {}, replay = false) {
    const fields = fieldsOf(tool.inputSchema);
    const values = valuesOf(fields, args);
    const raw = replay && !fitsForm(fields, args);
    this.setState({
      picked: tool,
      missing: undefined,
      values,
      errors: {},
      raw: raw || this.state.raw,
      rawText: JSON.stringify(args, null, 2),
      callId: undefined,
    });
  }

  run(event) {
    event.preventDefault();
    const tool = this.state.picked;
    if (tool === undefined) return;
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
      .then(({ id }) => this.setState({ callId: id, ranArgs: args }));
  }

  render({ calls, api }, { tools, query, picked, missing, values, errors, raw, rawText, callId }) {
    const shown = tools.slice(0, 50);
    const call = callId === undefined ? undefined : calls[callId];
    const running = call !== undefined && call.result === undefined && call.error === undefined;
    return html`<section class="tools" aria-label="tool testing" ref=${(el) => (this.section = el)}>
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
        missing
          ? html`<p class="message" role="alert" data-role="replay-missing">
              ${missing} is not among the ready servers' tools: it cannot be replayed now.
            </p>`
          : null
      }
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
                          path=${f.name}
                          errors=${errors}
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
              ${
                picked.app && call?.result
                  ? html`<${AppView}
                      key=${callId}
                      server=${picked.server}
                      tool=${picked.name}
                      input=${this.state.ranArgs}
                      result=${call.result}
                    />`
                  : null
              }
            </form>`
          : null
      }
    </section>`;
  }
}
