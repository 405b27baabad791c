import { describe, expect, it } from 'vitest';
import { eventJson, eventLine, toolsTable } from '../src/render.js';

// The watch lines of the two eras' events, as `umcp watch` prints them.

const now = new Date('2026-12-04T00:00:00.000Z');

describe('eventLine', () => {
  it('an MRTR round says the request waiting, the round and what the server asked for', () => {
    const payload = {
      server: 'deploy',
      method: 'tools/call',
      round: 2,
      requests: [
        { key: 'confirm', method: 'elicitation/create' },
        { key: 'draft', method: 'sampling/createMessage' },
      ],
    };
    expect(eventLine('server:input-required', payload, now)).toBe(
      '2026-12-04T00:00:00.000Z deploy input required by tools/call, round 2: ' +
        'elicitation/create, sampling/createMessage',
    );
    expect(JSON.parse(eventJson('server:input-required', payload, now))).toEqual({
      t: '2026-12-04T00:00:00.000Z',
      event: 'server:input-required',
      ...payload,
    });
  });

  it('a ready line names the revision the connection speaks', () => {
    const ready = { server: 'a', attempt: 1, tools: [{}, {}], era: '2026-07-28', protocolVersion: '2026-07-28' };
    expect(eventLine('server:ready', ready, now)).toBe('2026-12-04T00:00:00.000Z a ready with 2 tools (2026-07-28)');
    const legacy = { ...ready, era: '2025-11-25', protocolVersion: '2025-06-18' };
    expect(eventLine('server:ready', legacy, now)).toMatch(/ready with 2 tools \(2025-06-18\)$/);
  });
});

describe('toolsTable', () => {
  it('marks an app-only tool (MCP Apps visibility ["app"]), which no model is offered', () => {
    const inputSchema = { type: 'object' as const };
    const table = toolsTable({
      monitor: [
        { name: 'get-system-info', description: 'Info', inputSchema, _meta: { ui: { resourceUri: 'ui://m/a.html' } } },
        { name: 'poll-system-stats', description: 'Poll', inputSchema, _meta: { ui: { visibility: ['app'] } } },
      ],
    });
    expect(table).toMatch(/poll-system-stats \(app only\)/);
    expect(table).not.toMatch(/get-system-info \(app only\)/);
  });
});
