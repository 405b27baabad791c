/**
 * Every supervised MCP server behind one MCP endpoint: `createGateway(client)` serves the merged
 * tools, prompts and resources over Streamable HTTP and stdio (or any SDK transport), to 2026-07-28
 * clients (stateless requests) and 2025-era ones (sessions) alike.
 * @packageDocumentation
 * @module @universal-mcp/gateway
 */
export { Gateway, createGateway } from './gateway.js';
export type { GatewayOptions } from './gateway.js';
export type { CatalogOptions, GatewayCatalogOptions, ExposeOptions } from './gateway-catalog.js';
export type { GatewayEndpoint, HttpListener, ListenOptions } from './listen-options.js';
export type { ResourceRef } from './resource-names.js';
export { MemoryEventStore } from './event-store.js';
export { RequestRouter, createRequestRouter } from './request-router.js';
export type { DownstreamCaller, InputKind } from './downstream-caller.js';
export type { Revision } from './revisions.js';
export type { Era } from './session-server.js';
export { GATEWAY_ERROR_STATUS, GatewayError, GatewayErrorCode } from './gateway-errors.js';
