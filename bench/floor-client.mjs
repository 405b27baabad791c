// The hand-written floor: a minimal MCP client with nothing but the wire protocol (initialize,
// then tools/call), no validation, no timeouts, no supervision. What a client could cost at
// least; `pnpm bench` reports it so the headroom left is visible. Not for use outside the bench.
import { spawn } from 'node:child_process';
import http from 'node:http';

const INIT = {
  protocolVersion: '2025-06-18',
  capabilities: {},
  clientInfo: { name: 'floor', version: '0' },
};

/** Over a child's stdin/stdout: one JSON object a line. */
export async function floorStdio(command, args) {
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
  await request('initialize', INIT);
  child.stdin.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
  return {
    call: (i) => request('tools/call', { name: 'echo', arguments: { text: `m${i}` } }).then((m) => m.result),
    close: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.stdin.end();
      }),
  };
}

/** Over Streamable HTTP with a keep-alive agent: a JSON answer or an SSE stream, read whole. */
export async function floorHttp(url) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const target = new URL(url);
  let session;
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
  await post({ jsonrpc: '2.0', id: nextId++, method: 'initialize', params: INIT });
  await post({ jsonrpc: '2.0', method: 'notifications/initialized' });
  return {
    call: (i) =>
      post({
        jsonrpc: '2.0',
        id: nextId++,
        method: 'tools/call',
        params: { name: 'echo', arguments: { text: `m${i}` } },
      }).then((m) => m.result),
    close: async () => {
      agent.destroy();
    },
  };
}
