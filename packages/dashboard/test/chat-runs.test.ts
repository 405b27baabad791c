import { describe, expect, it } from 'vitest';
import { errorText, titleOf } from '../src/chat-runs.js';

describe('what the chat shows of a run', () => {
  it('cuts what looks like an API key out of an error (providers echo part of a rejected key)', () => {
    const text = errorText(new Error('401 Incorrect API key provided: sk-proj-abcdEFGH1234****wxyz. See docs.'));
    expect(text).toBe('401 Incorrect API key provided: sk-[redacted] See docs.');
    expect(errorText('connection refused 127.0.0.1:9')).toBe('connection refused 127.0.0.1:9');
  });

  it('names a conversation after the first line of its first message, at most 60 characters', () => {
    expect(titleOf('  Plan a trip\nto Lisbon')).toBe('Plan a trip');
    expect(titleOf('x'.repeat(80))).toBe(`${'x'.repeat(59)}…`);
  });
});
