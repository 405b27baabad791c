// How a conversation's streamed run events fold into what the Chat view shows: the open
// conversation (its messages, whether it runs, the step in progress) and the status notice. Pure
// (no DOM, no vendor import): the view renders the state, this module decides it.

/** @typedef {import('../src/chat-runs.js').ChatEvent} ChatEvent */
/** @typedef {import('../src/chat-runs.js').LiveRun} LiveRun */
/** @typedef {import('../src/chat-store.js').Conversation} Conversation */
/** @typedef {import('../src/chat-store.js').StoredToolCall} StoredToolCall */

/**
 * The open conversation as the page holds it: the stored one, and while it runs the step so far.
 * @typedef {Conversation & { running?: boolean, live?: LiveRun | undefined }} OpenConversation
 */

/**
 * What the events decide.
 * @typedef {{ current: OpenConversation | undefined, notice: string }} ChatState
 */

/** @type {LiveRun} */
const EMPTY = { text: '', reasoning: '', calls: [], approvals: [] };

/**
 * A tool call of the step in progress, changed.
 * @param {LiveRun} live
 * @param {string} callId
 * @param {Partial<StoredToolCall>} change
 * @returns {LiveRun}
 */
const patch = (live, callId, change) => ({
  ...live,
  calls: live.calls.map((c) => (c.id === callId ? { ...c, ...change } : c)),
});

/**
 * The step in progress after one event of the run (unchanged for events that are not about it).
 * @param {LiveRun} live
 * @param {ChatEvent} e
 * @returns {LiveRun}
 */
function liveAfter(live, e) {
  switch (e.type) {
    case 'message':
      // The model's step is stored: the next one starts empty; approvals still asked stay.
      return e.message.role === 'assistant' ? { ...live, text: '', reasoning: '', calls: [], tasks: undefined } : live;
    case 'delta':
      return { ...live, text: live.text + e.text };
    case 'reasoning':
      return { ...live, reasoning: live.reasoning + e.text };
    case 'tool-call':
      return { ...live, calls: [...live.calls, e.call] };
    case 'approval-request':
      return { ...live, approvals: [...live.approvals, e.approval] };
    case 'approval':
      return {
        ...patch(live, e.callId, { approval: e.approved ? 'approved' : 'denied' }),
        approvals: live.approvals.filter((a) => a.callId !== e.callId),
      };
    case 'tool-status':
      return { ...live, tasks: { ...live.tasks, [e.callId]: e.task } };
    case 'tool-result':
      return patch(live, e.callId, {
        outcome: e.outcome,
        durationMs: e.durationMs,
        result: e.result,
        resultCut: e.resultCut,
      });
    default:
      return live;
  }
}

/**
 * The state after one chat event. Events of another conversation than the open one change
 * nothing; `conversations` (the list changed) is the view's to act on and changes nothing here.
 * @param {ChatState} state
 * @param {ChatEvent} e
 * @returns {ChatState}
 */
export function reduce(state, e) {
  const { current } = state;
  if (e.type === 'conversations' || current === undefined || e.conversationId !== current.id) return state;
  switch (e.type) {
    case 'run':
      return { ...state, current: { ...current, running: true, live: EMPTY } };
    case 'notice':
      return { ...state, notice: e.text };
    case 'end':
      // A failed run's error is its last message: a notice from before it would mislead.
      return {
        notice: e.status === 'error' ? '' : state.notice,
        current: { ...current, running: false, live: undefined },
      };
    case 'message':
      return {
        ...state,
        current: { ...current, messages: [...current.messages, e.message], live: liveAfter(current.live ?? EMPTY, e) },
      };
    default:
      return { ...state, current: { ...current, live: liveAfter(current.live ?? EMPTY, e) } };
  }
}
