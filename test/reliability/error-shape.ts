// What every refused request must answer: the OpenStack error body of the service it went
// to (api/errors.ts makes them), with a message and no stack trace.
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { errorBody, type ErrorDialect } from '../../api/errors.js';

/** The dialect of the service `url` belongs to; strata's own routes answer Keystone's form. */
export function dialectOf(url: string): ErrorDialect {
  if (url.startsWith('/image')) return 'glance';
  if (url.startsWith('/compute') || url.startsWith('/volume')) return 'nova';
  return 'keystone';
}

/** Asserts the body is exactly the dialect's error for `status`; returns its message. */
export function expectErrorBody(response: LightMyRequestResponse, url: string, status = response.statusCode): string {
  const dialect = dialectOf(url);
  const body = response.json<Record<string, unknown>>();
  const fault = (dialect === 'glance' ? body : Object.values(body)[0]) as { message?: unknown } | undefined;
  expect(typeof fault?.message, `${url}: ${response.body}`).toBe('string');
  const message = fault!.message as string;
  expect(body, url).toEqual(errorBody(dialect, status, message));
  expect(message).not.toMatch(/\n\s+at /);
  return message;
}
