import { ErrorCode, UniversalMcpError, type IntensityPolicy } from '@universal-mcp/core';

/** What a request to a server being stopped (removed, or the client closed) fails with. */
export function removedError(server: string): UniversalMcpError {
  return new UniversalMcpError(ErrorCode.CLOSED, `Server "${server}" was removed`, { server });
}

/** What a request to a server the supervisor gave up fails with; `cause` is why it was given up. */
export function givenUpError(server: string, cause: UniversalMcpError): UniversalMcpError {
  return new UniversalMcpError(ErrorCode.SERVER_UNAVAILABLE, `Server "${server}" was given up: ${cause.message}`, {
    server,
    cause,
  });
}

/** Why a server is given up when its restarts pass the intensity limit; `cause` is the last failure. */
export function intensityError(
  server: string,
  intensity: IntensityPolicy,
  cause: UniversalMcpError,
): UniversalMcpError {
  const { maxRestarts, windowMs } = intensity;
  return new UniversalMcpError(
    ErrorCode.SERVER_UNAVAILABLE,
    `Server "${server}" was given up: more than ${maxRestarts} restarts in ${windowMs} ms`,
    { server, cause },
  );
}
