import { isSecretName, type ServerConfig, type StreamableHttpServerConfig } from './config.js';

// What of a server config may be shown or written down (secret names: isSecretName, in config.ts).

const REDACTED = '[redacted]';

function redactUrl(url: string): string {
  const u = new URL(url);
  // A username can be a token too (https://TOKEN@host/): neither part of the credentials is shown.
  if (u.username !== '') u.username = REDACTED;
  if (u.password !== '') u.password = REDACTED;
  for (const key of [...u.searchParams.keys()]) if (isSecretName(key)) u.searchParams.set(key, REDACTED);
  return u.toString();
}

/**
 * A copy of the config safe to log or show: env values, secret-looking headers and URL
 * credentials replaced by `[redacted]`.
 */
export function redactConfig<T extends ServerConfig>(config: T): T {
  if (config.transport === 'stdio') {
    if (config.env === undefined) return { ...config };
    return { ...config, env: Object.fromEntries(Object.keys(config.env).map((k) => [k, REDACTED])) };
  }
  const auth = config.auth === undefined ? {} : { auth: redactAuth(config.auth) };
  const headers =
    config.headers === undefined
      ? undefined
      : Object.fromEntries(Object.entries(config.headers).map(([k, v]) => [k, isSecretName(k) ? REDACTED : v]));
  return { ...config, url: redactUrl(config.url), ...(headers === undefined ? {} : { headers }), ...auth };
}

function redactAuth(
  auth: NonNullable<StreamableHttpServerConfig['auth']>,
): NonNullable<StreamableHttpServerConfig['auth']> {
  switch (auth.type) {
    case 'client_credentials':
      return { ...auth, clientSecret: REDACTED };
    case 'private_key_jwt':
      return { ...auth, privateKey: REDACTED };
    case 'authorization_code':
      return auth.clientSecret === undefined ? auth : { ...auth, clientSecret: REDACTED };
    case 'cross_app_access':
      return { ...auth, clientSecret: REDACTED, idToken: REDACTED };
    case 'oauth':
      // The provider object holds tokens and client secrets: never handed out.
      return { type: 'oauth', provider: REDACTED as unknown as typeof auth.provider };
  }
}
