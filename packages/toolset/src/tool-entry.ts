import type { Tool, ToolChange } from '@universal-mcp/supervisor';

/** One tool of a toolset: its unique name there, where it lives, and what the client's tool policy says of it. */
export interface ToolEntry {
  /** The provider-safe name (`^[a-zA-Z][a-zA-Z0-9_-]{0,63}$`), unique in the toolset. */
  readonly name: string;
  /** The server it is on. */
  readonly server: string;
  /** Its name on that server. */
  readonly tool: string;
  readonly description: string;
  /** Annotated `readOnlyHint: true` (the server's own claim: see `needsApproval`). */
  readonly readOnly: boolean;
  /**
   * A call needs a person's approval, as the client's tool policy says (`client.toolAccess`): an
   * untrusted server's `readOnlyHint` does not spare it.
   */
  readonly needsApproval: boolean;
  /** Its server is marked `trusted`. */
  readonly trusted: boolean;
  /** Set while its definition differs from the pinned one, or it shadows another server's tool, until accepted. */
  readonly change?: ToolChange | undefined;
  /** The MCP tool as the server listed it. */
  readonly definition: Tool;
}
