// The chat's event reducer (public/chat-state.js), imported as the page serves it: how a run's
// streamed events fold into the open conversation and the status notice.
import { describe, expect, it } from 'vitest';
import { reduce, type ChatState, type OpenConversation } from '../public/chat-state.js';
import type { ChatEvent, PendingApproval } from '../src/index.js';
import type { StoredMessage, StoredToolCall } from '../src/chat-store.js';

const conversation: OpenConversation = {
  id: 'c1',
  title: 'a chat',
  settings: { provider: 'p', model: 'm', system: '', servers: null, toolSelection: false },
  createdAt: 1,
  updatedAt: 1,
  messages: [],
};
const start: ChatState = { current: conversation, notice: '' };
const call: StoredToolCall = { id: 'k1', name: 'echo', server: 's', tool: 'echo', args: { text: 'hi' } };
const approval: PendingApproval = {
  id: 'a1',
  conversationId: 'c1',
  callId: 'k1',
  name: 'echo',
  args: {},
  hints: {},
  trusted: false,
};
const message = (id: number, role: 'user' | 'assistant', content: string): StoredMessage => ({
  id,
  role,
  content,
  createdAt: id,
});

/** Distributes `Omit` over the union, so each event can be written without its conversation. */
type Event = ChatEvent extends infer E ? (E extends ChatEvent ? Omit<E, 'conversationId'> : never) : never;
const events = (...list: Event[]): ChatEvent[] => list.map((e) => ({ conversationId: 'c1', ...e }) as ChatEvent);
const fold = (list: ChatEvent[], state: ChatState = start) => list.reduce(reduce, state);

describe('reduce', () => {
  it('folds a run: text, reasoning, a tool call approved and answered, the step stored, the end', () => {
    const steps = events(
      { type: 'run' },
      { type: 'message', message: message(1, 'user', 'hello') },
      { type: 'reasoning', text: 'thinking ' },
      { type: 'reasoning', text: 'hard' },
      { type: 'delta', text: 'Hel' },
      { type: 'delta', text: 'lo' },
      { type: 'tool-call', call },
      { type: 'approval-request', approval },
    );
    const mid = fold(steps);
    expect(mid.current).toMatchObject({
      running: true,
      messages: [{ id: 1, content: 'hello' }],
      live: { text: 'Hello', reasoning: 'thinking hard', calls: [call], approvals: [approval] },
    });
    const answered = fold(
      events(
        { type: 'approval', callId: 'k1', approved: true },
        { type: 'tool-result', callId: 'k1', outcome: { parts: [], isError: false }, durationMs: 5 },
      ),
      mid,
    );
    expect(answered.current?.live).toMatchObject({
      approvals: [],
      calls: [{ id: 'k1', approval: 'approved', outcome: { parts: [], isError: false }, durationMs: 5 }],
    });
    const stored = fold(events({ type: 'message', message: message(2, 'assistant', 'Hello') }), answered);
    // The stored step leaves the live one: the next step starts empty.
    expect(stored.current?.live).toEqual({ text: '', reasoning: '', calls: [], approvals: [] });
    expect(stored.current?.messages.map((m) => m.id)).toEqual([1, 2]);
    const ended = fold(events({ type: 'end', status: 'done' }), stored);
    expect(ended.current).toMatchObject({ running: false, live: undefined });
  });

  it('marks a denied call, and keeps approvals still asked when a step is stored', () => {
    const other = { ...approval, id: 'a2', callId: 'k2' };
    const state = fold(
      events(
        { type: 'run' },
        { type: 'tool-call', call },
        { type: 'tool-call', call: { ...call, id: 'k2' } },
        { type: 'approval-request', approval },
        { type: 'approval-request', approval: other },
        { type: 'approval', callId: 'k1', approved: false },
        { type: 'message', message: message(3, 'assistant', '') },
      ),
    );
    expect(state.current?.live).toEqual({ text: '', reasoning: '', calls: [], approvals: [other] });
  });

  it('starts a live step for events that come before `run` (a page opened mid-run)', () => {
    const state = fold(events({ type: 'delta', text: 'late' }));
    expect(state.current?.live).toEqual({ text: 'late', reasoning: '', calls: [], approvals: [] });
  });

  it.each<['done' | 'stopped' | 'error', string]>([
    ['done', 'slow provider'],
    ['stopped', 'slow provider'],
    ['error', ''],
  ])('a run that ends %s leaves the notice %j', (status, notice) => {
    const state = fold(events({ type: 'run' }, { type: 'notice', text: 'slow provider' }, { type: 'end', status }));
    expect(state.notice).toBe(notice);
  });

  it.each<[string, ChatState, ChatEvent]>([
    ['another conversation', start, { conversationId: 'c2', type: 'delta', text: 'x' }],
    ['no conversation open', { current: undefined, notice: '' }, { conversationId: 'c1', type: 'run' }],
    ['the list changed', start, { conversationId: '', type: 'conversations' }],
  ])('changes nothing for %s', (_, state, event) => {
    expect(reduce(state, event)).toBe(state);
  });

  it('never changes the state it is given', () => {
    const frozen = structuredClone(start);
    const before = JSON.stringify(frozen);
    fold(
      events({ type: 'run' }, { type: 'delta', text: 'a' }, { type: 'message', message: message(1, 'user', 'u') }),
      frozen,
    );
    expect(JSON.stringify(frozen)).toBe(before);
  });

  it("keeps a task-backed call's status line by call id until the step is stored", () => {
    const task = { id: 't1', status: 'working', statusMessage: 'step 1 of 3' };
    const mid = fold(
      events(
        { type: 'run' },
        { type: 'tool-call', call },
        { type: 'tool-status', callId: 'k1', task },
        { type: 'tool-status', callId: 'k1', task: { ...task, status: 'input_required' } },
      ),
    );
    expect(mid.current?.live?.tasks).toEqual({ k1: { ...task, status: 'input_required' } });
    const stored = fold(events({ type: 'message', message: message(2, 'assistant', '') }), mid);
    expect(stored.current?.live?.tasks).toBeUndefined();
  });
});
