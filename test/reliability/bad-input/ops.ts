// strata's own /ops API and the process routes: auditors' reads by members, streams that
// hold credentials (identity, tokens), traversal in stream names, and unknown routes.
import { HOSTILE_STRINGS, type BadInputCase, type BadRequest } from './catalogue.js';
import type { Fixtures } from './fixtures.js';

const audit = (stream: (f: Fixtures) => string) => (f: Fixtures): BadRequest => ({ method: 'GET', url: `/ops/v1/audit/${stream(f)}` });
const literal = (stream: string) => audit(() => stream);

export const opsCases: BadInputCase[] = [
  { label: "a member reading an instance's audit history", as: 'alice', request: audit((f) => `instance-${f.aliceServer}`), status: 403 },
  { label: "a member reading another project's image history", as: 'bob', request: audit((f) => `image-${f.privateImage}`), status: 403 },
  { label: 'a reader reading a volume history', as: 'reader', request: audit((f) => `volume-${f.aliceVolume}`), status: 403 },
  { label: 'no token', as: 'none', request: audit((f) => `instance-${f.aliceServer}`), status: 401 },
  { label: 'a forged token', as: 'forged', request: audit((f) => `instance-${f.aliceServer}`), status: 401 },
  { label: 'a revoked token', as: 'revoked', request: audit((f) => `instance-${f.aliceServer}`), status: 401 },
  { label: 'the identity stream (password hashes)', as: 'admin', request: literal('domain-default'), status: 400 },
  { label: 'a token stream (token hashes)', as: 'admin', request: literal('token-0123456789abcdef'), status: 400 },
  { label: 'an image stream name with traversal', as: 'admin', request: literal(`image-${encodeURIComponent(HOSTILE_STRINGS.traversal)}`), status: 400 },
  { label: 'a stream name with NUL', as: 'admin', request: literal('image-a%00b'), status: 400 },
  { label: 'a stream name with RTL override', as: 'admin', request: literal(`image-${encodeURIComponent(HOSTILE_STRINGS.rtlOverride)}`), status: 400 },
  { label: 'a stream name of 400 characters', as: 'admin', request: literal(`image-${'a'.repeat(400)}`), status: 400 },
  { label: 'an unknown instance stream', as: 'admin', request: literal('instance-00000000-0000-4000-8000-000000000000'), status: 404 },
  { label: 'a member listing failures', as: 'alice', request: () => ({ method: 'GET', url: '/ops/v1/failures' }), status: 403 },
  { label: "a member retrying her server's launch", as: 'alice', request: (f) => ({ method: 'POST', url: `/ops/v1/instances/${f.aliceServer}/retry`, json: {} }), status: 403 },
  { label: 'retrying onto a host name with traversal', as: 'admin', request: (f) => ({ method: 'POST', url: `/ops/v1/instances/${f.aliceServer}/retry`, json: { host: HOSTILE_STRINGS.traversal } }), status: 400 },
  { label: 'retrying an unknown instance', as: 'admin', request: () => ({ method: 'POST', url: '/ops/v1/instances/00000000-0000-4000-8000-000000000000/retry', json: {} }), status: 404 },
  { label: 'retrying an instance id of 100 characters', as: 'admin', request: () => ({ method: 'POST', url: `/ops/v1/instances/${'i'.repeat(100)}/retry`, json: {} }), status: 400 },
  { label: 'a retry body that is not JSON', as: 'admin', request: (f) => ({ method: 'POST', url: `/ops/v1/instances/${f.aliceServer}/retry`, body: 'host=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), status: 415 },
  { label: "a member reading a host's image cache", as: 'alice', request: () => ({ method: 'GET', url: '/ops/v1/hosts/compute-1/cache' }), status: 403 },
  { label: 'POST to the metrics endpoint', as: 'none', request: () => ({ method: 'POST', url: '/metrics', json: {} }), status: 404 },
  { label: 'an unknown ops route', as: 'admin', request: () => ({ method: 'GET', url: '/ops/v1/secrets' }), status: 404 },
  { label: 'POST to the liveness probe', as: 'none', request: () => ({ method: 'POST', url: '/healthz', json: {} }), status: 404 },
  { label: 'a traversal outside every service', as: 'none', request: () => ({ method: 'GET', url: '/../../etc/passwd' }), status: 404 },
];
