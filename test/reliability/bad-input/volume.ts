// Cinder v3: another project's volume by id or through another project's path, sizes and
// sources strata refuses, ids with traversal, and malformed or oversized bodies.
import { HOSTILE_STRINGS, hugeJson, overlongUtf8Json, raw, type BadInputCase, type BadRequest } from './catalogue.js';
import type { Fixtures } from './fixtures.js';

const UNKNOWN = '7a8b9c0d-0000-4000-8000-000000000000';

const v3 = (f: Fixtures, project = f.aliceProject) => `/volume/v3/${project}`;
const create = (volume: unknown) => (f: Fixtures): BadRequest => ({ method: 'POST', url: `${v3(f)}/volumes`, json: { volume } });
const ownVolume = (method: BadRequest['method']) => (f: Fixtures): BadRequest => ({ method, url: `${v3(f)}/volumes/${f.aliceVolume}` });
const bobsPath = (method: BadRequest['method']) => (f: Fixtures): BadRequest => ({ method, url: `${v3(f, f.bobProject)}/volumes/${f.aliceVolume}` });
const list = (query: string) => (f: Fixtures): BadRequest => ({ method: 'GET', url: `${v3(f)}/volumes${query}` });

export const volumeCases: BadInputCase[] = [
  // Another project's volume.
  { label: "reading another project's volume by id", as: 'bob', request: bobsPath('GET'), status: 404 },
  { label: "deleting another project's volume by id", as: 'bob', request: bobsPath('DELETE'), status: 404 },
  { label: "reading it through its owner's path", as: 'bob', request: ownVolume('GET'), status: 400, message: 'Malformed request url' },
  { label: "deleting it through its owner's path", as: 'bob', request: ownVolume('DELETE'), status: 400 },
  { label: "listing another project's volumes through its path", as: 'bob', request: list(''), status: 400 },
  { label: 'creating a volume in another project', as: 'bob', request: (f) => ({ method: 'POST', url: `${v3(f)}/volumes`, json: { volume: { size: 1 } } }), status: 400 },
  { label: 'a reader deleting her project\'s volume', as: 'reader', request: ownVolume('DELETE'), status: 403 },
  { label: 'a reader creating a volume', as: 'reader', request: create({ size: 1 }), status: 403 },
  { label: 'no token', as: 'none', request: ownVolume('GET'), status: 401 },
  { label: 'an expired token', as: 'expired', request: ownVolume('GET'), status: 401 },
  { label: 'a forged token', as: 'forged', request: create({ size: 1 }), status: 401 },

  // Sizes, names and sources.
  { label: 'size zero', as: 'alice', request: create({ size: 0 }), status: 400 },
  { label: 'a negative size', as: 'alice', request: create({ size: -1 }), status: 400 },
  { label: 'a fractional size', as: 'alice', request: create({ size: 1.5 }), status: 400 },
  { label: 'a size that is a word', as: 'alice', request: create({ size: 'one' }), status: 400 },
  { label: 'a size of 2^53', as: 'alice', request: create({ size: 2 ** 53 }), status: 400 },
  { label: 'no size', as: 'alice', request: create({ name: 'nosize' }), status: 400 },
  { label: 'a volume from a snapshot', as: 'alice', request: create({ size: 1, snapshot_id: UNKNOWN }), status: 400 },
  { label: 'a volume from an image', as: 'alice', request: create({ size: 1, imageRef: UNKNOWN }), status: 400 },
  { label: 'an unknown availability zone', as: 'alice', request: create({ size: 1, availability_zone: 'atlantis' }), status: 400 },
  { label: 'a name of 256 characters', as: 'alice', request: create({ size: 1, name: 'v'.repeat(256) }), status: 400 },
  { label: 'a name with a lone surrogate', as: 'alice', request: (f) => raw('POST', `${v3(f)}/volumes`, '{"volume":{"size":1,"name":"a\\ud800"}}'), status: 400 },
  { label: 'a name in overlong UTF-8', as: 'alice', request: (f) => raw('POST', `${v3(f)}/volumes`, overlongUtf8Json('{"volume":{"size":1,"name":"v', '"}}')), status: 400 },
  { label: 'metadata values that are numbers', as: 'alice', request: create({ size: 1, metadata: { k: 1 } }), status: 400 },
  { label: 'a volume that is a list', as: 'alice', request: (f) => ({ method: 'POST', url: `${v3(f)}/volumes`, json: { volume: [1] } }), status: 400 },

  // Ids, paths and bodies.
  { label: 'a path-traversal volume id', as: 'alice', request: (f) => ({ method: 'GET', url: `${v3(f)}/volumes/${encodeURIComponent(HOSTILE_STRINGS.traversal)}` }), status: 404 },
  { label: 'a volume id of 300 characters', as: 'alice', request: (f) => ({ method: 'GET', url: `${v3(f)}/volumes/${'v'.repeat(300)}` }), status: 400 },
  { label: 'an unknown volume', as: 'alice', request: (f) => ({ method: 'DELETE', url: `${v3(f)}/volumes/${UNKNOWN}` }), status: 404 },
  { label: 'a dot-dot project segment (resolved away: no such route)', as: 'alice', request: () => ({ method: 'GET', url: '/volume/v3/../volumes' }), status: 404 },
  { label: 'a project segment with an encoded slash', as: 'alice', request: (f) => ({ method: 'GET', url: `/volume/v3/${f.aliceProject}%2F..%2F${f.bobProject}/volumes` }), status: 400 },
  { label: 'a list limit that is negative', as: 'alice', request: list('?limit=-5'), status: 400 },
  { label: 'an unknown list marker', as: 'alice', request: list(`?marker=${UNKNOWN}`), status: 400 },
  { label: 'malformed JSON', as: 'alice', request: (f) => raw('POST', `${v3(f)}/volumes`, '{"volume": {"size": 1'), status: 400 },
  { label: 'a create over the body limit', as: 'alice', request: (f) => raw('POST', `${v3(f)}/volumes`, hugeJson((filler) => ({ volume: { size: 1, description: filler } }))), status: 413 },
  { label: 'a create as text/plain', as: 'alice', request: (f) => raw('POST', `${v3(f)}/volumes`, '{"volume":{"size":1}}', 'text/plain'), status: 415 },
];
