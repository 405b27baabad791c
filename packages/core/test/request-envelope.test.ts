import { describe, expect, it } from 'vitest';
import { capabilitiesFor } from '../src/handlers.js';
import { overridden, requestHeaders, withEnvelope } from '../src/request-envelope.js';

const envelope = {
  protocolVersion: '2026-07-28',
  clientCapabilities: { elicitation: {} },
  clientInfo: { name: 'umcp', version: '1.0.0' },
};
const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null) for (const v of Object.values(value)) deepFreeze(v);
  return Object.freeze(value);
};

describe('withEnvelope', () => {
  it('adds the envelope to _meta, keeping the caller’s keys and leaving its object as it was', () => {
    const params = deepFreeze({
      name: 'echo',
      arguments: { text: 'hi' },
      _meta: { progressToken: 7, traceparent: '00-ab-cd-01' },
    });
    expect(withEnvelope(params, { ...envelope, logLevel: 'warning' })).toEqual({
      name: 'echo',
      arguments: { text: 'hi' },
      _meta: {
        'io.modelcontextprotocol/protocolVersion': '2026-07-28',
        'io.modelcontextprotocol/clientCapabilities': { elicitation: {} },
        'io.modelcontextprotocol/clientInfo': { name: 'umcp', version: '1.0.0' },
        'io.modelcontextprotocol/logLevel': 'warning',
        progressToken: 7,
        traceparent: '00-ab-cd-01',
      },
    });
    expect(params._meta).toEqual({ progressToken: 7, traceparent: '00-ab-cd-01' });
  });

  it('leaves out clientInfo and logLevel when not given, and works without params', () => {
    expect(withEnvelope(undefined, { protocolVersion: '2026-07-28', clientCapabilities: {} })).toEqual({
      _meta: {
        'io.modelcontextprotocol/protocolVersion': '2026-07-28',
        'io.modelcontextprotocol/clientCapabilities': {},
      },
    });
  });

  it('lets a key the caller set in _meta win, as the SDK does', () => {
    const out = withEnvelope(
      { _meta: { 'io.modelcontextprotocol/logLevel': 'debug' } },
      { ...envelope, logLevel: 'error' },
    );
    expect(out._meta['io.modelcontextprotocol/logLevel']).toBe('debug');
  });

  it('replaces a _meta that is not an object', () => {
    const out = withEnvelope({ _meta: 'nope' as unknown as Record<string, unknown> }, envelope);
    expect(Object.keys(out._meta)).toEqual([
      'io.modelcontextprotocol/protocolVersion',
      'io.modelcontextprotocol/clientCapabilities',
      'io.modelcontextprotocol/clientInfo',
    ]);
  });
});

describe('requestHeaders', () => {
  const request = (method: string, params: Record<string, unknown> = {}) => ({
    method,
    params: withEnvelope(params, envelope),
  });

  it.each([
    ['tools/call', { name: 'get_weather' }, { 'Mcp-Name': 'get_weather' }],
    ['prompts/get', { name: 'greet' }, { 'Mcp-Name': 'greet' }],
    [
      'resources/read',
      { uri: 'file:///projects/myapp/config.json' },
      { 'Mcp-Name': 'file:///projects/myapp/config.json' },
    ],
    ['resources/read', { uri: 'file:///données/é.txt' }, { 'Mcp-Name': '=?base64?ZmlsZTovLy9kb25uw6llcy/DqS50eHQ=?=' }],
    ['tools/call', { name: ' padded ' }, { 'Mcp-Name': '=?base64?IHBhZGRlZCA=?=' }],
    ['tools/list', { cursor: 'c' }, {}],
    ['server/discover', {}, {}],
    ['tools/call', { name: 42 }, {}],
    ['constructor', { name: 'x' }, {}],
  ])('%s %j', (method, params, name) => {
    expect(requestHeaders(request(method, params))).toEqual({
      'MCP-Protocol-Version': '2026-07-28',
      'Mcp-Method': method,
      ...name,
    });
  });

  it('takes MCP-Protocol-Version from the body, so header and body agree', () => {
    const message = { method: 'tools/list', params: withEnvelope({}, { ...envelope, protocolVersion: '2027-01-01' }) };
    expect(requestHeaders(message)['MCP-Protocol-Version']).toBe('2027-01-01');
  });

  it('gives a 2025-era message (no envelope) no headers at all', () => {
    expect(requestHeaders({ method: 'tools/call', params: { name: 'x' } }, { 'Mcp-Param-A': '1' })).toEqual({});
    expect(requestHeaders({ method: 'tools/list' })).toEqual({});
  });

  it('adds the param headers, never over one derived from the body or owned by the transport', () => {
    const headers = requestHeaders(request('tools/call', { name: 'sql' }), {
      'Mcp-Param-Region': 'us-west1',
      'mcp-name': 'other',
      'MCP-METHOD': 'tools/list',
      Authorization: 'Bearer x',
      'Mcp-Session-Id': 's',
    });
    expect(headers).toEqual({
      'MCP-Protocol-Version': '2026-07-28',
      'Mcp-Method': 'tools/call',
      'Mcp-Name': 'sql',
      'Mcp-Param-Region': 'us-west1',
    });
    expect(() => new Headers(headers)).not.toThrow();
  });
});

describe('client extensions', () => {
  const APPS = { 'io.modelcontextprotocol/ui': { mimeTypes: ['text/html;profile=mcp-app'] } };

  it('capabilitiesFor declares the extensions given (a copy), and none when there are none', () => {
    const given = deepFreeze({ ...APPS });
    const caps = capabilitiesFor({ roots: () => ({ roots: [] }) }, given);
    expect(caps).toEqual({ roots: { listChanged: true }, extensions: APPS });
    expect(caps.extensions).not.toBe(given);
    expect(capabilitiesFor({}, {})).toEqual({});
    expect(capabilitiesFor({})).toEqual({});
  });

  it("a request's override keeps only the extensions the session declares too", () => {
    const session = { ...envelope, clientCapabilities: { elicitation: {}, extensions: APPS } };
    const asked = { extensions: { ...APPS, 'example.com/other': {} }, sampling: {} };
    expect(overridden(session, { clientCapabilities: asked }).clientCapabilities).toEqual({ extensions: APPS });
    // A client that declares none (or only others) gets none claimed for it.
    expect(
      overridden(session, { clientCapabilities: { extensions: { 'example.com/other': {} } } }).clientCapabilities,
    ).toEqual({});
    expect(overridden(session, { clientCapabilities: { extensions: 'no' } as never }).clientCapabilities).toEqual({});
    // A session that declares none passes none on, whatever the client asks.
    expect(overridden(envelope, { clientCapabilities: { extensions: APPS } }).clientCapabilities).toEqual({});
  });
});
