// The hand-written floor: a minimal MCP client with nothing but the wire protocol, no validation, no
// timeouts, no supervision. What a client could cost at least; `pnpm bench` reports it so the headroom
// left is visible. Not for use outside the bench. Two eras:
// - '2025-11-25': initialize + notifications/initialized, then tools/call (HTTP: in the session the
//   server hands out, MCP-Protocol-Version on every POST after initialize);
// - '2026-07-28': no handshake at all; every request carries the `_meta` envelope (protocol version,
//   client capabilities, client info), and every HTTP POST the MCP-Protocol-Version, Mcp-Method and
//   Mcp-Name headers (spec 2026-07-28, basic/transports: "Request Metadata").
import { spawn } from 'node:child_process';
import http from 'node:http';

const CLIENT_INFO = { name: 'floor', version: '0' };
const LEGACY = '2025-11-25';
const MODERN = '2026-07-28';
const ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': MODERN,
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': CLIENT_INFO,
};

/** The params of the n-th echo call, with the 2026 envelope when the era asks for it. */
const echoParams = (era, i) =>
  era === MODERN
    ? { name: 'echo', arguments: { text: `m${i}` }, _meta: ENVELOPE }
    : { name: 'echo', arguments: { text: `m${i}` } };

/** Over a child's stdin/stdout: one JSON object a line. */
export async function floorStdio(command, args, era = LEGACY) {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'ignore'] });
  const pending = new Map();
  let buffered = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    buffered += chunk;
    let nl;
    while ((nl = buffered.indexOf('\n')) !== -1) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      const message = JSON.parse(line);
      const settle = pending.get(message.id);
      if (settle !== undefined) {
        pending.delete(message.id);
        settle(message);
      }
    }
  });
  let nextId = 0;
  const request = (method, params) =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    });
  if (era === LEGACY) {
    await request('initialize', { protocolVersion: LEGACY, capabilities: {}, clientInfo: CLIENT_INFO });
    child.stdin.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
  }
  return {
    call: (i) => request('tools/call', echoParams(era, i)).then((m) => m.result),
    close: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.stdin.end();
      }),
  };
}

/** Over Streamable HTTP with a keep-alive agent: a JSON answer or an SSE stream, read whole. */
export async function floorHttp(url, era = LEGACY) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const target = new URL(url);
  let session;
  let version = era === MODERN ? MODERN : undefined; // 2025: sent once initialize has agreed on it
  let nextId = 0;
  const post = (message) =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify(message);
      const headers = {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'content-length': Buffer.byteLength(body),
      };
      if (session !== undefined) headers['mcp-session-id'] = session;
      if (version !== undefined) headers['mcp-protocol-version'] = version;
      if (era === MODERN) {
        headers['mcp-method'] = message.method;
        if (message.params?.name !== undefined) headers['mcp-name'] = message.params.name; // ASCII here
      }
      const req = http.request(
        { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers },
        (res) => {
          session ??= res.headers['mcp-session-id'];
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d) => (text += d));
          res.on('end', () => {
            if (text === '') return resolve(undefined);
            if (!String(res.headers['content-type']).startsWith('text/event-stream')) return resolve(JSON.parse(text));
            const data = text.split('\n').find((line) => line.startsWith('data: '));
            resolve(JSON.parse(data.slice(6)));
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  if (era === LEGACY) {
    const init = { protocolVersion: LEGACY, capabilities: {}, clientInfo: CLIENT_INFO };
    await post({ jsonrpc: '2.0', id: nextId++, method: 'initialize', params: init });
    version = LEGACY;
    await post({ jsonrpc: '2.0', method: 'notifications/initialized' });
  }
  return {
    call: (i) =>
      post({ jsonrpc: '2.0', id: nextId++, method: 'tools/call', params: echoParams(era, i) }).then((m) => m.result),
    close: async () => {
      agent.destroy();
    },
  };
}
