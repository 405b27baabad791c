/**
 * A live operator console for the servers of a `UniversalMcpClient`: states, restarts, queues,
 * latency and actions, in a browser.
 * @packageDocumentation
 * @module @universal-mcp/dashboard
 */
export { createDashboard, createDashboardHandler } from './dashboard.js';
export type { Dashboard, DashboardHandler, DashboardOptions } from './dashboard.js';
export { Fleet } from './fleet.js';
export type { ServerCard, ServerDetail, TimelineEntry } from './fleet.js';
export { History, redact } from './history.js';
export type { HistoryEntry, HistoryOptions } from './history.js';
export type { CallUpdate } from './console-calls.js';
export { ConsoleRequests } from './console-requests.js';
export type { PendingRequest } from './console-requests.js';
