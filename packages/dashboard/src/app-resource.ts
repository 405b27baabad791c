// An MCP App's resource as the dashboard renders it: the HTML and what its `_meta.ui` asks for (CSP
// domains, browser permissions, a border). The server wrote all of it, so all of it is hostile
// input: the HTML is bounded, and a domain is kept only when it is a plain origin that cannot break
// out of the CSP header it goes into.
import { APP_MIME_TYPE } from '@universal-mcp/core';

/** The largest App HTML rendered, in bytes (UTF-8). */
export const MAX_APP_HTML_BYTES = 8 * 1024 * 1024;
/** Domains kept per CSP list; the rest are dropped. */
export const MAX_APP_DOMAINS = 32;

/** The origins an App declared it needs, each list already checked (see {@link appDomain}). */
export interface AppCsp {
  /** `connect-src`: fetch, XHR, WebSocket. */
  readonly connectDomains: readonly string[];
  /** `script-src`, `style-src`, `img-src`, `font-src`, `media-src`. */
  readonly resourceDomains: readonly string[];
  /** `frame-src`: nested frames. */
  readonly frameDomains: readonly string[];
  /** `base-uri`. */
  readonly baseUriDomains: readonly string[];
}

/** Browser features an App asked for; each maps to the iframe's `allow` attribute. */
export interface AppPermissions {
  readonly camera?: true;
  readonly microphone?: true;
  readonly geolocation?: true;
  readonly clipboardWrite?: true;
}

/** An App ready to be framed. */
export interface AppResource {
  readonly html: string;
  readonly csp: AppCsp;
  readonly permissions: AppPermissions;
  /** Whether the App would like a border drawn around it; undefined: the host decides. */
  readonly prefersBorder?: boolean | undefined;
}

/** Why a resource cannot be rendered as an App. */
export class AppResourceError extends Error {
  constructor(
    readonly code: 'APP_NOT_FOUND' | 'APP_TOO_LARGE',
    message: string,
  ) {
    super(message);
    this.name = 'AppResourceError';
  }
}

const PERMISSIONS = ['camera', 'microphone', 'geolocation', 'clipboardWrite'] as const;
const CSP_LISTS = ['connectDomains', 'resourceDomains', 'frameDomains', 'baseUriDomains'] as const;
// A secure origin (https/wss, any host, optional `*.` and port), or plain http/ws on the loopback
// names only. Nothing else: no path, no quotes, no `;`, `,` or space that could end a directive.
const SECURE = /^(https|wss):\/\/(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(:\d{1,5})?$/;
const LOOPBACK = /^(http|ws):\/\/(localhost|127\.0\.0\.1)(:\d{1,5})?$/;
const MAX_DOMAIN_CHARS = 253 + 16;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A declared domain as it may go into a CSP directive, or undefined when it is not a plain origin. */
export function appDomain(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > MAX_DOMAIN_CHARS) return undefined;
  const domain = value.toLowerCase().replace(/\/$/, '');
  return SECURE.test(domain) || LOOPBACK.test(domain) ? domain : undefined;
}

/** The `_meta.ui` of a resource's content or list entry, read into lists that are safe to use. */
export function appUiMeta(meta: unknown): Omit<AppResource, 'html'> {
  const ui = isRecord(meta) && isRecord(meta.ui) ? meta.ui : {};
  const declared = isRecord(ui.csp) ? ui.csp : {};
  const list = (value: unknown): string[] =>
    Array.isArray(value)
      ? [...new Set(value.slice(0, MAX_APP_DOMAINS * 4).map(appDomain))]
          .filter((d): d is string => d !== undefined)
          .slice(0, MAX_APP_DOMAINS)
      : [];
  const csp = Object.fromEntries(CSP_LISTS.map((key) => [key, list(declared[key])])) as unknown as AppCsp;
  const asked = isRecord(ui.permissions) ? ui.permissions : {};
  const permissions: Record<string, true> = {};
  for (const key of PERMISSIONS) if (isRecord(asked[key]) || asked[key] === true) permissions[key] = true;
  return {
    csp,
    permissions,
    ...(typeof ui.prefersBorder === 'boolean' ? { prefersBorder: ui.prefersBorder } : {}),
  };
}

/** The `allow` attribute for an App's iframe: only the permissions it asked for. */
export function allowAttribute(permissions: AppPermissions): string {
  const features = {
    camera: 'camera',
    microphone: 'microphone',
    geolocation: 'geolocation',
    clipboardWrite: 'clipboard-write',
  };
  return PERMISSIONS.filter((p) => permissions[p] === true)
    .map((p) => features[p])
    .join('; ');
}

/**
 * The App in a `resources/read` result: its one content of MIME type {@link APP_MIME_TYPE} (text,
 * or a base64 blob), at most {@link MAX_APP_HTML_BYTES}, with that content's `_meta.ui` (or the
 * resource list entry's, `listed`, when the content has none).
 * @throws AppResourceError `APP_NOT_FOUND` when there is no such content, `APP_TOO_LARGE` past the bound.
 */
export function appResource(result: unknown, listed?: unknown): AppResource {
  const contents = isRecord(result) && Array.isArray(result.contents) ? result.contents : [];
  const content = contents.find(
    (c): c is Record<string, unknown> =>
      isRecord(c) && typeof c.mimeType === 'string' && c.mimeType.replace(/\s+/g, '').toLowerCase() === APP_MIME_TYPE,
  );
  if (content === undefined)
    throw new AppResourceError('APP_NOT_FOUND', `The resource has no content of type ${APP_MIME_TYPE}`);
  const tooLarge = () =>
    new AppResourceError('APP_TOO_LARGE', `The App's HTML is larger than ${MAX_APP_HTML_BYTES} bytes`);
  let html: string;
  if (typeof content.text === 'string') {
    // A UTF-16 length past the bound in bytes could still be under it only if it is short: check both.
    if (content.text.length > MAX_APP_HTML_BYTES || Buffer.byteLength(content.text) > MAX_APP_HTML_BYTES)
      throw tooLarge();
    html = content.text;
  } else if (typeof content.blob === 'string') {
    // The length bounds the decoding's cost; the decoded size is the bound itself.
    if (content.blob.length > Math.ceil(MAX_APP_HTML_BYTES / 3) * 4 + 4) throw tooLarge();
    const bytes = Buffer.from(content.blob, 'base64');
    if (bytes.length > MAX_APP_HTML_BYTES) throw tooLarge();
    html = bytes.toString('utf8');
  } else throw new AppResourceError('APP_NOT_FOUND', 'The App content has neither text nor blob');
  const own = isRecord(content._meta) && isRecord(content._meta.ui) ? content._meta : listed;
  return { html, ...appUiMeta(own) };
}
