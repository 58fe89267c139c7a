// Glance v2: publicizing without the right, reading and changing another project's private
// image, property-protection bypasses (case, look-alike letters, control characters, the
// other patch dialect), path traversal in ids and tags, unicode and malformed bodies.
import { HOSTILE_STRINGS, hugeJson, overlongUtf8Json, raw, type BadInputCase, type BadRequest } from './catalogue.js';
import type { Fixtures } from './fixtures.js';

const V21 = 'application/openstack-images-v2.1-json-patch';
const V20 = 'application/openstack-images-v2.0-json-patch';
const UNKNOWN = '6e1b3f0a-0000-4000-8000-000000000000';

const create = (json: unknown) => () => ({ method: 'POST' as const, url: '/image/v2/images', json });
const image = (pick: (f: Fixtures) => string, method: BadRequest['method'] = 'GET', suffix = '') => (f: Fixtures) => ({ method, url: `/image/v2/images/${pick(f)}${suffix}` });
const patch = (pick: (f: Fixtures) => string, operations: unknown, mediaType = V21) => (f: Fixtures) => raw('PATCH', `/image/v2/images/${pick(f)}`, JSON.stringify(operations), mediaType);
const op = (name: string, path: string, value?: unknown) => [{ op: name, path, ...(value === undefined ? {} : { value }) }];
const privateImage = (f: Fixtures) => f.privateImage;
const guarded = (f: Fixtures) => f.guardedImage;
const publicImage = (f: Fixtures) => f.publicImage;

