// The chat's composer: the message, the resources attached with `@` (read by the dashboard when the
// message is sent), a prompt chosen with `/` (its arguments asked first), images pasted, dropped or
// picked — and the keys: Enter sends, Shift+Enter starts a line, Esc closes a list or stops a run,
// ↑ in an empty composer edits the last message.
import { h, Component } from '/vendor/preact.mjs';
import htm from '/vendor/htm.mjs';
import { ArgsForm, Chip } from '/chat-composer-forms.js';
import { expand, trigger, variablesOf } from '/chat-composer-text.js';
import { IMAGE_TYPES, readImage } from '/chat-image-file.js';

const html = htm.bind(h);
const PLACEHOLDER = 'Message — @ resources, / prompts';
const MAX_IMAGES = 4;
const MAX_RESOURCES = 8;
/** The lists are read again when older than this. */
const CATALOG_TTL_MS = 10_000;
const MAX_OPTIONS = 50;

/**
 * The composer. `draft` is its text (kept by the view: an edit puts a message back into it);
 * `onSend({ text, resources, images, prompt })` sends.
 */
/** @typedef {{ name: string, required?: boolean, description?: string }} ArgField */

export class Composer extends Component {
  /**
   * @type {{
   *   chips: any[], picker: { kind: '@' | '/', word: string, start: number } | undefined, active: number,
   *   asking: { title: string, fields: ArgField[], done(values: Record<string, string>): void } | undefined,
   *   catalog: ReturnType<typeof import('../src/chat-prompts.js').chatCatalog> & { at: number } | undefined,
   *   error: string,
   * }}
   */
  state = { chips: [], picker: undefined, active: 0, asking: undefined, catalog: undefined, error: '' };

  catalog() {
    const { catalog } = this.state;
    if (catalog && Date.now() - catalog.at < CATALOG_TTL_MS) return;
    this.props
      .api('/api/chat/catalog')
      .then((lists) => this.setState({ catalog: { ...lists, at: Date.now() } }))
      .catch((err) => this.setState({ error: err.message }));
  }

  /** The options of the open list, filtered by the word typed. */
  options() {
    const { picker, catalog } = this.state;
    if (picker === undefined || catalog === undefined) return [];
    const word = picker.word.toLowerCase();
    const hit = (...texts) => texts.some((t) => (t ?? '').toLowerCase().includes(word));
    const found =
      picker.kind === '/'
        ? catalog.prompts
            .filter((p) => hit(p.name, p.title, p.server, `${p.server}/${p.name}`))
            .map((p) => ({ kind: 'prompt', item: p, label: `${p.server}/${p.name}`, detail: p.description }))
        : [
            ...catalog.resources
              .filter((r) => hit(r.name, r.uri, r.server))
              .map((r) => ({ kind: 'resource', item: r, label: r.name, detail: `${r.server} · ${r.uri}` })),
            ...catalog.templates
              .filter((t) => hit(t.name, t.uriTemplate, t.server))
              .map((t) => ({ kind: 'template', item: t, label: t.name, detail: `${t.server} · ${t.uriTemplate}` })),
          ];
    return found.slice(0, MAX_OPTIONS);
  }

  /** What the list says when nothing is in it. */
  empty(picker) {
    if (this.state.catalog === undefined) return 'Loading…';
    return picker.kind === '/' ? 'No prompt matches' : 'No resource matches';
  }

  input(e) {
    const el = e.target;
    this.props.onDraft(el.value);
    const found = trigger(el.value, el.selectionStart ?? el.value.length);
    if (found) this.catalog();
    this.setState({ picker: found, active: 0 });
  }

  /** The typed `@word` or `/word` taken out of the draft. */
  dropTrigger() {
    const { picker } = this.state;
    if (picker === undefined) return;
    const draft = this.props.draft;
    const end = picker.start + 1 + picker.word.length;
    this.props.onDraft(draft.slice(0, picker.start) + draft.slice(end));
  }

  pick(option) {
    this.dropTrigger();
    this.setState({ picker: undefined });
    const { item } = option;
    if (option.kind === 'resource') return this.addResource(item.server, item.uri, item.name);
    if (option.kind === 'template')
      return this.setState({
        asking: {
          title: `${item.server}: ${item.name}`,
          fields: variablesOf(item.uriTemplate).map((name) => ({ name, required: true })),
          done: (values) => this.addResource(item.server, expand(item.uriTemplate, values), item.name),
        },
      });
    const prompt = (args) =>
      this.setState({
        chips: [
          ...this.state.chips.filter((c) => c.kind !== 'prompt'),
          { kind: 'prompt', server: item.server, name: item.name, arguments: args },
        ],
      });
    if (item.arguments.length === 0) return prompt({});
    this.setState({
      asking: { title: `/${item.server}/${item.name}`, fields: item.arguments, done: prompt },
    });
  }

