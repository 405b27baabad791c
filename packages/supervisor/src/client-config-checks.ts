import {
  APPS_CLIENT_CAPABILITY,
  APPS_EXTENSION,
  ErrorCode,
  PROTOCOL_2025,
  PROTOCOL_2026,
  UniversalMcpError,
  type ClientExtensions,
  type LoadedConfig,
  type ProtocolSetting,
  type ServerConfig,
} from '@universal-mcp/core';
import { didYouMeanText, type OutboundHosts } from '@universal-mcp/core/internal';
import { FILE_TOOLS, type UniversalMcpClientOptions } from './client-options.js';
import { FileTaskStore } from './file-task-store.js';
import { MemoryTaskStore, type TaskStore } from './task-store.js';

/** The extensions every connection declares, from the facade's options. */
export function extensionsOf(options: UniversalMcpClientOptions): ClientExtensions | undefined {
  if (options.apps !== undefined && typeof options.apps !== 'boolean')
    throw new UniversalMcpError(
      ErrorCode.CONFIG_INVALID,
      `Invalid option apps: expected true or false, got ${JSON.stringify(options.apps)}`,
      { details: { field: 'apps' } },
    );
  return options.apps === true ? { [APPS_EXTENSION]: APPS_CLIENT_CAPABILITY } : undefined;
}

const PROTOCOL_SETTINGS: readonly string[] = ['auto', PROTOCOL_2026, PROTOCOL_2025];

/** The client's `protocol` option, checked as a server config's is (a typo must not silently mean `auto`). */
export function parseProtocol(value: unknown): ProtocolSetting | undefined {
  if (value === undefined || PROTOCOL_SETTINGS.includes(value as string)) return value as ProtocolSetting | undefined;
  const guess = typeof value === 'string' ? didYouMeanText(value, PROTOCOL_SETTINGS, "'") : '';
  const expected = PROTOCOL_SETTINGS.map((v) => `'${v}'`).join(', ');
  throw new UniversalMcpError(
    ErrorCode.CONFIG_INVALID,
    `Invalid option protocol: expected one of ${expected}, got ${JSON.stringify(value)}${guess}`,
    { details: { field: 'protocol' } },
  );
}

/** True for what `loadConfig` returned (as opposed to a file path or a config file's contents). */
export function isLoaded(input: unknown): input is LoadedConfig {
  return (
    typeof input === 'object' &&
    input !== null &&
    Array.isArray((input as LoadedConfig).servers) &&
    'defaults' in input &&
    'disabled' in input
  );
}

/** The config's own URLs (the server's, a cross-app access IdP's) against `outboundHosts`, before anything starts. */
export function checkHosts(hosts: OutboundHosts | undefined, config: ServerConfig): void {
  if (hosts === undefined || config.transport === 'stdio') return;
  hosts.check(config.url, config.name);
  if (config.auth?.type === 'cross_app_access') hosts.check(config.auth.idpTokenEndpoint, config.name);
}

/** fromConfig's client options: the file's `defaults` beneath the options', its hosts, tools and pins where unset. */
export function optionsWithFile(options: UniversalMcpClientOptions, loaded: LoadedConfig): UniversalMcpClientOptions {
  return {
    ...options,
    defaults: { ...loaded.defaults, ...options.defaults },
    outboundHosts: options.outboundHosts ?? loaded.outboundHosts,
    [FILE_TOOLS]: loaded.tools,
    pins: options.pins ?? loaded.pins,
  } as UniversalMcpClientOptions;
}

/** The client's `tasks` option as a store: a path is a {@link FileTaskStore}; unset, one in memory. */
export function taskStoreOf(value: unknown): TaskStore {
  if (value === undefined) return new MemoryTaskStore();
  if (typeof value === 'string' && value.length > 0) return new FileTaskStore(value);
  const store = value as Partial<TaskStore> | null;
  if (
    typeof store === 'object' &&
    store !== null &&
    [store.put, store.get, store.delete, store.list].every((f) => typeof f === 'function')
  )
    return store as TaskStore;
  throw new UniversalMcpError(
    ErrorCode.CONFIG_INVALID,
    'Invalid option tasks: expected a file path or a TaskStore (put, get, delete, list)',
    { details: { field: 'tasks' } },
  );
}
