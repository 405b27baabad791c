// Times and durations as the dashboard writes them.

/** A duration in milliseconds, or a dash. */
export const ms = (v) => (v === undefined ? '–' : `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`);
/** How long ago `t` (ms since the epoch) was, in s, min or h. */
export const since = (t) => {
  if (t === undefined) return '–';
  const s = Math.round((Date.now() - t) / 1000);
  return s < 90 ? `${s} s` : s < 5400 ? `${Math.round(s / 60)} min` : `${Math.round(s / 3600)} h`;
};
/** A time of day. */
export const clock = (t) => new Date(t).toLocaleTimeString();
