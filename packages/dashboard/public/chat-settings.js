// A conversation's settings form: provider, model, system instructions, the servers whose tools
// are on, tool selection.
import { h } from '/vendor/preact.mjs';
import htm from '/vendor/htm.mjs';

const html = htm.bind(h);

/**
 * A conversation's settings. The typed fields (model, system instructions) are uncontrolled: a
 * re-render while someone types (a chat event refreshing the list) must not put the stored value
 * back; they start from the conversation's (the form is keyed by it) and send on change.
 */
export function Settings({ meta, conversation, onChange }) {
  const s = conversation.settings;
  const provider = meta.providers.find((p) => p.name === s.provider);
  const on = (name) => s.servers === null || s.servers.includes(name);
  const toggle = (name) => {
    const current = s.servers ?? meta.servers;
    const next = current.includes(name) ? current.filter((n) => n !== name) : [...current, name];
    onChange({ servers: next.length === meta.servers.length ? null : next });
  };
  return html`<form class="chat-settings" data-role="chat-settings" onSubmit=${(e) => e.preventDefault()}>
    <label
      >Provider
      <select value=${s.provider} onChange=${(e) => onChange({ provider: e.target.value })}>
        ${meta.providers.map((p) => html`<option value=${p.name}>${p.name}</option>`)}
      </select>
    </label>
    <label
      >Model
      <input list="chat-models" defaultValue=${s.model} onChange=${(e) => onChange({ model: e.target.value })} />
      <datalist id="chat-models">${(provider?.models ?? []).map((m) => html`<option value=${m}></option>`)}</datalist>
    </label>
    <label class="wide"
      >System instructions
      <textarea rows="3" defaultValue=${s.system} onChange=${(e) => onChange({ system: e.target.value })}></textarea>
    </label>
    <fieldset>
      <legend>Tools from</legend>
      ${meta.servers.map(
        (name) =>
          html`<label class="check">
            <input type="checkbox" data-server=${name} checked=${on(name)} onChange=${() => toggle(name)} /> ${name}
          </label>`,
      )}
    </fieldset>
    <label class="check">
      <input
        type="checkbox"
        checked=${s.toolSelection}
        onChange=${(e) => onChange({ toolSelection: e.target.checked })}
      />
      Tool selection (offer the best 16 tools for each message)
    </label>
  </form>`;
}
