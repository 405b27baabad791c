import { describe, expect, it } from 'vitest';
import { appCsp } from '../src/app-csp.js';
import type { AppCsp } from '../src/app-resource.js';

const none: AppCsp = { connectDomains: [], resourceDomains: [], frameDomains: [], baseUriDomains: [] };
/** The directives of a policy, by name. */
const directives = (policy: string) =>
  new Map(policy.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')] as const));

describe('appCsp', () => {
  it("is the spec's default with nothing declared, sandboxed and framable by the dashboard only", () => {
    expect(appCsp(none)).toBe(
      "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; " +
        "media-src data: blob:; font-src data:; connect-src 'none'; frame-src 'none'; base-uri 'none'; " +
        "form-action 'none'; frame-ancestors 'self'; sandbox allow-scripts",
    );
  });

  it('opens exactly the directives the spec maps each list to', () => {
    const d = directives(
      appCsp({
        connectDomains: ['https://api.example'],
        resourceDomains: ['https://cdn.example'],
        frameDomains: ['https://video.example'],
        baseUriDomains: ['https://base.example'],
      }),
    );
    expect(d.get('connect-src')).toBe('https://api.example');
    for (const name of ['script-src', 'style-src']) expect(d.get(name)).toBe("'unsafe-inline' https://cdn.example");
    for (const name of ['img-src', 'media-src']) expect(d.get(name)).toBe('data: blob: https://cdn.example');
    expect(d.get('font-src')).toBe('data: https://cdn.example');
    expect(d.get('frame-src')).toBe('https://video.example');
    expect(d.get('base-uri')).toBe('https://base.example');
    expect(d.get('default-src')).toBe("'none'");
    expect(d.get('form-action')).toBe("'none'");
  });

  it('leaves the other directives shut when one list is declared', () => {
    const d = directives(appCsp({ ...none, connectDomains: ['https://api.example', 'http://localhost:3000'] }));
    expect(d.get('connect-src')).toBe('https://api.example http://localhost:3000');
    expect(d.get('frame-src')).toBe("'none'");
    expect(d.get('script-src')).toBe("'unsafe-inline'");
  });
});
