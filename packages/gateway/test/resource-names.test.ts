import { describe, expect, it } from 'vitest';
import { parseAppUri, shownAppUri, shownTemplate, shownUri, withShownApp } from '../src/resource-names.js';

describe('ui:// names', () => {
  it('an App URI is always namespaced by its server and stays ui://; the name leads back', () => {
    const shown = shownUri({ server: 'basic vanilla', uri: 'ui://get-time/mcp-app.html' }, false);
    expect(shown).toBe('ui://basic%20vanilla/get-time/mcp-app.html');
    expect(parseAppUri(shown)).toEqual({ server: 'basic vanilla', uri: 'ui://get-time/mcp-app.html' });
    // Shared or not, the same name (it does not change when another server lists the same URI).
    expect(shownUri({ server: 'a', uri: 'ui://x/y' }, true)).toBe(shownUri({ server: 'a', uri: 'ui://x/y' }, false));
    expect(shownTemplate('a', 'ui://x/{id}', true)).toBe('ui://a/x/{id}');
    // Other URIs keep the existing scheme.
    expect(shownUri({ server: 'a', uri: 'file:///x' }, true)).toBe('umcp-resource://a/file%3A%2F%2F%2Fx');
  });

  it('round-trips an empty authority, and refuses what is none of ours', () => {
    expect(parseAppUri(shownAppUri('s', 'ui:///only-path'))).toEqual({ server: 's', uri: 'ui:///only-path' });
    expect(parseAppUri('ui://no-slash')).toBeUndefined();
    expect(parseAppUri('ui:///x')).toBeUndefined();
    expect(parseAppUri('ui://%E0%A4%A/x')).toBeUndefined();
    expect(parseAppUri('https://a/b')).toBeUndefined();
  });
});

describe('withShownApp', () => {
  it('rewrites both the nested and the flat App URI, keeping the rest of `_meta`', () => {
    const tool = {
      name: 't',
      _meta: { ui: { resourceUri: 'ui://v/app.html', visibility: ['app'] }, 'ui/resourceUri': 'ui://v/app.html', x: 1 },
    };
    expect(withShownApp('srv', tool)).toEqual({
      name: 't',
      _meta: {
        ui: { resourceUri: 'ui://srv/v/app.html', visibility: ['app'] },
        'ui/resourceUri': 'ui://srv/v/app.html',
        x: 1,
      },
    });
    expect(tool._meta.ui.resourceUri).toBe('ui://v/app.html'); // the upstream's own definition is unchanged
  });

  it('leaves out a URI that is no App (not ui://, too long), and leaves a tool without one as it is', () => {
    expect(withShownApp('s', { _meta: { ui: { resourceUri: 'https://evil/x', visibility: ['app'] } } })).toEqual({
      _meta: { ui: { visibility: ['app'] } },
    });
    expect(withShownApp('s', { _meta: { 'ui/resourceUri': `ui://${'a'.repeat(3000)}` } })).toEqual({ _meta: {} });
    const plain = { name: 'p', _meta: { ui: { visibility: ['model'] } } };
    expect(withShownApp('s', plain)).toBe(plain);
    const none: { name: string; _meta?: unknown } = { name: 'n' };
    expect(withShownApp('s', none)).toBe(none);
  });
});
