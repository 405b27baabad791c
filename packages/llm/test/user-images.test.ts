import { describe, expect, it } from 'vitest';
import { aiSdkMessages } from '../src/adapters/ai-sdk.js';
import { anthropicMessagesOf } from '../src/adapters/anthropic.js';
import { chatMessages } from '../src/adapters/openai-chat.js';
import { responsesInput } from '../src/adapters/openai-responses.js';
import type { ChatMessage } from '../src/model.js';

const PNG = 'iVBORw0KGgo=';
const withImage: ChatMessage[] = [
  { role: 'user', content: 'what is this?', images: [{ mimeType: 'image/png', data: PNG }] },
];
const plain: ChatMessage[] = [{ role: 'user', content: 'hello' }];

describe("a user's images in each provider's format", () => {
  it('OpenAI Chat Completions: a text part and an image_url data URL', () => {
    expect(chatMessages(undefined, withImage)).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'what is this?' },
          { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
        ],
      },
    ]);
  });

  it('OpenAI Responses: input_text and input_image', () => {
    expect(responsesInput(withImage)).toEqual([
      {
        role: 'user',
        content: [
          { type: 'input_text', text: 'what is this?' },
          { type: 'input_image', image_url: `data:image/png;base64,${PNG}` },
        ],
      },
    ]);
  });

  it('Anthropic: a base64 image block before the text', () => {
    expect(anthropicMessagesOf(withImage)).toEqual([
      {
        role: 'user',
        content: [
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
          { type: 'text', text: 'what is this?' },
        ],
      },
    ]);
  });

  it('AI SDK: a text part and an image part', () => {
    expect(aiSdkMessages(withImage)).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'what is this?' },
          { type: 'image', image: PNG, mediaType: 'image/png' },
        ],
      },
    ]);
  });

  it('a message without images keeps its plain string content everywhere', () => {
    for (const out of [
      chatMessages(undefined, plain),
      responsesInput(plain),
      anthropicMessagesOf(plain),
      aiSdkMessages(plain),
    ])
      expect(out).toEqual([{ role: 'user', content: 'hello' }]);
  });

  it('an image without text sends no empty text part (Anthropic answers 400 to one)', () => {
    const only: ChatMessage[] = [{ role: 'user', content: '', images: [{ mimeType: 'image/png', data: PNG }] }];
    const contents = [
      chatMessages(undefined, only),
      responsesInput(only),
      anthropicMessagesOf(only),
      aiSdkMessages(only),
    ].map((out) => (out[0] as { content: { type: string }[] }).content);
    for (const content of contents) {
      expect(content).toHaveLength(1);
      expect(content[0]?.type).toMatch(/image/);
    }
  });
});
