import { homedir } from 'node:os';
import { join } from 'node:path';
import { DashboardRequests, createDashboard } from '@universal-mcp/dashboard';
import { createPrometheusMetrics } from '@universal-mcp/prometheus';
import { chatProviders } from './chat-providers.js';
import type { CliArgs } from './cli-args.js';
import { open, tokenFrom, type Io } from './open-servers.js';
import { ExitCode } from './exit-codes.js';

/** `umcp dashboard`: the dashboard over the config's servers, until SIGINT/SIGTERM. */
export async function dashboard(args: CliArgs, io: Io): Promise<number> {
  const token = tokenFrom(args);
  const prometheus = createPrometheusMetrics();
  // Sampling and elicitation requests of calls made in the dashboard are answered in the page.
  const requests = new DashboardRequests();
  const { client, file, logger } = await open(
    args,
    [],
    requests.handlers,
    { meterProvider: prometheus.meterProvider },
    true,
  );
  try {
    const providers = chatProviders(args, file);
    const state = process.env.XDG_STATE_HOME ?? join(homedir(), '.local', 'state');
    const dir = args.dataDir ?? join(state, 'universal-mcp');
    const view = await createDashboard(client, {
      port: args.port ?? 8931,
      token,
      metrics: prometheus.handler,
      history: { dir },
      requests,
      chat: { providers, dir },
      logger,
    });
    io.err(`umcp dashboard: ${view.url.href}`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await view.close();
    return ExitCode.OK;
  } finally {
    await client.close();
    await prometheus.shutdown();
  }
}
