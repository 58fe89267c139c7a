// Nova v2.1: forcing a host as a member, reaching another project's server and server
// group, admin-only routes called by members, microversion headers out of range, and
// malformed, oversized or mislabelled bodies.
import { HOSTILE_STRINGS, hugeJson, overlongUtf8Json, raw, type BadInputCase, type BadRequest } from './catalogue.js';
import type { Fixtures } from './fixtures.js';

const V = '/compute/v2.1';
const UNKNOWN = '3c9d2e1f-0000-4000-8000-000000000000';

const server = (f: Fixtures, fields: Record<string, unknown> = {}) => ({ server: { name: 'vm', imageRef: f.publicImage, flavorRef: '1', ...fields } });
const create = (fields: Record<string, unknown>, headers: Record<string, string> = {}) => (f: Fixtures): BadRequest => ({ method: 'POST', url: `${V}/servers`, json: server(f, fields), headers });
const onServer = (method: BadRequest['method'], suffix = '', json?: unknown) => (f: Fixtures): BadRequest => ({ method, url: `${V}/servers/${f.aliceServer}${suffix}`, ...(json === undefined ? {} : { json }) });
const action = (json: unknown) => onServer('POST', '/action', json);
const get = (path: string, headers: Record<string, string> = {}) => (): BadRequest => ({ method: 'GET', url: `${V}${path}`, headers });
const post = (path: string, json: unknown) => (): BadRequest => ({ method: 'POST', url: `${V}${path}`, json });
const flavor = { flavor: { name: 'huge', ram: 1024, vcpus: 1, disk: 1 } };

