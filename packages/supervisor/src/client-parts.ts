import { pino } from 'pino';
import { parseServerPolicy, type ToolPolicy } from '@universal-mcp/core';
import { OutboundHosts, parseHandlers, type connectionMachine } from '@universal-mcp/core/internal';
import { extensionsOf, parseProtocol, taskStoreOf } from './client-config-checks.js';
import { FILE_TOOLS, MACHINE, type UniversalMcpClientOptions } from './client-options.js';
import { EventHub } from './event-hub.js';
import type { UniversalMcpEvents } from './events.js';
import { ServerLifecycle } from './server-lifecycle.js';
import type { ServerRegistry } from './server-registry.js';
import { Telemetry } from './telemetry.js';
import { ToolGate } from './tool-gate.js';
import { TaskManager } from './task-manager.js';

/** What a client is made of besides its servers. */
export interface ClientParts {
  readonly events: EventHub<UniversalMcpEvents>;
  readonly gate: ToolGate;
  readonly telemetry: Telemetry;
  readonly lifecycle: ServerLifecycle;
  readonly tasks: TaskManager;
}

/**
 * A client's parts from its options, every option checked first (an invalid one throws
 * `CONFIG_INVALID` before anything is made; an unreadable pins file too). Stored tasks are read in the background.
 */
export function clientParts(options: UniversalMcpClientOptions, servers: ServerRegistry): ClientParts {
  const defaults = parseServerPolicy(options.defaults);
  const handlers = parseHandlers(options.handlers);
  const extensions = extensionsOf(options);
  const protocol = parseProtocol(options.protocol);
  const outboundHosts = options.outboundHosts === undefined ? undefined : new OutboundHosts(options.outboundHosts);
  const logger = options.logger ?? pino({ level: 'silent' });
  const events = new EventHub<UniversalMcpEvents>((err, event) => logger.error({ err, event }, 'event listener threw'));
  const gate = new ToolGate({
    policy: options.tools ?? (options as { [FILE_TOOLS]?: ToolPolicy })[FILE_TOOLS],
    pins: options.pins,
    changed: (change) => {
      logger.warn({ ...change }, 'tool definition changed');
      events.emit('tool:changed', change);
    },
    saveFailed: (err) => logger.error({ err }, 'pins not saved'),
  });
  const telemetry = new Telemetry(options.telemetry ?? {}, {
    servers: () =>
      servers.servers().map((s) => {
        const info = s.info();
        return { name: s.name, state: info.state, pending: info.pending, queued: info.queued };
      }),
  });
  const shared = {
    logger,
    emitter: events,
    handlers,
    extensions,
    protocol,
    outboundHosts,
    machine: (options as { [MACHINE]?: typeof connectionMachine })[MACHINE],
    telemetry,
  };
  const lifecycle = new ServerLifecycle({ servers, gate, shared, defaults, optionTools: options.tools });
  const tasks = new TaskManager({ servers, events, store: taskStoreOf(options.tasks), log: logger });
  return { events, gate, telemetry, lifecycle, tasks };
}
