import { describe, expect, it } from 'vitest';
import { APP_MIME_TYPE } from '@universal-mcp/core';
import {
  allowAttribute,
  appDomain,
  appResource,
  appUiMeta,
  AppResourceError,
  MAX_APP_DOMAINS,
  MAX_APP_HTML_BYTES,
} from '../src/app-resource.js';

const read = (content: Record<string, unknown>) => ({ contents: [content] });

describe('appResource', () => {
  it('takes the one App content, text or base64 blob', () => {
    const html = '<!doctype html><p>hi</p>';
    const other = { uri: 'ui://a', mimeType: 'text/plain', text: 'not me' };
    expect(appResource({ contents: [other, { uri: 'ui://a', mimeType: APP_MIME_TYPE, text: html }] }).html).toBe(html);
    const blob = Buffer.from(html).toString('base64');
    expect(appResource(read({ uri: 'ui://a', mimeType: 'text/html; profile=mcp-app', blob })).html).toBe(html);
  });

  it.each([
    ['no App content', { contents: [{ uri: 'ui://a', mimeType: 'text/html', text: '<p>' }] }],
    ['no contents', { nothing: true }],
    ['not an object', 'hostile'],
    ['neither text nor blob', read({ uri: 'ui://a', mimeType: APP_MIME_TYPE })],
  ])('refuses %s with APP_NOT_FOUND', (_, result) => {
    expect(() => appResource(result)).toThrow(expect.objectContaining({ code: 'APP_NOT_FOUND' }));
  });

  it('refuses HTML past 8 MiB, as text or as blob', () => {
    const text = 'x'.repeat(MAX_APP_HTML_BYTES + 1);
    expect(() => appResource(read({ mimeType: APP_MIME_TYPE, text }))).toThrow(AppResourceError);
    // Multi-byte characters: under the bound in UTF-16 units, over it in bytes.
    const wide = 'é'.repeat(MAX_APP_HTML_BYTES / 2 + 1);
    expect(() => appResource(read({ mimeType: APP_MIME_TYPE, text: wide }))).toThrow(
      expect.objectContaining({ code: 'APP_TOO_LARGE' }),
    );
    const blob = Buffer.from(text).toString('base64');
    expect(() => appResource(read({ mimeType: APP_MIME_TYPE, blob }))).toThrow(
      expect.objectContaining({ code: 'APP_TOO_LARGE' }),
    );
  });

  it("reads the content's _meta.ui, else the list entry's", () => {
    const own = { ui: { csp: { connectDomains: ['https://api.example'] }, prefersBorder: false } };
    const listed = { ui: { csp: { resourceDomains: ['https://cdn.example'] }, permissions: { camera: {} } } };
    const withOwn = appResource(read({ mimeType: APP_MIME_TYPE, text: '', _meta: own }), listed);
    expect(withOwn.csp.connectDomains).toEqual(['https://api.example']);
    expect(withOwn.csp.resourceDomains).toEqual([]);
    expect(withOwn.prefersBorder).toBe(false);
    const fallback = appResource(read({ mimeType: APP_MIME_TYPE, text: '' }), listed);
    expect(fallback.csp.resourceDomains).toEqual(['https://cdn.example']);
    expect(fallback.permissions).toEqual({ camera: true });
  });
});

describe('appDomain', () => {
  it.each([
    'https://api.example.com',
    'https://*.example.com',
    'https://api.example.com:8443',
    'wss://live.example.com',
    'http://localhost:3000',
    'http://127.0.0.1',
  ])('keeps the origin %s', (domain) => {
    expect(appDomain(domain)).toBe(domain);
  });

  it.each([
    "https://a.example 'unsafe-eval'",
    'https://a.example; script-src *',
    'https://a.example,https://b.example',
    'https://a.example/path',
    'http://a.example',
    'http://localhost.evil.example',
    '*',
    "'self'",
    'data:',
    'javascript:alert(1)',
    'https://a"b.example',
    42,
    null,
    `https://${'a'.repeat(300)}.example`,
  ])('drops %s', (domain) => {
    expect(appDomain(domain)).toBeUndefined();
  });

  it('keeps at most 32 a list, without duplicates', () => {
    const many = Array.from({ length: 100 }, (_, i) => `https://h${i}.example`);
    const { csp } = appUiMeta({ ui: { csp: { frameDomains: [...many, 'https://h0.example'] } } });
    expect(csp.frameDomains).toHaveLength(MAX_APP_DOMAINS);
    expect(new Set(csp.frameDomains).size).toBe(MAX_APP_DOMAINS);
  });
});

describe('allowAttribute', () => {
  it('grants only the permissions the spec knows and the App asked for', () => {
    const { permissions } = appUiMeta({ ui: { permissions: { microphone: {}, clipboardWrite: {}, usb: {} } } });
    expect(allowAttribute(permissions)).toBe('microphone; clipboard-write');
    expect(allowAttribute(appUiMeta(undefined).permissions)).toBe('');
  });
});
