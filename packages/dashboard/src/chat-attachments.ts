import { DashboardError, DashboardErrorCode, invalidInput } from './dashboard-errors.js';
import { truncateText, type UserImage } from '@universal-mcp/llm';
import type { ReadResourceResult, UniversalMcpClient } from '@universal-mcp/supervisor';
import type { ChatAttachment } from './chat-store.js';

/** The most resources one message takes. */
export const MAX_RESOURCES = 8;
/** The most images one message takes. */
export const MAX_IMAGES = 4;
/** The most text of one attached resource sent to the model, in characters (head and tail kept). */
export const MAX_RESOURCE_CHARS = 256 * 1024;
/** The largest image taken, in bytes (decoded). */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
/** How long reading one attached resource may take. */
const READ_TIMEOUT_MS = 15_000;

/** The image types every provider takes, with the first bytes each file starts with. */
const IMAGE_MAGIC: Readonly<Record<string, (b: Buffer) => boolean>> = {
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/gif': (b) => b.subarray(0, 4).toString('latin1') === 'GIF8',
  'image/webp': (b) =>
    b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
};

/** The image types a message may carry. */
export const IMAGE_TYPES = Object.keys(IMAGE_MAGIC);

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * An image checked: one of {@link IMAGE_TYPES}, whose bytes really start like one (a page or a server
 * may claim any type), at most {@link MAX_IMAGE_BYTES}. An error says which rule it broke.
 */
export function checkedImage(mimeType: unknown, data: unknown, what: string): UserImage {
  if (typeof mimeType !== 'string' || !(mimeType in IMAGE_MAGIC))
    throw invalidInput(`${what}: only ${IMAGE_TYPES.join(', ')} images are taken`);
  // Base64 of MAX_IMAGE_BYTES is 4/3 of it: a longer string is refused before it is decoded.
  if (typeof data !== 'string' || data.length > Math.ceil(MAX_IMAGE_BYTES / 3) * 4 + 4 || !BASE64.test(data))
    throw invalidInput(`${what}: the image must be base64 of at most ${MAX_IMAGE_BYTES} bytes`);
  const bytes = Buffer.from(data, 'base64');
  if (bytes.length > MAX_IMAGE_BYTES) throw invalidInput(`${what}: the image is larger than ${MAX_IMAGE_BYTES} bytes`);
  if (!(IMAGE_MAGIC[mimeType] as (b: Buffer) => boolean)(bytes))
    throw invalidInput(`${what}: the data is not a ${mimeType}`);
  return { mimeType, data };
}

/** A resource to attach, as the page names it. */
export interface ResourceRef {
  readonly server: string;
  readonly uri: string;
  readonly name?: string | undefined;
}

/** The resource references of a request's body; an error saying what is wrong. */
export function resourceRefs(raw: unknown): ResourceRef[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw invalidInput('resources must be a list of { server, uri }');
  if (raw.length > MAX_RESOURCES) throw invalidInput(`At most ${MAX_RESOURCES} resources can be attached to a message`);
  return raw.map((r: unknown) => {
    const ref = r as Record<string, unknown> | null;
    if (typeof ref?.server !== 'string' || typeof ref.uri !== 'string' || ref.uri === '' || ref.uri.length > 2048)
      throw invalidInput('Each resource is { server, uri } (a URI of at most 2048 characters)');
    return {
      server: ref.server,
      uri: ref.uri,
      name: typeof ref.name === 'string' ? ref.name.slice(0, 200) : undefined,
    };
  });
}

/** The images of a request's body (`[{ mimeType, data, name? }]`), each checked. */
export function pastedImages(raw: unknown): ChatAttachment[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw invalidInput('images must be a list of { mimeType, data, name? }');
  if (raw.length > MAX_IMAGES) throw invalidInput(`At most ${MAX_IMAGES} images can be sent with a message`);
  return raw.map((r: unknown, i) => {
    const image = r as Record<string, unknown> | null;
    const name = typeof image?.name === 'string' && image.name !== '' ? image.name.slice(0, 200) : `image ${i + 1}`;
    return { kind: 'image', name, ...checkedImage(image?.mimeType, image?.data, name) };
  });
}

/**
 * A resource read for a message: its text contents joined (cut to {@link MAX_RESOURCE_CHARS}), its
 * image blobs as images; other binary contents named, not sent (no model reads them as text).
 */
export function attachmentsOf(ref: ResourceRef, result: ReadResourceResult): ChatAttachment[] {
  const texts: string[] = [];
  const images: ChatAttachment[] = [];
  let mimeType: string | undefined;
  for (const content of (result.contents ?? []).slice(0, 64)) {
    mimeType ??= typeof content.mimeType === 'string' ? content.mimeType : undefined;
    if ('text' in content && typeof content.text === 'string') texts.push(content.text);
    else if ('blob' in content && typeof content.blob === 'string') {
      try {
        images.push({
          kind: 'image',
          name: ref.name ?? ref.uri,
          server: ref.server,
          uri: ref.uri,
          ...checkedImage(content.mimeType, content.blob, ref.uri),
        });
      } catch {
        texts.push(`[binary content of type ${String(content.mimeType ?? 'unknown')}: not sent to the model]`);
      }
    }
  }
  if (images.length > 0 && texts.length === 0) return images;
  const joined = texts.join('\n\n');
  const resource: ChatAttachment = {
    kind: 'resource',
    server: ref.server,
    uri: ref.uri,
    name: ref.name ?? ref.uri,
    ...(mimeType === undefined ? {} : { mimeType }),
    text: truncateText(joined, MAX_RESOURCE_CHARS),
    ...(joined.length > MAX_RESOURCE_CHARS ? { truncated: true } : {}),
  };
  return [resource, ...images];
}

/** Reads the attached resources through the facade, in order; a read that fails fails the message. */
export async function readAttachments(
  client: UniversalMcpClient,
  refs: readonly ResourceRef[],
  signal?: AbortSignal,
): Promise<ChatAttachment[]> {
  const read = await Promise.all(
    refs.map(async (ref) => {
      try {
        return attachmentsOf(
          ref,
          await client.readResource(ref.server, ref.uri, { timeoutMs: READ_TIMEOUT_MS, signal }),
        );
      } catch (err) {
        throw new DashboardError(
          DashboardErrorCode.UPSTREAM_FAILED,
          `${ref.server}: ${ref.uri} could not be read: ${(err as Error).message}`,
          { cause: err },
        );
      }
    }),
  );
  const attachments = read.flat();
  if (attachments.filter((a) => a.kind === 'image').length > MAX_IMAGES)
    throw invalidInput(`At most ${MAX_IMAGES} images can be sent with a message`);
  return attachments;
}

/** Quotes a value for an attachment's opening tag. */
const attr = (value: string): string => JSON.stringify(value);

/**
 * What the model is given for a user message: the text, then each attached resource between
 * `<attachment>` tags naming its server and URI; the images (pasted, or image resources) apart.
 */
export function modelTurn(
  text: string,
  attachments: readonly ChatAttachment[] = [],
): {
  content: string;
  images: UserImage[];
} {
  const blocks = attachments.flatMap((a) => {
    if (a.kind !== 'resource') return [];
    const type = a.mimeType ? ` mimeType=${attr(a.mimeType)}` : '';
    return [`<attachment server=${attr(a.server)} uri=${attr(a.uri)}${type}>\n${a.text}\n</attachment>`];
  });
  const images = attachments.flatMap((a) => (a.kind === 'image' ? [{ mimeType: a.mimeType, data: a.data }] : []));
  return { content: [text, ...blocks].filter((s) => s !== '').join('\n\n'), images };
}