export const computeCases: BadInputCase[] = [
  // Forced hosts and other admin-only choices.
  { label: 'a member forcing a host (AZ:HOST)', as: 'alice', request: create({ availability_zone: 'nova:compute-1' }), status: 403, message: 'forced_host' },
  { label: 'a member forcing a node (AZ::NODE)', as: 'alice', request: create({ availability_zone: 'nova::compute-1' }), status: 403 },
  { label: 'a member forcing host and node (AZ:HOST:NODE)', as: 'alice', request: create({ availability_zone: 'nova:compute-1:compute-1' }), status: 403 },
  { label: 'a member forcing a host with a traversal name', as: 'alice', request: create({ availability_zone: `nova:${HOSTILE_STRINGS.traversal}` }), status: 403 },
  { label: 'an admin forcing with four colons', as: 'admin', request: create({ availability_zone: 'nova:a:b:c' }), status: 400 },
  { label: 'a member sending the host field', as: 'alice', request: create({ host: 'compute-1' }), status: 400 },
  { label: 'a member creating a flavor', as: 'alice', request: post('/flavors', flavor), status: 403 },
  { label: 'a member deleting a flavor', as: 'alice', request: () => ({ method: 'DELETE', url: `${V}/flavors/1` }), status: 403 },
  { label: 'a member listing hypervisors', as: 'alice', request: get('/os-hypervisors'), status: 403 },
  { label: 'a member disabling a compute service', as: 'alice', request: () => ({ method: 'PUT', url: `${V}/os-services/${UNKNOWN}`, json: { status: 'disabled' } }), status: 403 },
  { label: "a member listing all tenants' servers", as: 'alice', request: get('/servers/detail?all_tenants=1'), status: 403 },

  // Another project's resources.
  { label: "reading another project's server", as: 'bob', request: onServer('GET'), status: 404 },
  { label: "deleting another project's server", as: 'bob', request: onServer('DELETE'), status: 404 },
  { label: "reading another project's console", as: 'bob', request: action({ 'os-getConsoleOutput': {} }), status: 404 },
  { label: "snapshotting another project's server", as: 'bob', request: action({ createImage: { name: 'stolen' } }), status: 404 },
  { label: "reading another project's server group", as: 'bob', request: (f) => ({ method: 'GET', url: `${V}/os-server-groups/${f.aliceGroup}` }), status: 404 },
  { label: "deleting another project's server group", as: 'bob', request: (f) => ({ method: 'DELETE', url: `${V}/os-server-groups/${f.aliceGroup}` }), status: 404 },
  { label: "booting another project's private image", as: 'bob', request: (f) => create({ imageRef: f.privateImage })(f), status: 400 },
  { label: "joining another project's server group", as: 'bob', request: (f) => ({ method: 'POST', url: `${V}/servers`, json: { ...server(f), 'os:scheduler_hints': { group: f.aliceGroup } } }), status: 400 },
  { label: 'a reader deleting her project\'s server', as: 'reader', request: onServer('DELETE'), status: 403 },
  { label: 'a reader creating a server', as: 'reader', request: create({}), status: 403 },

  // Ids and paths.
  { label: 'a path-traversal server id', as: 'alice', request: get(`/servers/${encodeURIComponent(HOSTILE_STRINGS.traversal)}`), status: 404 },
  { label: 'a server id that is not a UUID', as: 'alice', request: get('/servers/not-a-uuid'), status: 404 },
  { label: 'an unknown server', as: 'alice', request: get(`/servers/${UNKNOWN}`), status: 404 },
  { label: 'an action on an unknown server', as: 'alice', request: () => ({ method: 'POST', url: `${V}/servers/${UNKNOWN}/action`, json: { 'os-getConsoleOutput': {} } }), status: 404 },
  { label: 'a flavor id with traversal', as: 'alice', request: get(`/flavors/${encodeURIComponent(HOSTILE_STRINGS.traversal)}`), status: 404 },
  { label: 'an unknown server group', as: 'alice', request: get(`/os-server-groups/${UNKNOWN}`), status: 404 },

  // Server names and fields.
  { label: 'a server name with NUL', as: 'alice', request: create({ name: HOSTILE_STRINGS.nul }), status: 400 },
  { label: 'a server name with a lone surrogate', as: 'alice', request: (f) => raw('POST', `${V}/servers`, `{"server":{"name":"a\\udc00","imageRef":"${f.publicImage}","flavorRef":"1"}}`), status: 400 },
  { label: 'a server name in overlong UTF-8', as: 'alice', request: (f) => raw('POST', `${V}/servers`, overlongUtf8Json('{"server":{"name":"vm', `","imageRef":"${f.publicImage}","flavorRef":"1"}}`)), status: 400 },
  { label: 'a server name of only spaces', as: 'alice', request: create({ name: '   ' }), status: 400 },
  { label: 'an imageRef with traversal', as: 'alice', request: create({ imageRef: HOSTILE_STRINGS.traversal }), status: 400 },
  { label: 'a flavorRef that is an object', as: 'alice', request: create({ flavorRef: { id: '1' } }), status: 400 },
  { label: 'an unknown server field', as: 'alice', request: create({ colour: 'blue' }), status: 400 },
  { label: 'metadata that is an array', as: 'alice', request: create({ metadata: ['a'] }), status: 400 },
  { label: 'a metadata value of 256 characters', as: 'alice', request: create({ metadata: { k: 'v'.repeat(256) } }), status: 400 },
  { label: 'a server group with an unknown policy', as: 'alice', request: post('/os-server-groups', { server_group: { name: 'g', policies: ['spread-thin'] } }), status: 400 },
  { label: 'a server group with two policies', as: 'alice', request: post('/os-server-groups', { server_group: { name: 'g', policies: ['affinity', 'anti-affinity'] } }), status: 400 },

  // Actions.
  { label: 'an unknown action', as: 'alice', request: action({ reboot2: {} }), status: 400 },
  { label: 'two actions in one body', as: 'alice', request: action({ 'os-getConsoleOutput': {}, createImage: { name: 'x' } }), status: 400 },
  { label: 'an empty action body', as: 'alice', request: action({}), status: 400 },
  { label: 'an action named __proto__', as: 'alice', request: (f) => raw('POST', `${V}/servers/${f.aliceServer}/action`, '{"__proto__":{}}'), status: 400 },
  { label: 'an action named constructor', as: 'alice', request: action({ constructor: {} }), status: 400 },
  { label: 'a console length that is a word', as: 'alice', request: action({ 'os-getConsoleOutput': { length: 'all' } }), status: 400 },

  // Snapshots and admin actions.
  { label: 'a snapshot without a name', as: 'alice', request: action({ createImage: {} }), status: 400 },
  { label: 'a snapshot name ending in a space', as: 'alice', request: action({ createImage: { name: 'snap ' } }), status: 400 },
  { label: 'a snapshot with an unknown field', as: 'alice', request: action({ createImage: { name: 'snap', visibility: 'public' } }), status: 400 },
  { label: 'a snapshot metadata key with a slash', as: 'alice', request: action({ createImage: { name: 'snap', metadata: { 'a/b': 'x' } } }), status: 400 },
  { label: 'a snapshot name with a lone surrogate', as: 'alice', request: (f) => raw('POST', `${V}/servers/${f.aliceServer}/action`, '{"createImage":{"name":"s\\ud800"}}'), status: 400 },
  { label: 'a reader snapshotting her project\'s server', as: 'reader', request: action({ createImage: { name: 'snap' } }), status: 403 },
  { label: 'a member resetting a server\'s state', as: 'alice', request: action({ 'os-resetState': { state: 'active' } }), status: 403 },
  { label: 'an admin resetting to a state that is not active or error', as: 'admin', request: action({ 'os-resetState': { state: 'deleted' } }), status: 400 },

  // Volume attachments and instance actions.
  { label: "attaching a volume to another project's server", as: 'bob', request: (f) => onServer('POST', '/os-volume_attachments', { volumeAttachment: { volumeId: f.aliceVolume } })(f), status: 404 },
  { label: "listing another project's volume attachments", as: 'bob', request: onServer('GET', '/os-volume_attachments'), status: 404 },
  { label: "detaching from another project's server", as: 'bob', request: (f) => onServer('DELETE', `/os-volume_attachments/${f.aliceVolume}`)(f), status: 404 },
  { label: 'attaching a volume id that is not a UUID', as: 'alice', request: onServer('POST', '/os-volume_attachments', { volumeAttachment: { volumeId: HOSTILE_STRINGS.traversal } }), status: 400 },
  { label: 'attaching with an unknown field', as: 'alice', request: (f) => onServer('POST', '/os-volume_attachments', { volumeAttachment: { volumeId: f.aliceVolume, host: 'compute-1' } })(f), status: 400 },
  { label: 'attaching to a server still building', as: 'alice', request: (f) => onServer('POST', '/os-volume_attachments', { volumeAttachment: { volumeId: f.aliceVolume } })(f), status: 409 },
  { label: 'showing an attachment that does not exist', as: 'alice', request: onServer('GET', `/os-volume_attachments/${UNKNOWN}`), status: 404 },
  { label: "listing another project's instance actions", as: 'bob', request: onServer('GET', '/os-instance-actions'), status: 404 },
  { label: 'an instance action with a traversal request id', as: 'alice', request: onServer('GET', `/os-instance-actions/${encodeURIComponent(HOSTILE_STRINGS.traversal)}`), status: 404 },
  { label: 'instance actions changes-since that is not a time', as: 'alice', request: (f) => ({ method: 'GET', url: `${V}/servers/${f.aliceServer}/os-instance-actions?changes-since=soon`, headers: { 'openstack-api-version': 'compute 2.58' } }), status: 400 },

  // Microversions and media types.
  { label: 'a microversion above the maximum', as: 'alice', request: get('/servers', { 'openstack-api-version': 'compute 2.999' }), status: 406 },
  { label: 'a microversion below 2.1', as: 'alice', request: get('/servers', { 'openstack-api-version': 'compute 2.0' }), status: 406 },
  { label: 'a microversion that is not a version', as: 'alice', request: get('/servers', { 'x-openstack-nova-api-version': 'two' }), status: 400 },
  { label: 'a 64 KiB microversion header', as: 'alice', request: get('/servers', { 'openstack-api-version': `compute 2.${'1'.repeat(65536)}` }), status: 406 },
  { label: 'malformed JSON on create', as: 'alice', request: () => raw('POST', `${V}/servers`, '{"server": {"name": "vm"'), status: 400 },
  { label: 'a create over the body limit', as: 'alice', request: (f) => raw('POST', `${V}/servers`, hugeJson((filler) => server(f, { name: filler }))), status: 413 },
  { label: 'a create as text/plain', as: 'alice', request: (f) => raw('POST', `${V}/servers`, JSON.stringify(server(f)), 'text/plain'), status: 415 },
  { label: 'a create as XML', as: 'alice', request: () => raw('POST', `${V}/servers`, '<server name="vm"/>', 'application/xml'), status: 415 },
  { label: 'a list limit that is negative', as: 'alice', request: get('/servers?limit=-1'), status: 400 },
  { label: 'an unknown list marker', as: 'alice', request: get(`/servers?marker=${UNKNOWN}`), status: 400 },
  { label: 'a changes-since that is not a time', as: 'alice', request: get('/servers?changes-since=yesterday'), status: 400 },
  { label: 'a flavor list minRam that is a word', as: 'alice', request: get('/flavors?minRam=lots'), status: 400 },
];
