// The catalogue of bad requests, one line each: who sends what, to which fixture image,
// and the status Glance answers.
import type { LightMyRequestResponse } from 'fastify';
import { randomUUID } from 'node:crypto';
import { patchImage, uploadData, type Session } from '../support/image-harness.js';

export interface Fixtures {
  active: string;
  protectedImage: string;
  deactivated: string;
  queuedQcow2: string;
  queuedRaw: string;
  noFormats: string;
  privateImage: string;
  publicImage: string;
  backingFile: Buffer;
  aliceProject: string;
  bobProject: string;
}

export interface BadInputCase {
  label: string;
  as: 'admin' | 'alice' | 'bob';
  /** The image whose state must not change (default: the active one). */
  image?: (f: Fixtures) => string;
  send(session: Session, f: Fixtures): Promise<LightMyRequestResponse>;
  status: number;
  headers?: Record<string, string>;
  /** A refused upload leaves ImageUploadStarted + ImageUploadFailed in the log (the state is unchanged). */
  recordsFailedUpload?: boolean;
}

const patch = (operations: unknown, mediaType?: string) => (session: Session, f: Fixtures) => patchImage(session, f.active, operations, mediaType);
const v21 = (op: string, path: string, value?: unknown) => [{ op, path, ...(value === undefined ? {} : { value }) }];
const upload = (pick: (f: Fixtures) => string, data: (f: Fixtures) => Buffer) => (session: Session, f: Fixtures) => uploadData(session, pick(f), data(f));
const download = (range: string) => (session: Session, f: Fixtures) => session.call('GET', `/v2/images/${f.active}/file`, { headers: { range } });
const create = (json: unknown) => (session: Session) => session.call('POST', '/v2/images', { json });
const list = (query: string) => (session: Session) => session.call('GET', `/v2/images?${query}`);
const importWith = (method: unknown) => (session: Session, f: Fixtures) => session.call('POST', `/v2/images/${f.queuedQcow2}/import`, { json: { method } });
const ACCEPT_PATCH = 'application/openstack-images-v2.1-json-patch, application/openstack-images-v2.0-json-patch';
const octet = { 'content-type': 'application/octet-stream' };

