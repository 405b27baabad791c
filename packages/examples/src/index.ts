export { modeFromArgv, serve } from './serve.js';
export type { ServeHandle, ServeMode } from './serve.js';
export { exampleServerPath, startHttpExample } from './spawn-example-server.js';
export type { RunningHttpServer } from './spawn-example-server.js';
