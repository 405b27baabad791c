// A small client service for test/integration/tasks-client-restart.test.ts: one UniversalMcpClient (the BUILT
// @universal-mcp/supervisor, as a real service runs it) with a file task store, in its own process so that the
// test can SIGKILL it mid-task and start it again.
//
//   node tasks-client.mjs start  <url> <tasks.json> <seconds> <label>   startTool long_task {seconds, label} (an
//                                    argument: never stored), print "TASK <id>", keep polling
//   node tasks-client.mjs resume <url> <tasks.json> <id>   print "RESULT <json>" once that task's result is in
//
// Anything that goes wrong is printed as "ERROR <code> <message>" with exit code 1.
import { ErrorCode, UniversalMcpClient } from '@universal-mcp/supervisor';

const [mode, url, tasksFile, arg, label] = process.argv.slice(2);
const client = new UniversalMcpClient({ tasks: tasksFile, defaults: { health: { intervalMs: 0 } } });

/** The handle of a stored task; the store may still be loading when the server is ready, so ask for 10 s. */
async function stored(id) {
  const end = Date.now() + 10_000;
  for (;;) {
    try {
      return client.task(id);
    } catch (err) {
      if (err?.code !== ErrorCode.TASK_NOT_FOUND || Date.now() > end) throw err;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

try {
  await client.addServer({ name: 'tasks', transport: 'streamable_http', url });
  if (mode === 'start') {
    const handle = await client.startTool('tasks', 'long_task', { seconds: Number(arg), label });
    process.stdout.write(`TASK ${handle.id}\n`);
    // Keeps polling until the test kills this process (never on its own: the timer holds it open).
    setInterval(() => undefined, 60_000);
  } else if (mode === 'resume') {
    const result = await (await stored(arg)).result();
    process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
    await client.close();
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
} catch (err) {
  process.stdout.write(`ERROR ${err?.code ?? 'unknown'} ${err?.message ?? String(err)}\n`);
  process.exitCode = 1;
  await client.close();
}
