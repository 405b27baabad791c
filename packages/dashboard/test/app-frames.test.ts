import { describe, expect, it } from 'vitest';
import { FRAME_TTL_MS, FrameStore, MAX_FRAMES } from '../src/app-routes.js';

describe('FrameStore', () => {
  it('gives a frame once, under a random 128-bit id', () => {
    const frames = new FrameStore();
    const id = frames.add('<p>a</p>', "default-src 'none'");
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(frames.add('<p>b</p>', '')).not.toBe(id);
    expect(frames.take(id)?.html).toBe('<p>a</p>');
    expect(frames.take(id)).toBeUndefined();
  });

  it('forgets a frame not loaded within its time', () => {
    let now = 1_000;
    const frames = new FrameStore(() => now);
    const id = frames.add('<p>late</p>', '');
    now += FRAME_TTL_MS;
    expect(frames.take(id)).toBeUndefined();
  });

  it('keeps at most MAX_FRAMES waiting, dropping the oldest', () => {
    const frames = new FrameStore();
    const ids = Array.from({ length: MAX_FRAMES + 1 }, (_, i) => frames.add(`<p>${i}</p>`, ''));
    expect(frames.take(ids[0] as string)).toBeUndefined();
    expect(frames.take(ids[1] as string)?.html).toBe('<p>1</p>');
    expect(frames.take(ids[MAX_FRAMES] as string)?.html).toBe(`<p>${MAX_FRAMES}</p>`);
  });

  it('keeps the HTML waiting under its byte cap, dropping the oldest', () => {
    const frames = new FrameStore(Date.now, 1000);
    const first = frames.add('a'.repeat(600), '');
    const second = frames.add('b'.repeat(600), '');
    expect(frames.bytes).toBe(600);
    expect(frames.take(first)).toBeUndefined();
    expect(frames.take(second)?.html).toHaveLength(600);
    expect(frames.bytes).toBe(0);
  });

  it('gives back the bytes of expired frames on the next insert', () => {
    let now = 1_000;
    const frames = new FrameStore(() => now, 1000);
    frames.add('a'.repeat(600), '');
    now += FRAME_TTL_MS;
    frames.add('b'.repeat(10), '');
    expect(frames.bytes).toBe(10);
  });
});
