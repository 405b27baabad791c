import { describe, expect, it } from 'vitest';
import {
  MAX_IMAGE_BYTES,
  MAX_RESOURCE_CHARS,
  attachmentsOf,
  checkedImage,
  modelTurn,
  pastedImages,
  resourceRefs,
} from '../src/chat-attachments.js';
import { promptMessages, promptRef } from '../src/chat-prompts.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]).toString('base64');
const GIF = Buffer.from('GIF89a....').toString('base64');

describe('checkedImage', () => {
  it('takes an image whose bytes are of the type it claims', () => {
    expect(checkedImage('image/png', PNG, 'a')).toEqual({ mimeType: 'image/png', data: PNG });
    expect(checkedImage('image/gif', GIF, 'a').mimeType).toBe('image/gif');
  });

  it('refuses another type, bytes of another type, non-base64, and an image past 5 MiB', () => {
    expect(() => checkedImage('image/svg+xml', PNG, 'a')).toThrow(/only image\/png/);
    expect(() => checkedImage('image/png', GIF, 'a')).toThrow(/not a image\/png/);
    expect(() => checkedImage('image/png', 'not base64!', 'a')).toThrow(/base64/);
    const big = Buffer.alloc(MAX_IMAGE_BYTES + 1);
    Buffer.from(PNG, 'base64').copy(big);
    expect(() => checkedImage('image/png', big.toString('base64'), 'a')).toThrow(/larger than/);
  });
});

describe('a message body', () => {
  it('takes at most 8 resources and 4 images', () => {
    const refs = Array.from({ length: 9 }, (_, i) => ({ server: 's', uri: `r://${i}` }));
    expect(() => resourceRefs(refs)).toThrow(/At most 8/);
    expect(resourceRefs(refs.slice(0, 2))).toHaveLength(2);
    expect(() => resourceRefs([{ server: 's' }])).toThrow(/server, uri/);
    const images = Array.from({ length: 5 }, () => ({ mimeType: 'image/png', data: PNG }));
    expect(() => pastedImages(images)).toThrow(/At most 4/);
    expect(pastedImages(images.slice(0, 1))).toEqual([
      { kind: 'image', name: 'image 1', mimeType: 'image/png', data: PNG },
    ]);
  });
});

describe('attachmentsOf', () => {
  const ref = { server: 'notes', uri: 'note://1', name: 'note one' };

  it('joins text contents and cuts them at 256 KiB, head and tail kept', () => {
    const long = `${'a'.repeat(MAX_RESOURCE_CHARS)}THE END`;
    const [resource] = attachmentsOf(ref, { contents: [{ uri: ref.uri, mimeType: 'text/plain', text: long }] });
    expect(resource).toMatchObject({ kind: 'resource', server: 'notes', name: 'note one', truncated: true });
    expect(resource?.kind === 'resource' && resource.text.length).toBeLessThanOrEqual(MAX_RESOURCE_CHARS);
    expect(resource?.kind === 'resource' && resource.text.endsWith('THE END')).toBe(true);
  });

  it('makes an image blob an image and names other binary content without sending it', () => {
    expect(attachmentsOf(ref, { contents: [{ uri: ref.uri, mimeType: 'image/png', blob: PNG }] })).toEqual([
      { kind: 'image', name: 'note one', server: 'notes', uri: 'note://1', mimeType: 'image/png', data: PNG },
    ]);
    const [pdf] = attachmentsOf(ref, { contents: [{ uri: ref.uri, mimeType: 'application/pdf', blob: 'JVBERi0=' }] });
    expect(pdf?.kind === 'resource' && pdf.text).toMatch(/binary content of type application\/pdf: not sent/);
  });
});

describe('modelTurn', () => {
  it('puts each resource after the text between attachment tags; images apart', () => {
    const turn = modelTurn('Summarise', [
      { kind: 'resource', server: 'notes', uri: 'note://1', name: 'n', mimeType: 'text/plain', text: 'hello' },
      { kind: 'image', name: 'i', mimeType: 'image/png', data: PNG },
    ]);
    expect(turn).toEqual({
      content: 'Summarise\n\n<attachment server="notes" uri="note://1" mimeType="text/plain">\nhello\n</attachment>',
      images: [{ mimeType: 'image/png', data: PNG }],
    });
  });

  it('quotes a hostile URI so it cannot close the tag', () => {
    const turn = modelTurn('', [{ kind: 'resource', server: 's', uri: 'x"><evil>', name: 'n', text: 't' }]);
    expect(turn.content).toContain('uri="x\\"><evil>"');
  });
});

describe('a prompt', () => {
  it('checks its reference: arguments are strings', () => {
    expect(promptRef({ server: 's', name: 'p' })).toEqual({ server: 's', name: 'p', arguments: {} });
    expect(() => promptRef({ server: 's', name: 'p', arguments: { n: 1 } })).toThrow(/strings/);
    expect(() => promptRef({ name: 'p' })).toThrow(/server, name/);
  });

  it("turns its messages into the conversation's: text, images, embedded resources, the rest named", () => {
    const messages = promptMessages(
      { server: 'notes', name: 'greet', arguments: {} },
      {
        messages: [
          { role: 'user', content: { type: 'text', text: 'Hello' } },
          { role: 'assistant', content: { type: 'text', text: 'Hi' } },
          { role: 'user', content: { type: 'image', mimeType: 'image/png', data: PNG } },
          { role: 'user', content: { type: 'resource', resource: { uri: 'note://2', text: 'two' } } },
          { role: 'user', content: { type: 'audio', mimeType: 'audio/wav', data: 'AAAA' } },
        ],
      },
    );
    expect(messages.map((m) => [m.role, m.content, m.prompt])).toEqual([
      ['user', 'Hello', 'notes/greet'],
      ['assistant', 'Hi', 'notes/greet'],
      ['user', '', 'notes/greet'],
      ['user', '', 'notes/greet'],
      ['user', '[audio content from the prompt: not sent to the model]', 'notes/greet'],
    ]);
    expect(messages[2]?.attachments?.[0]).toMatchObject({ kind: 'image', mimeType: 'image/png' });
    expect(messages[3]?.attachments?.[0]).toMatchObject({ kind: 'resource', uri: 'note://2', text: 'two' });
  });
});
