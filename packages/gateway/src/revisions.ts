// The public entry for what the declarations name (core/internal would bring xstate's declarations
// into a consumer's type check).
import { GatewayError, GatewayErrorCode } from './gateway-errors.js';
import { PROTOCOL_2025, PROTOCOL_2026 } from '@universal-mcp/core';
import { LEGACY_VERSIONS } from '@universal-mcp/core/internal';

/** A protocol revision the gateway can serve: `2025-11-25` stands for the whole 2025 era (and 2024-11-05). */
export type Revision = typeof PROTOCOL_2026 | typeof PROTOCOL_2025;

/** Both, the default. */
export const ALL_REVISIONS: readonly Revision[] = [PROTOCOL_2026, PROTOCOL_2025];

/** Which revisions are served, checked (an unknown or empty list is a mistake, not "none"). */
export function checkRevisions(revisions: readonly string[] | undefined): readonly Revision[] {
  if (revisions === undefined) return ALL_REVISIONS;
  const bad = revisions.filter((r) => !(ALL_REVISIONS as readonly string[]).includes(r));
  if (bad.length > 0 || revisions.length === 0)
    throw new GatewayError(
      GatewayErrorCode.INVALID_OPTIONS,
      `The gateway serves revisions ${ALL_REVISIONS.join(' and ')}, not "${revisions.join(',')}"`,
    );
  return revisions as readonly Revision[];
}

/** The protocol versions a server instance lists as supported for these revisions. */
export function versionsOf(revisions: readonly Revision[]): string[] {
  return [
    ...(revisions.includes(PROTOCOL_2026) ? [PROTOCOL_2026] : []),
    ...(revisions.includes(PROTOCOL_2025) ? LEGACY_VERSIONS : []),
  ];
}
