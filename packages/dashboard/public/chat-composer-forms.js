// The composer's small parts: the form asking for a prompt's arguments, and an attachment's chip.
import { h } from '/vendor/preact.mjs';
import htm from '/vendor/htm.mjs';

const html = htm.bind(h);

/** A form asking for a prompt's arguments or a template's variables; required ones marked. */
export function ArgsForm({ title, fields, onDone, onCancel }) {
  const submit = (e) => {
    e.preventDefault();
    onDone(Object.fromEntries(fields.map((f) => [f.name, e.currentTarget.elements[`arg-${f.name}`].value])));
  };
  return html`<form
    class="args-form"
    data-role="args-form"
    aria-label=${title}
    onSubmit=${submit}
    onKeyDown=${(e) => e.key === 'Escape' && onCancel()}
  >
    <strong>${title}</strong>
    ${fields.map(
      (f, i) =>
        html`<label
          >${f.name}${f.required ? html`<span class="required" aria-hidden="true"> *</span>` : null}
          <input
            name=${`arg-${f.name}`}
            data-arg=${f.name}
            required=${f.required}
            aria-required=${f.required ? 'true' : null}
            autofocus=${i === 0}
          />
          ${f.description ? html`<small>${f.description}</small>` : null}
        </label>`,
    )}
    <div class="actions">
      <button type="submit" data-role="args-done">Use</button>
      <button type="button" class="link" onClick=${onCancel}>Cancel</button>
    </div>
  </form>`;
}

/** An attachment on its way: a resource, an image or the prompt; × takes it off. */
export function Chip({ chip, onRemove }) {
  const label =
    chip.kind === 'prompt' ? `/${chip.server}/${chip.name}` : chip.kind === 'image' ? chip.name : `@${chip.name}`;
  return html`<span class="chip" data-role="chip" data-kind=${chip.kind}>
    ${chip.kind === 'image' ? html`<img alt="" src=${`data:${chip.mimeType};base64,${chip.data}`} />` : null}
    <span title=${chip.uri ?? ''}>${label}</span>
    <button type="button" class="link" aria-label=${`Remove ${label}`} onClick=${onRemove}>×</button>
  </span>`;
}
