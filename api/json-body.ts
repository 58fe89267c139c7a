// JSON request bodies, parsed strictly. Bytes that are not UTF-8 (overlong forms, stray
// continuation bytes) and strings with an unpaired UTF-16 surrogate (`"\ud800"`) are a
// 400: decoded leniently they would be stored as U+FFFD, or as text that no UTF-8 store or
// client can hold, rather than as what the client sent. Prototype-poisoning keys stay
// refused by fastify's own parser, which does the parsing. Only JSON is accepted as a
// structured body: fastify's default text/plain parser is removed, so any other media type
// is a 415 before a handler sees it.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from './errors.js';

type ParserDone = (error: Error | null, body?: unknown) => void;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const LONE_SURROGATE = /\p{Cs}/u;

function holdsLoneSurrogate(value: unknown): boolean {
  if (typeof value === 'string') return LONE_SURROGATE.test(value);
  if (Array.isArray(value)) return value.some(holdsLoneSurrogate);
  if (value !== null && typeof value === 'object') return Object.entries(value).some(([key, inner]) => LONE_SURROGATE.test(key) || holdsLoneSurrogate(inner));
  return false;
}

/** A content-type parser (`parseAs: 'buffer'`) for JSON bodies of any JSON media type. */
export function strictJsonParser(app: FastifyInstance): (request: FastifyRequest, body: string | Buffer, done: ParserDone) => void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  return (request, body, done) => {
    let text: string;
    try {
      text = typeof body === 'string' ? body : utf8.decode(body);
    } catch {
      done(new HttpError(400, 'Malformed request body: it is not valid UTF-8.'));
      return;
    }
    void parseJson(request, text, (error: Error | null, value?: unknown) => {
      if (error) done(error);
      else if (holdsLoneSurrogate(value)) done(new HttpError(400, 'Malformed request body: a string holds an unpaired UTF-16 surrogate.'));
      else done(null, value);
    });
  };
}

/** Replaces fastify's JSON and text parsers on `app` (call before registering services). */
export function useStrictJsonBodies(app: FastifyInstance): void {
  const parser = strictJsonParser(app);
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, parser);
}
