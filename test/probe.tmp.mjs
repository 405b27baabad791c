import { spawn } from 'node:child_process';
import { UniversalMcpClient } from '@universal-mcp/supervisor';
function start(mode, port = 0) {
  const child = spawn('node', ['fixtures/fixture-server.mjs', mode, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise(r => child.stdout.once('data', d => r({ child, url: d.toString().trim().split(' ')[1] })));
}
const c = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 }, backoff: { initialDelayMs: 100 } } });
c.on('server:state', e => console.log(Date.now() % 100000, 'state', e.server, e.from, '->', e.to, e.reason));
for (const mode of ['http', 'sse']) {
  let s = await start(mode);
  const port = new URL(s.url).port;
  await c.addServer({ name: mode, transport: mode === 'http' ? 'streamable_http' : 'sse', url: s.url });
  // 1: kill with call in flight
  const t0 = Date.now();
  const p = c.callTool(mode, 'sleep', { ms: 5000 }, { timeoutMs: 8000 }).then(r => 'ok', e => e.code);
  setTimeout(() => s.child.kill('SIGKILL'), 200);
  console.log(mode, 'in-flight on kill:', await p, Date.now() - t0 - 200, 'ms');
  // 2: restart on same port, try calls
  s = await start(mode, port);
  await new Promise(r => setTimeout(r, 1500));
  console.log(mode, 'state after restart', c.getServerInfo(mode).state);
  const t1 = Date.now();
  console.log(mode, 'call after restart:', await c.callTool(mode, 'echo', { text: 'x' }).then(r => 'ok', e => e.code + ' ' + e.message), Date.now() - t1);
  // 3: restart server while idle (session lost)
  s.child.kill('SIGKILL'); s = await start(mode, port);
  await new Promise(r => setTimeout(r, 300));
  const t2 = Date.now();
  console.log(mode, 'call after idle restart:', await c.callTool(mode, 'echo', { text: 'x' }).then(r => 'ok', e => e.code + ' ' + e.message), Date.now() - t2);
  await new Promise(r => setTimeout(r, 1500));
  console.log(mode, 'state', c.getServerInfo(mode).state);
  s.child.kill('SIGKILL');
}
await c.close();
