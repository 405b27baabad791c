// Light and dark: the page follows the system (prefers-color-scheme) until the reader picks one
// with the header's toggle; the pick is remembered in localStorage. The theme is set on <html> as
// `data-theme`, which style.css's variables (and an App's host context) read.
import { h, Component } from '/vendor/preact.mjs';
import htm from '/vendor/htm.mjs';

const html = htm.bind(h);
const KEY = 'umcp-theme';
const system = matchMedia('(prefers-color-scheme: dark)');

/** The reader's pick, or undefined (storage may be off: a private window, a policy). */
function picked() {
  try {
    const value = localStorage.getItem(KEY);
    return value === 'light' || value === 'dark' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The theme in force. */
export const currentTheme = () => picked() ?? (system.matches ? 'dark' : 'light');

const apply = () => document.documentElement.setAttribute('data-theme', currentTheme());
apply();

/** The header's toggle: says which theme a press gives. */
export class ThemeToggle extends Component {
  state = { theme: currentTheme() };

  follow = () => {
    apply();
    this.setState({ theme: currentTheme() });
  };

  componentDidMount() {
    system.addEventListener('change', this.follow);
  }

  componentWillUnmount() {
    system.removeEventListener('change', this.follow);
  }

  toggle() {
    const next = this.state.theme === 'dark' ? 'light' : 'dark';
    try {
      localStorage.setItem(KEY, next);
    } catch {
      // Not remembered, but still applied for this page.
    }
    document.documentElement.setAttribute('data-theme', next);
    this.setState({ theme: next });
  }

  render(_, { theme }) {
    return html`<button
      type="button"
      class="link theme-toggle"
      data-role="theme-toggle"
      data-theme=${theme}
      aria-label=${theme === 'dark' ? 'Use the light theme' : 'Use the dark theme'}
      onClick=${() => this.toggle()}
    >
      ${theme === 'dark' ? '☀ Light' : '☾ Dark'}
    </button>`;
  }
}
