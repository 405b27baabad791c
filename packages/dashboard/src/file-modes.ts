// What the dashboard writes down (call history, conversations) can hold what no redaction rule
// catches: its files are the owner's alone.

/** Mode of the files the dashboard writes. */
export const FILE_MODE = 0o600;
/** Mode of the directories it creates. */
export const DIR_MODE = 0o700;
