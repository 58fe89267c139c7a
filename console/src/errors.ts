// OpenStack services answer errors in their own dialects; the console shows the message.
//   Keystone {"error":{"message"}}, Nova/Cinder {"itemNotFound":{"message"}}, Glance {"message"}.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function errorMessageOf(status: number, text: string): string {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    if (typeof body.message === 'string') return body.message;
    for (const value of Object.values(body)) {
      if (value && typeof value === 'object' && typeof (value as { message?: unknown }).message === 'string') return (value as { message: string }).message;
    }
  } catch {
    // Not JSON (a proxy's page, an empty body): fall through to the status.
  }
  return text.trim().length > 0 && text.length < 300 ? `${status}: ${text.trim()}` : `request failed with status ${status}`;
}

/** What to tell the user about anything thrown. */
export function messageOf(failure: unknown): string {
  return failure instanceof Error ? failure.message : String(failure);
}
