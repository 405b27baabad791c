/**
 * One guard for every listener Universal MCP opens (filled in by issue 29, item 3).
 *
 * @packageDocumentation
 */
export {};