  addResource(server, uri, name) {
    const resources = this.state.chips.filter((c) => c.kind === 'resource');
    if (resources.length >= MAX_RESOURCES)
      return this.setState({ error: `At most ${MAX_RESOURCES} resources can be attached to a message` });
    if (resources.some((c) => c.server === server && c.uri === uri)) return;
    this.setState({ chips: [...this.state.chips, { kind: 'resource', server, uri, name }], error: '' });
    this.focus();
  }

  /** Images from a paste, a drop or the file picker. */
  addImages(files) {
    const list = [...files].filter((f) => f.type.startsWith('image/') || f.size > 0);
    if (list.length === 0) return;
    Promise.all(list.map(readImage))
      .then((images) => {
        const all = [...this.state.chips.filter((c) => c.kind === 'image'), ...images];
        if (all.length > MAX_IMAGES) throw new Error(`At most ${MAX_IMAGES} images can be sent with a message`);
        this.setState({ chips: [...this.state.chips, ...images], error: '' });
      })
      .catch((err) => this.setState({ error: err.message }));
  }

  // Preact 11 keeps no `this.base`: the elements the composer reaches for are its refs.
  /** @type {HTMLTextAreaElement | null} */
  textarea = null;
  /** @type {HTMLInputElement | null} */
  fileInput = null;

  focus() {
    this.textarea?.focus();
  }

  send(e) {
    e?.preventDefault();
    const { chips } = this.state;
    const { draft, running } = this.props;
    if (running || (draft.trim() === '' && chips.length === 0)) return;
    const prompt = chips.find((c) => c.kind === 'prompt');
    const sent = this.props.onSend({
      text: draft,
      resources: chips.filter((c) => c.kind === 'resource').map(({ server, uri, name }) => ({ server, uri, name })),
      images: chips.filter((c) => c.kind === 'image').map(({ name, mimeType, data }) => ({ name, mimeType, data })),
      ...(prompt ? { prompt: { server: prompt.server, name: prompt.name, arguments: prompt.arguments } } : {}),
    });
    this.setState({ chips: [], picker: undefined, error: '' });
    Promise.resolve(sent).catch(() => this.setState({ chips: [...chips, ...this.state.chips] }));
  }