export const imageCases: BadInputCase[] = [
  // Visibility and ownership: policy bypass attempts.
  { label: 'a member creating a public image', as: 'alice', request: create({ name: 'pub', visibility: 'public' }), status: 403 },
  { label: 'a member publicizing her image', as: 'alice', request: patch(privateImage, op('replace', '/visibility', 'public')), status: 403 },
  { label: 'a member publicizing through the v2.0 dialect', as: 'alice', request: patch(privateImage, [{ replace: '/visibility', value: 'public' }], V20), status: 403 },
  { label: 'a member publicizing with a capitalised value', as: 'alice', request: patch(privateImage, op('replace', '/visibility', 'Public')), status: 400 },
  { label: 'a member creating an image owned by another project', as: 'alice', request: (f) => create({ name: 'theirs', owner: f.bobProject })(), status: 403 },
  { label: "a member giving her image to another project", as: 'alice', request: (f) => patch(privateImage, op('replace', '/owner', f.bobProject))(f), status: 403 },
  { label: "reading another project's private image", as: 'bob', request: image(privateImage), status: 404 },
  { label: "downloading another project's private image", as: 'bob', request: image(privateImage, 'GET', '/file'), status: 404 },
  { label: "renaming another project's private image", as: 'bob', request: patch(privateImage, op('replace', '/name', 'mine')), status: 404 },
  { label: "deleting another project's private image", as: 'bob', request: image(privateImage, 'DELETE'), status: 404 },
  { label: "tagging another project's private image", as: 'bob', request: image(privateImage, 'PUT', '/tags/mine'), status: 404 },
  { label: "sharing another project's private image", as: 'bob', request: (f) => ({ ...image(privateImage, 'POST', '/members')(f), json: { member: f.bobProject } }), status: 404 },
  { label: "deleting someone else's public image", as: 'alice', request: image(publicImage, 'DELETE'), status: 403 },
  { label: "deactivating someone else's public image", as: 'alice', request: image(publicImage, 'POST', '/actions/deactivate'), status: 403 },
  { label: 'a reader creating an image', as: 'reader', request: create({ name: 'by-reader' }), status: 403 },
  { label: 'a reader renaming her project\'s image', as: 'reader', request: patch(privateImage, op('replace', '/name', 'r')), status: 403 },

  // Property protections.
  { label: 'a member adding an admin-only property', as: 'alice', request: patch(guarded, op('add', '/x_admin_flag', 'on')), status: 403 },
  { label: 'a member replacing an admin-only property', as: 'alice', request: patch(guarded, op('replace', '/x_admin_note', 'changed')), status: 403 },
  { label: 'a member removing an admin-only property', as: 'alice', request: patch(guarded, op('remove', '/x_admin_note')), status: 403 },
  { label: 'a member replacing it through the v2.0 dialect', as: 'alice', request: patch(guarded, [{ replace: '/x_admin_note', value: 'changed' }], V20), status: 403 },
  { label: 'a member creating an image with an admin-only property', as: 'alice', request: create({ name: 'sneaky', x_admin_note: 'mine' }), status: 403 },
  { label: 'a protected name in upper case (no section matches)', as: 'alice', request: patch(guarded, op('add', '/X_ADMIN_NOTE', 'changed')), status: 403 },
  { label: 'a protected name in mixed case', as: 'alice', request: patch(guarded, op('add', '/X_admin_note', 'changed')), status: 403 },
  { label: 'a protected name with a Cyrillic look-alike letter', as: 'alice', request: patch(guarded, op('add', '/\u0445_admin_note', 'changed')), status: 403 },
  { label: 'a property name ending in a newline', as: 'alice', request: patch(guarded, op('add', '/os_distro\n', 'x')), status: 403 },
  { label: 'a property name with NUL', as: 'alice', request: patch(guarded, op('add', `/os${HOSTILE_STRINGS.nul}`, 'x')), status: 403 },
  { label: 'a property name with regex metacharacters', as: 'alice', request: patch(guarded, op('add', '/x_admin_.*', 'x')), status: 403 },
  { label: 'a protected name spelled with a JSON-pointer escape', as: 'alice', request: patch(guarded, op('add', '/x_admin~1note', 'x')), status: 403 },
  { label: 'a protected name with a leading space', as: 'alice', request: patch(guarded, op('add', '/ x_admin_note', 'x')), status: 403 },

  // Ids, tags and names.
  { label: 'a path-traversal image id', as: 'alice', request: () => ({ method: 'GET', url: `/image/v2/images/${encodeURIComponent(HOSTILE_STRINGS.traversal)}` }), status: 404 },
  { label: 'a double-encoded traversal in the file path', as: 'alice', request: () => ({ method: 'GET', url: `/image/v2/images/${HOSTILE_STRINGS.encodedTraversal}/file` }), status: 404 },
  { label: 'an image id that is not a UUID', as: 'alice', request: () => ({ method: 'GET', url: '/image/v2/images/not-a-uuid' }), status: 404 },
  { label: 'an unknown image', as: 'alice', request: () => ({ method: 'GET', url: `/image/v2/images/${UNKNOWN}` }), status: 404 },
  { label: 'a tag of 256 characters', as: 'alice', request: image(privateImage, 'PUT', `/tags/${'t'.repeat(256)}`), status: 400 },
  { label: 'a name of 256 characters', as: 'alice', request: create({ name: 'n'.repeat(256) }), status: 400 },
  { label: 'a name that is a number', as: 'alice', request: create({ name: 7 }), status: 400 },
  { label: 'a name with a lone surrogate', as: 'alice', request: () => raw('POST', '/image/v2/images', '{"name":"a\\ud800b","disk_format":"raw","container_format":"bare"}'), status: 400 },
  { label: 'a name in overlong UTF-8', as: 'alice', request: () => raw('POST', '/image/v2/images', overlongUtf8Json('{"name":"a', '","disk_format":"raw","container_format":"bare"}')), status: 400 },
  { label: 'a property value that is not a string', as: 'alice', request: create({ name: 'p', os_distro: 7 }), status: 400 },
  { label: 'a property name of 256 characters', as: 'alice', request: create({ name: 'p', ['k'.repeat(256)]: 'v' }), status: 400 },
  { label: 'a read-only attribute on create', as: 'alice', request: create({ name: 'p', status: 'active' }), status: 403 },
  { label: 'an unknown disk format', as: 'alice', request: create({ name: 'p', disk_format: 'exe' }), status: 400 },
  { label: 'min_ram as a string', as: 'alice', request: create({ name: 'p', min_ram: '512' }), status: 400 },
  { label: 'a negative min_disk', as: 'alice', request: create({ name: 'p', min_disk: -1 }), status: 400 },
  { label: 'an id that is not a UUID', as: 'alice', request: create({ name: 'p', id: HOSTILE_STRINGS.traversal }), status: 400 },

  // Bodies and media types.
  { label: 'malformed JSON on create', as: 'alice', request: () => raw('POST', '/image/v2/images', '{"name": "x",'), status: 400 },
  { label: 'a create body that is a JSON string', as: 'alice', request: () => raw('POST', '/image/v2/images', '"image"'), status: 400 },
  { label: 'a create over the body limit', as: 'alice', request: () => raw('POST', '/image/v2/images', hugeJson((filler) => ({ name: 'big', description: filler }))), status: 413 },
  { label: 'a create as form data', as: 'alice', request: () => raw('POST', '/image/v2/images', 'name=x', 'application/x-www-form-urlencoded'), status: 415 },
  { label: 'a PATCH as application/json', as: 'alice', request: patch(privateImage, op('replace', '/name', 'x'), 'application/json'), status: 415 },
  { label: 'a PATCH over the body limit', as: 'alice', request: (f) => raw('PATCH', `/image/v2/images/${f.privateImage}`, hugeJson((filler) => op('replace', '/name', filler)), V21), status: 413 },
  { label: 'image data as application/json', as: 'alice', request: (f) => raw('PUT', `/image/v2/images/${f.queuedImage}/file`, '{}'), status: 415 },
  { label: 'a negative list limit', as: 'alice', request: () => ({ method: 'GET', url: '/image/v2/images?limit=-1' }), status: 400 },
  { label: 'a list limit that is a word', as: 'alice', request: () => ({ method: 'GET', url: '/image/v2/images?limit=ten' }), status: 400 },
  { label: 'both sort syntaxes at once', as: 'alice', request: () => ({ method: 'GET', url: '/image/v2/images?sort=name:asc&sort_key=name' }), status: 400 },
  { label: 'a sort key that is not an attribute', as: 'alice', request: () => ({ method: 'GET', url: '/image/v2/images?sort_key=password' }), status: 400 },
  { label: 'an unknown marker', as: 'alice', request: () => ({ method: 'GET', url: `/image/v2/images?marker=${UNKNOWN}` }), status: 400 },
  { label: 'a created_at filter with a bad operator', as: 'alice', request: () => ({ method: 'GET', url: '/image/v2/images?created_at=like:2020' }), status: 400 },
  { label: 'a download range past the end', as: 'alice', request: (f) => ({ method: 'GET', url: `/image/v2/images/${f.privateImage}/file`, headers: { range: 'bytes=999999-' } }), status: 416 },
  { label: 'a member status other than the three', as: 'bob', request: (f) => ({ method: 'PUT', url: `/image/v2/images/${f.publicImage}/members/${f.bobProject}`, json: { status: 'owner' } }), status: 400 },
];
