import type { Session } from '../src/session-types.js';

/**
 * A {@link Session} with no server behind it, for tests of what drives sessions (the machine):
 * it closes, knows nothing of its server, and refuses every request. `overrides` replace members.
 */
export function stubSession(overrides: Partial<Session> = {}): Session {
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  const refuse = (): Promise<never> => Promise.reject(new Error('the stub session serves no requests'));
  return {
    server: 'stub',
    closed,
    era: '2025-11-25',
    protocolVersion: undefined,
    verdict: undefined,
    instructions: undefined,
    sessionId: undefined,
    serverVersion: undefined,
    capabilities: undefined,
    pid: undefined,
    exit: undefined,
    freshness: () => undefined,
    watch: () => () => undefined,
    listCatalog: refuse,
    listTools: refuse,
    callTool: refuse,
    tasks: false,
    startTool: refuse,
    getTask: refuse,
    updateTask: refuse,
    answerTask: refuse,
    cancelTask: refuse,
    readResource: refuse,
    subscribeResource: refuse,
    unsubscribeResource: refuse,
    getPrompt: refuse,
    complete: refuse,
    setLoggingLevel: refuse,
    rootsChanged: refuse,
    ping: refuse,
    close: async () => resolveClosed(),
    ...overrides,
  };
}
