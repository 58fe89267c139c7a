// Bounds every application service puts on its waits, so that an API request answers
// (with an error if need be) rather than hangs.

/** How long a command waits for the read model to show the events it appended. */
export const READ_YOUR_WRITES_TIMEOUT_MS = 5_000;
/** How long a call to Temporal (start, cancel, describe) may take. */
export const TEMPORAL_CALL_TIMEOUT_MS = 10_000;
