import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, UniversalMcpClient, isUniversalMcpError } from '@universal-mcp/supervisor';

const SERVER = new URL('../fixtures/raw-server.mjs', import.meta.url).pathname;

const failure = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => expect.unreachable('the call should fail'),
    (err: unknown) => err,
  );

// The JSON-RPC errors MCP defines (2026-07-28), as a real server process sends them, typed by code.
describe('wire errors MCP defines', () => {
  let client: UniversalMcpClient;
  beforeAll(async () => {
    client = new UniversalMcpClient();
    await client.addServer({ name: 'w', transport: 'stdio', command: process.execPath, args: [SERVER] });
  });
  afterAll(() => client.close());

  it('-32022 is UNSUPPORTED_PROTOCOL_VERSION with the versions the server supports (bounded)', async () => {
    const err = await failure(client.callTool('w', 'unsupported_version', {}));
    expect(isUniversalMcpError(err, ErrorCode.UNSUPPORTED_PROTOCOL_VERSION)).toBe(true);
    const { details, rpcCode } = err as { details: { supported: string[]; requested: string }; rpcCode: number };
    expect(rpcCode).toBe(-32022);
    expect(details.requested).toBe('2025-11-25');
    expect(details.supported[0]).toBe('2026-07-28');
    expect(details.supported).toHaveLength(16);
  });

  it.each([
    ['header_mismatch', -32020, { reason: 'header_mismatch' }],
    ['missing_capability', -32021, { reason: 'missing_capability', requiredCapabilities: ['elicitation'] }],
  ])('%s is a PROTOCOL_ERROR saying so in details', async (tool, rpcCode, details) => {
    const err = await failure(client.callTool('w', tool, {}));
    expect(err).toMatchObject({ code: ErrorCode.PROTOCOL_ERROR, rpcCode, details });
  });

  it('a resource not found (-32602 naming the uri) is a PROTOCOL_ERROR with reason resource_not_found', async () => {
    const err = await failure(client.readResource('w', 'note://gone'));
    expect(err).toMatchObject({
      code: ErrorCode.PROTOCOL_ERROR,
      rpcCode: -32602,
      details: { reason: 'resource_not_found', uri: 'note://gone' },
    });
  });
});
