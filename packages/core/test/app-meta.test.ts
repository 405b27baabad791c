import { describe, expect, it } from 'vitest';
import { callableByApp, toolApp, visibleToModel } from '../src/app-meta.js';

describe('toolApp', () => {
  it('reads _meta.ui.resourceUri and the older flat key', () => {
    expect(toolApp({ _meta: { ui: { resourceUri: 'ui://a/app.html' } } }).resourceUri).toBe('ui://a/app.html');
    expect(toolApp({ _meta: { 'ui/resourceUri': 'ui://b/app.html' } }).resourceUri).toBe('ui://b/app.html');
    expect(toolApp({}).resourceUri).toBeUndefined();
  });

  it('takes no resource that is not ui://, not a string or too long', () => {
    for (const resourceUri of ['https://evil.example/app.html', 42, `ui://${'x'.repeat(3000)}`, null])
      expect(toolApp({ _meta: { ui: { resourceUri } } }).resourceUri).toBeUndefined();
  });

  it('visibility: the given list, or both when missing or malformed', () => {
    expect(toolApp({ _meta: { ui: { visibility: ['app'] } } }).visibility).toEqual(['app']);
    for (const visibility of [undefined, [], ['model', 'root'], 'app', ['app', 'app', 'app']])
      expect(toolApp({ _meta: { ui: { visibility } } }).visibility).toEqual(['model', 'app']);
  });

  it('app-only tools are hidden from the model, model-only ones from the App', () => {
    const appOnly = { _meta: { ui: { visibility: ['app'] } } };
    const modelOnly = { _meta: { ui: { visibility: ['model'] } } };
    expect([visibleToModel(appOnly), callableByApp(appOnly)]).toEqual([false, true]);
    expect([visibleToModel(modelOnly), callableByApp(modelOnly)]).toEqual([true, false]);
    expect([visibleToModel({}), callableByApp({})]).toEqual([true, true]);
  });
});