export const badInputCases: BadInputCase[] = [
  // PATCH: media types and JSON patch documents
  { label: 'PATCH as application/json', as: 'alice', send: patch(v21('replace', '/name', 'x'), 'application/json'), status: 415, headers: { 'accept-patch': ACCEPT_PATCH } },
  { label: 'PATCH as text/plain', as: 'alice', send: patch(v21('replace', '/name', 'x'), 'text/plain'), status: 415 },
  { label: 'PATCH with malformed JSON', as: 'alice', send: (s, f) => s.call('PATCH', `/v2/images/${f.active}`, { body: '[{"op":', headers: { 'content-type': 'application/openstack-images-v2.1-json-patch' } }), status: 400 },
  { label: 'PATCH with an object, not an array', as: 'alice', send: patch({ op: 'replace', path: '/name', value: 'x' }), status: 400 },
  { label: 'PATCH op move', as: 'alice', send: patch([{ op: 'move', from: '/name', path: '/x' }]), status: 400 },
  { label: 'PATCH without path', as: 'alice', send: patch([{ op: 'add', value: 'x' }]), status: 400 },
  { label: 'PATCH nested path', as: 'alice', send: patch(v21('add', '/a/b', 'x')), status: 400 },
  { label: 'PATCH path without slash', as: 'alice', send: patch(v21('add', 'name', 'x')), status: 400 },
  { label: 'PATCH bad pointer escape', as: 'alice', send: patch(v21('add', '/a~2', 'x')), status: 400 },
  { label: 'PATCH v2.0 body under v2.1', as: 'alice', send: patch([{ replace: '/name', value: 'x' }]), status: 400 },
  { label: 'PATCH replace read-only status', as: 'alice', send: patch(v21('replace', '/status', 'active')), status: 403 },
  { label: 'PATCH replace read-only id', as: 'alice', send: patch(v21('replace', '/id', randomUUID())), status: 403 },
  { label: 'PATCH owner by a member of the owner project', as: 'alice', send: (s, f) => patchImage(s, f.active, v21('replace', '/owner', f.bobProject)), status: 403 },
  { label: 'PATCH owner to an empty string, by an admin', as: 'admin', send: patch(v21('replace', '/owner', '')), status: 400 },
  { label: 'PATCH owner to a number, by an admin', as: 'admin', send: patch(v21('replace', '/owner', 42)), status: 400 },
  { label: 'PATCH remove owner, by an admin', as: 'admin', send: patch(v21('remove', '/owner')), status: 403 },
  { label: 'PATCH add reserved locations', as: 'alice', send: patch(v21('add', '/locations', [])), status: 403 },
  { label: 'PATCH add an os_glance key', as: 'alice', send: patch(v21('add', '/os_glance_import_task', 'x')), status: 403 },
  { label: 'PATCH remove base attribute name', as: 'alice', send: patch(v21('remove', '/name')), status: 403 },
  { label: 'PATCH replace missing property', as: 'alice', send: patch(v21('replace', '/missing', 'x')), status: 409 },
  { label: 'PATCH remove missing property', as: 'alice', send: patch(v21('remove', '/missing')), status: 409 },
  { label: 'PATCH v2.0 add of an existing property', as: 'alice', send: patch([{ add: '/os_distro', value: 'x' }], 'application/openstack-images-v2.0-json-patch'), status: 409 },
  { label: 'PATCH a number as property value', as: 'alice', send: patch(v21('add', '/hw_cpu_cores', 4)), status: 400 },
  { label: 'PATCH a 256-character name', as: 'alice', send: patch(v21('replace', '/name', 'n'.repeat(256))), status: 400 },
  { label: 'PATCH a 100 kB unicode name', as: 'alice', send: patch(v21('replace', '/name', '名'.repeat(30_000))), status: 400 },
  { label: 'PATCH a property key of 256 characters', as: 'alice', send: patch(v21('add', `/${'k'.repeat(256)}`, 'x')), status: 400 },
  { label: 'PATCH unknown visibility', as: 'alice', send: patch(v21('replace', '/visibility', 'everyone')), status: 400 },
  { label: 'PATCH disk_format of an active image', as: 'alice', send: patch(v21('replace', '/disk_format', 'qcow2')), status: 403 },
  { label: 'PATCH visibility public as a member', as: 'alice', send: patch(v21('replace', '/visibility', 'public')), status: 403 },
  { label: "PATCH another project's private image", as: 'bob', image: (f) => f.privateImage, send: (s, f) => patchImage(s, f.privateImage, v21('replace', '/name', 'x')), status: 404 },
  { label: "PATCH someone else's public image", as: 'bob', image: (f) => f.publicImage, send: (s, f) => patchImage(s, f.publicImage, v21('replace', '/name', 'x')), status: 403 },
  // Upload
  { label: 'upload as application/json', as: 'alice', image: (f) => f.queuedRaw, send: (s, f) => s.call('PUT', `/v2/images/${f.queuedRaw}/file`, { json: { data: 'x' } }), status: 415 },
  { label: 'upload without content type', as: 'alice', image: (f) => f.queuedRaw, send: (s, f) => s.call('PUT', `/v2/images/${f.queuedRaw}/file`, { body: 'abc' }), status: 415 },
  { label: 'upload to an active image', as: 'alice', send: upload((f) => f.active, () => Buffer.from('abc')), status: 409 },
  { label: 'upload to an image without formats', as: 'alice', image: (f) => f.noFormats, send: upload((f) => f.noFormats, () => Buffer.from('abc')), status: 400 },
  { label: 'upload raw data to a qcow2 image', as: 'alice', image: (f) => f.queuedQcow2, send: upload((f) => f.queuedQcow2, () => Buffer.alloc(4096, 1)), status: 400, recordsFailedUpload: true },
  { label: 'upload a qcow2 with a backing file', as: 'alice', image: (f) => f.queuedQcow2, send: upload((f) => f.queuedQcow2, (f) => f.backingFile), status: 400, recordsFailedUpload: true },
  { label: 'upload qcow2 data to a raw image', as: 'alice', image: (f) => f.queuedRaw, send: upload((f) => f.queuedRaw, (f) => f.backingFile), status: 400, recordsFailedUpload: true },
  { label: 'upload over the size cap', as: 'alice', image: (f) => f.queuedRaw, send: upload((f) => f.queuedRaw, () => Buffer.alloc(512 * 1024 + 1)), status: 413, recordsFailedUpload: true },
  { label: "upload to another project's image", as: 'bob', image: (f) => f.privateImage, send: upload((f) => f.privateImage, () => Buffer.from('abc')), status: 404 },
  { label: 'stage as text/plain', as: 'alice', image: (f) => f.queuedQcow2, send: (s, f) => s.call('PUT', `/v2/images/${f.queuedQcow2}/stage`, { body: 'abc', headers: { 'content-type': 'text/plain' } }), status: 415 },
  // Download
  { label: 'range with start after end', as: 'alice', send: download('bytes=5-2'), status: 416, headers: { 'content-range': 'bytes */1024' } },
  { label: 'range past the end', as: 'alice', send: download('bytes=99999-'), status: 416 },
  { label: 'range in another unit', as: 'alice', send: download('items=0-1'), status: 416 },
  { label: 'several ranges', as: 'alice', send: download('bytes=0-1,3-4'), status: 416 },
  { label: 'zero-length suffix range', as: 'alice', send: download('bytes=-0'), status: 416 },
  { label: 'download a deactivated image as a non-admin', as: 'bob', image: (f) => f.deactivated, send: (s, f) => s.call('GET', `/v2/images/${f.deactivated}/file`), status: 403 },
  { label: "download another project's private image", as: 'bob', image: (f) => f.privateImage, send: (s, f) => s.call('GET', `/v2/images/${f.privateImage}/file`), status: 404 },
  // Show, delete, actions
  { label: 'show a malformed id', as: 'alice', send: (s) => s.call('GET', '/v2/images/not-a-uuid'), status: 404 },
  { label: 'show an unknown id', as: 'alice', send: (s) => s.call('GET', `/v2/images/${randomUUID()}`), status: 404 },
  { label: "show another project's private image", as: 'bob', image: (f) => f.privateImage, send: (s, f) => s.call('GET', `/v2/images/${f.privateImage}`), status: 404 },
  { label: 'delete a protected image', as: 'alice', image: (f) => f.protectedImage, send: (s, f) => s.call('DELETE', `/v2/images/${f.protectedImage}`), status: 403 },
  { label: "delete another project's image", as: 'bob', image: (f) => f.privateImage, send: (s, f) => s.call('DELETE', `/v2/images/${f.privateImage}`), status: 404 },
  { label: "delete someone else's public image", as: 'bob', image: (f) => f.publicImage, send: (s, f) => s.call('DELETE', `/v2/images/${f.publicImage}`), status: 403 },
  { label: 'deactivate a queued image', as: 'alice', image: (f) => f.queuedRaw, send: (s, f) => s.call('POST', `/v2/images/${f.queuedRaw}/actions/deactivate`), status: 403 },
  { label: 'reactivate a queued image', as: 'alice', image: (f) => f.queuedRaw, send: (s, f) => s.call('POST', `/v2/images/${f.queuedRaw}/actions/reactivate`), status: 403 },
  { label: 'a tag of 256 characters', as: 'alice', send: (s, f) => s.call('PUT', `/v2/images/${f.active}/tags/${'t'.repeat(256)}`), status: 400 },
  { label: 'remove a missing tag', as: 'alice', send: (s, f) => s.call('DELETE', `/v2/images/${f.active}/tags/absent`), status: 404 },
  // Create
  { label: 'create with a read-only status', as: 'alice', send: create({ name: 'x', status: 'active' }), status: 403 },
  { label: 'create with a malformed id', as: 'alice', send: create({ id: 'not-a-uuid' }), status: 400 },
  { label: 'create with an id in use', as: 'alice', send: (s, f) => create({ id: f.active })(s), status: 409 },
  { label: 'create with a 256-character name', as: 'alice', send: create({ name: 'n'.repeat(256) }), status: 400 },
  { label: 'create with an array body', as: 'alice', send: create([{ name: 'x' }]), status: 400 },
  { label: 'create with an unknown visibility', as: 'alice', send: create({ visibility: 'everyone' }), status: 400 },
  { label: 'create a public image as a member', as: 'alice', send: create({ visibility: 'public' }), status: 403 },
  { label: 'create with a boolean property', as: 'alice', send: create({ hw_secure_boot: true }), status: 400 },
  { label: 'create as text/plain', as: 'alice', send: (s) => s.call('POST', '/v2/images', { body: 'name=x', headers: { 'content-type': 'text/plain' } }), status: 415 },
  { label: 'create for another project', as: 'alice', send: (s, f) => create({ owner: f.bobProject })(s), status: 403 },
  // List
  { label: 'list with a negative limit', as: 'alice', send: list('limit=-1'), status: 400 },
  { label: 'list with an unknown sort key', as: 'alice', send: list('sort_key=owner'), status: 400 },
  { label: 'list with both sort syntaxes', as: 'alice', send: list('sort=name&sort_key=name'), status: 400 },
  { label: 'list after an unknown marker', as: 'alice', send: list(`marker=${randomUUID()}`), status: 400 },
  { label: "list after another project's private image", as: 'bob', send: (s, f) => list(`marker=${f.privateImage}`)(s), status: 400 },
  { label: 'list with a time filter that is not a time', as: 'alice', send: list('created_at=gt:yesterday'), status: 400 },
  { label: 'list with an unknown operator', as: 'alice', send: list('name=like:cirros'), status: 400 },
  // Members
  { label: 'share a private image', as: 'alice', image: (f) => f.privateImage, send: (s, f) => s.call('POST', `/v2/images/${f.privateImage}/members`, { json: { member: f.bobProject } }), status: 403 },
  { label: 'share without a member', as: 'alice', send: (s, f) => s.call('POST', `/v2/images/${f.active}/members`, { json: {} }), status: 400 },
  { label: 'accept a share that was never offered', as: 'bob', image: (f) => f.publicImage, send: (s, f) => s.call('PUT', `/v2/images/${f.publicImage}/members/${f.bobProject}`, { json: { status: 'accepted' } }), status: 404 },
  { label: 'member status "maybe"', as: 'alice', send: (s, f) => s.call('PUT', `/v2/images/${f.active}/members/${f.bobProject}`, { json: { status: 'maybe' } }), status: 400 },
  // Import
  { label: 'import with an unknown method', as: 'alice', image: (f) => f.queuedQcow2, send: importWith({ name: 'copy-image' }), status: 400 },
  { label: 'web-download without a uri', as: 'alice', image: (f) => f.queuedQcow2, send: importWith({ name: 'web-download' }), status: 400 },
  { label: 'web-download of a file:// uri', as: 'alice', image: (f) => f.queuedQcow2, send: importWith({ name: 'web-download', uri: 'file:///etc/passwd' }), status: 400 },
  { label: 'glance-direct without staged data', as: 'alice', image: (f) => f.queuedQcow2, send: importWith({ name: 'glance-direct' }), status: 409 },
  // Authentication
  { label: 'no token', as: 'alice', send: (s) => s.call('GET', '/v2/images', { headers: { 'x-auth-token': '' } }), status: 401 },
  { label: 'a forged token', as: 'alice', send: (s) => s.call('GET', '/v2/images', { headers: { 'x-auth-token': 'gAAAAAforged' } }), status: 401 },
  { label: 'upload with octet-stream but no token', as: 'alice', image: (f) => f.queuedRaw, send: (s, f) => s.call('PUT', `/v2/images/${f.queuedRaw}/file`, { body: 'abc', headers: { ...octet, 'x-auth-token': '' } }), status: 401 },
];
