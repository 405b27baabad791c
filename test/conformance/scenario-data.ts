// What both conformance servers (server.ts on SDK v2, server-2025.ts on SDK v1) send where the
// scenarios ask for fixed data: the media, the elicitation forms. Plain data with no SDK type: each
// server casts a form's properties to its own SDK's elicitation schema type.

/** A 1×1 red PNG. */
export const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

/** A WAV header with no samples (8 kHz, mono, 8-bit). */
export const WAV = Buffer.from(
  'RIFF$\0\0\0WAVEfmt \x10\0\0\0\x01\0\x01\0\x40\x1f\0\0\x40\x1f\0\0\x01\0\x08\0data\0\0\0\0',
  'latin1',
).toString('base64');

/** elicitation-sep1034-defaults: one field of each primitive type, each with a default. */
export const DEFAULTS_PROPERTIES: Record<string, object> = {
  name: { type: 'string', default: 'John Doe' },
  age: { type: 'integer', default: 30 },
  score: { type: 'number', default: 95.5 },
  status: { type: 'string', enum: ['active', 'inactive', 'pending'], default: 'active' },
  verified: { type: 'boolean', default: true },
};

/** elicitation-sep1330-enums: every enum form (untitled, titled, legacy enumNames, multi-select). */
export const ENUMS_PROPERTIES: Record<string, object> = {
  untitledSingle: { type: 'string', enum: ['option1', 'option2', 'option3'] },
  titledSingle: {
    type: 'string',
    oneOf: [
      { const: 'value1', title: 'First Option' },
      { const: 'value2', title: 'Second Option' },
      { const: 'value3', title: 'Third Option' },
    ],
  },
  legacyEnum: {
    type: 'string',
    enum: ['opt1', 'opt2', 'opt3'],
    enumNames: ['Option One', 'Option Two', 'Option Three'],
  },
  untitledMulti: { type: 'array', items: { type: 'string', enum: ['option1', 'option2', 'option3'] } },
  titledMulti: {
    type: 'array',
    items: {
      anyOf: [
        { const: 'value1', title: 'First Choice' },
        { const: 'value2', title: 'Second Choice' },
        { const: 'value3', title: 'Third Choice' },
      ],
    },
  },
};

/** What both servers declare: every server feature the scenarios exercise. */
export const CAPABILITIES = {
  tools: { listChanged: true },
  resources: { subscribe: true, listChanged: true },
  prompts: { listChanged: true },
  logging: {},
  completions: {},
};

/** completion-complete: the words starting with what was typed. */
export function complete(typed: string): { completion: { values: string[]; total: number; hasMore: boolean } } {
  const values = ['paris', 'park', 'party', 'test', 'testing'].filter((w) => w.startsWith(typed.toLowerCase()));
  return { completion: { values, total: values.length, hasMore: false } };
}

/**
 * The tools whose answer is fixed, by name: each a CallToolResult (untyped here, cast by each server
 * to its own SDK's type).
 */
export const FIXED_RESULTS: Record<string, { content: object[] }> = {
  test_simple_text: { content: [{ type: 'text', text: 'This is a simple text response for testing.' }] },
  test_image_content: { content: [{ type: 'image', data: PNG, mimeType: 'image/png' }] },
  test_audio_content: { content: [{ type: 'audio', data: WAV, mimeType: 'audio/wav' }] },
  test_embedded_resource: {
    content: [
      {
        type: 'resource',
        resource: {
          uri: 'test://embedded-resource',
          mimeType: 'text/plain',
          text: 'This is an embedded resource content.',
        },
      },
    ],
  },
  test_multiple_content_types: {
    content: [
      { type: 'text', text: 'Multiple content types test:' },
      { type: 'image', data: PNG, mimeType: 'image/png' },
      {
        type: 'resource',
        resource: {
          uri: 'test://mixed-content-resource',
          mimeType: 'application/json',
          text: JSON.stringify({ test: 'data', value: 123 }),
        },
      },
    ],
  },
};
