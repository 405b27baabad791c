/**
 * A live operator dashboard for the servers of a `UniversalMcpClient`: states, restarts, queues,
 * latency and actions, in a browser.
 * @packageDocumentation
 * @module @universal-mcp/dashboard
 */
export { createDashboard, createDashboardHandler } from './dashboard.js';
export type { Dashboard, DashboardHandler, DashboardOptions } from './dashboard.js';
export { Fleet } from './fleet.js';
export type {
  CatalogTool,
  ErrorEntry,
  RestartEntry,
  ServerCard,
  ServerCatalog,
  ServerDetail,
  TimelineEntry,
} from './fleet.js';
export { History } from './history.js';
export { redact } from './redaction.js';
export type { HistoryEntry, HistoryOptions } from './history.js';
export type { CallUpdate } from './dashboard-calls.js';
export { ConsoleRequests, DashboardRequests } from './dashboard-requests.js';
export type { PendingRequest } from './dashboard-requests.js';
export type { TaskChange, TaskRow } from './dashboard-tasks.js';
export { ChatRuns, historyOf } from './chat-runs.js';
export type { ChatEvent, ChatProvider, LiveRun } from './chat-runs.js';
export type { FlaggedChange, PendingApproval, ToolHints } from './chat-approvals.js';
export type { Chat, ChatOptions } from './chat-routes.js';
export { SqliteChatStore } from './sqlite-chat-store.js';
export type { SqliteChatStoreOptions } from './sqlite-chat-store.js';
export type {
  ChatStore,
  Conversation,
  ConversationSettings,
  ConversationSummary,
  NewMessage,
  SearchHit,
  StoredMessage,
  StoredToolCall,
} from './chat-store.js';
export { conversationJson, conversationMarkdown } from './chat-export.js';
export { DASHBOARD_ERROR_STATUS, DashboardError, DashboardErrorCode } from './dashboard-errors.js';