  keyDown(e) {
    const { picker, active } = this.state;
    const options = picker ? this.options() : [];
    if (picker && options.length > 0) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const step = e.key === 'ArrowDown' ? 1 : -1;
        return this.setState({ active: (active + step + options.length) % options.length });
      }
      if ((e.key === 'Enter' && !e.shiftKey) || e.key === 'Tab') {
        e.preventDefault();
        return this.pick(options[Math.min(active, options.length - 1)]);
      }
    }
    if (e.key === 'Escape') {
      if (picker) return this.setState({ picker: undefined });
      if (this.props.running) return this.props.onStop();
      if (this.props.editing) return this.props.onCancelEdit();
      return;
    }
    if (e.key === 'ArrowUp' && this.props.draft === '' && this.state.chips.length === 0) {
      e.preventDefault();
      return this.props.onEditLast();
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) this.send(e);
  }

  render({ draft, running, editing, disabled, onStop, onCancelEdit }, { chips, picker, active, asking, error }) {
    const options = picker ? this.options() : [];
    const pickerId = 'composer-picker';
    const open = picker !== undefined;
    return html`<form
      class="composer"
      data-role="composer-form"
      onSubmit=${(e) => this.send(e)}
      onDragOver=${(e) => e.preventDefault()}
      onDrop=${(e) => {
        e.preventDefault();
        this.addImages(e.dataTransfer?.files ?? []);
      }}
    >
      ${
        asking
          ? html`<${ArgsForm}
              title=${asking.title}
              fields=${asking.fields}
              onCancel=${() => this.setState({ asking: undefined }, () => this.focus())}
              onDone=${(values) => {
                this.setState({ asking: undefined });
                asking.done(values);
                this.focus();
              }}
            />`
          : null
      }
      ${
        open
          ? html`<ul
              class="picker"
              id=${pickerId}
              role="listbox"
              data-role="picker"
              aria-label=${picker.kind === '/' ? 'prompts' : 'resources'}
            >
              ${
                options.length === 0
                  ? html`<li class="status" role="option" aria-disabled="true" aria-selected="false">
                      ${this.empty(picker)}
                    </li>`
                  : options.map(
                      (o, i) =>
                        html`<li
                          role="option"
                          id=${`picker-${i}`}
                          data-role="picker-option"
                          data-kind=${o.kind}
                          aria-selected=${i === active ? 'true' : 'false'}
                          class=${i === active ? 'active' : ''}
                          onMouseDown=${(e) => {
                            e.preventDefault();
                            this.pick(o);
                          }}
                        >
                          <strong>${o.label}</strong>${o.kind === 'template' ? html` <small>(template)</small>` : null}
                          ${o.detail ? html`<small>${o.detail}</small>` : null}
                        </li>`,
                    )
              }
            </ul>`
          : null
      }
      ${
        chips.length > 0
          ? html`<div class="chips" data-role="chips">
              ${chips.map(
                (chip, i) =>
                  html`<${Chip}
                    chip=${chip}
                    onRemove=${() => this.setState({ chips: chips.filter((_, j) => j !== i) })}
                  />`,
              )}
            </div>`
          : null
      }
      ${error ? html`<p class="message" role="alert" data-role="composer-error">${error}</p>` : null}
      <div class="composer-row">
        <label for="composer" class="sr-only">Message</label>
        <textarea
          id="composer"
          data-role="composer"
          ref=${(el) => (this.textarea = el)}
          rows="2"
          role="combobox"
          aria-expanded=${open ? 'true' : 'false'}
          aria-controls=${open ? pickerId : null}
          aria-autocomplete="list"
          aria-activedescendant=${open && options.length > 0 ? `picker-${active}` : null}
          placeholder=${editing === undefined ? PLACEHOLDER : 'Edit your message, then send'}
          value=${draft}
          disabled=${disabled}
          onInput=${(e) => this.input(e)}
          onKeyDown=${(e) => this.keyDown(e)}
          onPaste=${(e) => {
            const files = e.clipboardData?.files ?? [];
            if (files.length > 0) {
              e.preventDefault();
              this.addImages(files);
            }
          }}
        ></textarea>
        <div class="composer-actions">
          <input
            type="file"
            id="composer-file"
            ref=${(el) => (this.fileInput = el)}
            hidden
            aria-label="Images to attach"
            accept=${IMAGE_TYPES.join(',')}
            multiple
            data-role="image-input"
            onChange=${(e) => {
              this.addImages(e.target.files ?? []);
              e.target.value = '';
            }}
          />
          <button
            type="button"
            class="icon"
            data-role="attach-image"
            aria-label="Attach an image"
            title="Attach an image (or paste or drop one)"
            onClick=${() => this.fileInput?.click()}
          >
            <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
              <path
                fill="none"
                stroke="currentColor"
                stroke-width="2"
                stroke-linecap="round"
                stroke-linejoin="round"
                d="M4 5h16v14H4zM4 16l5-5 4 4 3-3 4 4M15.5 9.5h.01"
              />
            </svg>
          </button>
          <button
            type="button"
            class="icon"
            data-role="attach-resource"
            aria-label="Attach a resource"
            title="Attach a resource (@)"
            onClick=${() => {
              const next = draft === '' || draft.endsWith(' ') ? `${draft}@` : `${draft} @`;
              this.props.onDraft(next);
              this.catalog();
              this.setState({ picker: { kind: '@', word: '', start: next.length - 1 }, active: 0 });
              this.focus();
            }}
          >
            @
          </button>
          ${
            running
              ? html`<button
                  type="button"
                  class="danger"
                  data-role="stop"
                  aria-keyshortcuts="Escape"
                  title="Stop (Esc)"
                  onClick=${onStop}
                >
                  Stop
                </button>`
              : html`<button
                  type="submit"
                  class="primary"
                  data-role="send"
                  aria-keyshortcuts="Enter"
                  title="Send (Enter)"
                  disabled=${disabled || (draft.trim() === '' && chips.length === 0)}
                >
                  Send
                </button>`
          }
          ${
            editing !== undefined
              ? html`<button type="button" class="link" onClick=${onCancelEdit}>Cancel edit</button>`
              : null
          }
        </div>
      </div>
    </form>`;
  }
}
