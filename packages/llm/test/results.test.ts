import { describe, expect, it } from 'vitest';
import { ErrorCode, UniversalMcpError } from '@universal-mcp/supervisor';
import {
  aiSdkModelOutput,
  anthropicToolResult,
  geminiFunctionResponse,
  openAiResponsesOutput,
} from '../src/provider-formats.js';
import { outcomeOf, outcomeOfError, outcomeText, truncateText } from '../src/results.js';

const png = 'iVBORw0KGgo=';

describe('tool results for a model', () => {
  const mixed = outcomeOf(
    {
      content: [
        { type: 'text', text: 'here it is' },
        { type: 'image', mimeType: 'image/png', data: png },
        { type: 'audio', mimeType: 'audio/wav', data: 'UklGRg==' },
        { type: 'resource', resource: { uri: 'file:///a.txt', text: 'inside' } },
        { type: 'resource_link', uri: 'file:///b.pdf', name: 'b.pdf' },
      ],
    },
    20_000,
  );

  it('keeps text and images, describes audio and links, inlines embedded text', () => {
    expect(mixed.parts).toEqual([
      { type: 'text', text: 'here it is' },
      { type: 'image', mimeType: 'image/png', data: png },
      { type: 'text', text: expect.stringMatching(/^\[audio: audio\/wav, \d+ bytes — not passed on/) },
      { type: 'text', text: '[resource file:///a.txt]\ninside' },
      { type: 'text', text: '[resource link: file:///b.pdf (b.pdf)]' },
    ]);
  });

  it('maps to each provider: images where taken, a note where not; isError never a success', () => {
    expect(outcomeText(mixed)).toMatch(/\[image: image\/png, \d+ bytes — this model API does not take images/);
    expect(openAiResponsesOutput(mixed)).toContainEqual({
      type: 'input_image',
      image_url: `data:image/png;base64,${png}`,
    });
    expect(anthropicToolResult('t1', mixed)).toMatchObject({
      type: 'tool_result',
      tool_use_id: 't1',
      is_error: false,
      content: expect.arrayContaining([
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } },
      ]),
    });
    expect(geminiFunctionResponse('f', mixed)[1]).toEqual({ inlineData: { mimeType: 'image/png', data: png } });
    expect(aiSdkModelOutput(mixed)).toMatchObject({
      type: 'content',
      value: expect.arrayContaining([{ type: 'image-data', data: png, mediaType: 'image/png' }]),
    });

    const failed = outcomeOf({ isError: true, content: [{ type: 'text', text: 'no such file' }] }, 100);
    expect(outcomeText(failed)).toBe('Error: no such file');
    expect(anthropicToolResult('t2', failed)).toMatchObject({ is_error: true });
    expect(geminiFunctionResponse('f', failed)[0]).toEqual({
      functionResponse: { name: 'f', response: { error: 'no such file' } },
    });
    expect(aiSdkModelOutput(failed)).toEqual({ type: 'error-text', value: 'Error: no such file' });
  });

  it('a failed call becomes an error result with the code, and says when trying again may help', () => {
    const down = outcomeOfError(new UniversalMcpError(ErrorCode.SERVER_UNAVAILABLE, 'Server "x" is not ready'));
    expect(down.isError).toBe(true);
    expect(outcomeText(down)).toMatch(/^Error: SERVER_UNAVAILABLE: Server "x" is not ready\. This is temporary/);
    expect(outcomeText(outcomeOfError(new UniversalMcpError(ErrorCode.INVALID_ARGUMENTS, 'bad')))).not.toMatch(
      /temporary/,
    );
  });

  it('structured content stands in when there is no text; megabytes are cut in the middle', () => {
    expect(outcomeOf({ content: [], structuredContent: { n: 1 } }, 100).parts).toEqual([
      { type: 'text', text: '{"n":1}' },
    ]);
    const big = `${'a'.repeat(1_000_000)}THE END`;
    const cut = outcomeText(outcomeOf({ content: [{ type: 'text', text: big }] }, 1000));
    expect(cut.length).toBeLessThanOrEqual(1000);
    expect(cut).toMatch(/^a+\n\n\[… \d+ characters left out …\]\n\na+THE END$/);
    expect(truncateText('short', 10)).toBe('short');
  });
});
