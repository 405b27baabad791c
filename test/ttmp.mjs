import { UniversalMcpClient } from '@universal-mcp/supervisor';
import { createGateway } from '@universal-mcp/gateway';
import http from 'node:http';
const FIX = new URL('./fixtures/fixture-server.mjs', import.meta.url).pathname;
const c = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } } });
await c.addServer({ name: 'up', transport: 'stdio', command: process.execPath, args: [FIX, 'stdio'] });
const g = createGateway(c);
const l = await g.listen({ port: 0, token: false });
const agent = new http.Agent({ keepAlive: true });
function post(body, sid, pv = '2025-11-25') {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const marks = {};
    let n = 0;
    const req = http.request(l.url, { method: 'POST', agent, headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': pv, ...(sid ? { 'mcp-session-id': sid } : {}) } }, (res) => {
      marks.headers = performance.now() - t0;
      res.on('data', (d) => { marks['chunk' + (n++)] = performance.now() - t0; });
      res.on('end', () => { marks.end = performance.now() - t0; resolve({ sid: res.headers['mcp-session-id'], marks }); });
    });
    req.end(JSON.stringify(body));
  });
}
const init = await post({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '1' } } });
await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, init.sid);
for (const pv of ['2025-11-25', '2025-06-18', '2025-11-25', '2025-06-18']) {
  const all = [];
  for (let i = 1; i < 400; i++) all.push((await post({ jsonrpc: '2.0', id: i, method: 'tools/call', params: { name: 'echo', arguments: { text: 'x' } } }, init.sid, pv)).marks);
  const med = (k) => { const v = all.map((m) => m[k]).filter((x) => x !== undefined).sort((a, b) => a - b); return v[Math.floor(v.length / 2)]?.toFixed(3); };
  console.log(pv, 'headers', med('headers'), 'chunk0', med('chunk0'), 'chunk1', med('chunk1'), 'end', med('end'));
}
await g.close(); await c.close(); agent.destroy();
