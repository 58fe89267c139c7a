// Server creates Nova refuses, each with the status and words of its refusal. A case
// builds its body from the fixtures the test made (images, flavors); the default body is
// a valid create that the case then spoils.
export interface Fixtures {
  image: string;
  othersPrivateImage: string;
  queuedImage: string;
  bigRamImage: string;
  bigDiskImage: string;
  privateFlavor: string;
  zeroDiskFlavor: string;
  othersGroup: string;
}

export interface BadCreate {
  label: string;
  caller?: 'alice' | 'admin';
  version?: string;
  /** The request body, or a raw string sent as JSON. */
  body: (fixtures: Fixtures) => unknown;
  status: 400 | 403;
  message: string;
}

const server = (fixtures: Fixtures, fields: Record<string, unknown> = {}) => ({ server: { name: 'vm', imageRef: fixtures.image, flavorRef: '1', ...fields } });
const without = (fixtures: Fixtures, field: string) => {
  const { server: fields } = server(fixtures);
  return { server: Object.fromEntries(Object.entries(fields).filter(([key]) => key !== field)) };
};
const metadataItems = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, index) => [`key${index}`, 'v']));

export const BAD_CREATES: BadCreate[] = [
  { label: 'no name', body: (f) => without(f, 'name'), status: 400, message: 'name' },
  { label: 'an empty name', body: (f) => server(f, { name: '' }), status: 400, message: 'name' },
  { label: 'a name ending in a space', body: (f) => server(f, { name: 'vm ' }), status: 400, message: 'name' },
  { label: 'a name of 256 characters', body: (f) => server(f, { name: 'x'.repeat(256) }), status: 400, message: 'name' },
  { label: 'a number for a name', body: (f) => server(f, { name: 42 }), status: 400, message: 'name' },
  { label: 'no flavorRef', body: (f) => without(f, 'flavorRef'), status: 400, message: 'flavorRef' },
  { label: 'an unknown flavor', body: (f) => server(f, { flavorRef: '99' }), status: 400, message: 'Invalid flavorRef provided.' },
  { label: "a private flavor a member can't see", body: (f) => server(f, { flavorRef: f.privateFlavor }), status: 400, message: 'Invalid flavorRef provided.' },
  { label: 'no imageRef', body: (f) => without(f, 'imageRef'), status: 400, message: 'imageRef' },
  { label: 'an imageRef that is a name, not a UUID', body: (f) => server(f, { imageRef: 'cirros' }), status: 400, message: 'imageRef' },
  { label: 'an imageRef with a bad UUID', body: (f) => server(f, { imageRef: '1234-5678' }), status: 400, message: 'imageRef' },
  { label: 'an unknown image', body: (f) => server(f, { imageRef: '0b2c1a3e-0000-4000-8000-000000000000' }), status: 400, message: 'Image 0b2c1a3e-0000-4000-8000-000000000000 could not be found.' },
  { label: "another project's private image", body: (f) => server(f, { imageRef: f.othersPrivateImage }), status: 400, message: 'could not be found.' },
  { label: 'an image without data', body: (f) => server(f, { imageRef: f.queuedImage }), status: 400, message: 'is not active.' },
  { label: 'an image needing more memory than the flavor', body: (f) => server(f, { imageRef: f.bigRamImage }), status: 400, message: "Flavor's memory is too small for requested image." },
  { label: 'an image needing more disk than the flavor', body: (f) => server(f, { imageRef: f.bigDiskImage }), status: 400, message: "Flavor's disk is too small for requested image." },
  { label: 'a zero-disk flavor (admins only)', body: (f) => server(f, { flavorRef: f.zeroDiskFlavor }), status: 403, message: 'Only volume-backed servers are allowed for flavors with zero disk.' },
  { label: 'an empty imageRef without a boot volume', body: (f) => server(f, { imageRef: '' }), status: 400, message: 'imageRef is required unless a block_device_mapping_v2 entry with boot_index 0' },
  { label: 'a boot volume that does not exist', body: (f) => server(f, { imageRef: '', block_device_mapping_v2: [{ uuid: '7a1b2c3d-0000-4000-8000-000000000000', source_type: 'volume', destination_type: 'volume', boot_index: 0 }] }), status: 400, message: 'Block Device Mapping is Invalid: failed to get volume 7a1b2c3d-0000-4000-8000-000000000000.' },
  { label: 'a block device made from an image', body: (f) => server(f, { block_device_mapping_v2: [{ uuid: f.image, source_type: 'image', destination_type: 'volume', boot_index: 0, volume_size: 1 }] }), status: 400, message: 'strata attaches existing volumes only' },
  { label: 'a volume deleted with the server', body: (f) => server(f, { block_device_mapping_v2: [{ uuid: '7a1b2c3d-0000-4000-8000-000000000000', source_type: 'volume', destination_type: 'volume', delete_on_termination: true }] }), status: 400, message: 'delete_on_termination must be false' },
  { label: 'a forced host from a member', body: (f) => server(f, { availability_zone: 'nova:host-1' }), status: 403, message: 'os_compute_api:servers:create:forced_host' },
  { label: 'a forced node from a member', body: (f) => server(f, { availability_zone: 'nova::node-1' }), status: 403, message: 'forced_host' },
  { label: 'an availability zone with three colons', caller: 'admin', body: (f) => server(f, { availability_zone: 'nova:a:b:c' }), status: 400, message: 'Unable to parse availability_zone' },
  { label: 'a host and a different node', caller: 'admin', body: (f) => server(f, { availability_zone: 'nova:host-1:host-2' }), status: 400, message: 'has no node host-2' },
  { label: 'an availability zone no host is in', body: (f) => server(f, { availability_zone: 'atlantis' }), status: 400, message: 'The requested availability zone is not available' },
  { label: 'a forced host in a zone no host is in', caller: 'admin', body: (f) => server(f, { availability_zone: 'atlantis:host-1' }), status: 400, message: 'not available' },
  { label: 'an empty availability zone', body: (f) => server(f, { availability_zone: '' }), status: 400, message: 'availability_zone' },
  { label: 'an unknown server field', body: (f) => server(f, { colour: 'blue' }), status: 400, message: 'colour' },
  { label: 'an unknown top-level key', body: (f) => ({ ...server(f), extra: true }), status: 400, message: 'extra' },
  { label: 'a server that is not an object', body: () => ({ server: 'vm' }), status: 400, message: 'server' },
  { label: 'no server at all', body: () => ({}), status: 400, message: 'server' },
  { label: 'malformed JSON', body: () => '{"server": ', status: 400, message: '' },
  { label: 'a metadata value that is not a string', body: (f) => server(f, { metadata: { role: 7 } }), status: 400, message: 'metadata' },
  { label: 'a metadata key with a slash', body: (f) => server(f, { metadata: { 'a/b': 'x' } }), status: 400, message: 'metadata' },
  { label: 'more metadata items than the quota', body: (f) => server(f, { metadata: metadataItems(129) }), status: 403, message: 'Maximum number of metadata items exceeds 128' },
  { label: 'min_count 2', body: (f) => server(f, { min_count: 2 }), status: 400, message: 'one server per request' },
  { label: 'max_count 0', body: (f) => server(f, { max_count: 0 }), status: 400, message: 'max_count' },
  { label: 'min_count as a word', body: (f) => server(f, { min_count: 'two' }), status: 400, message: 'min_count' },
  { label: 'no networks from 2.37', version: '2.37', body: (f) => server(f), status: 400, message: "'networks' is a required property" },
  { label: "networks 'auto' before 2.37", body: (f) => server(f, { networks: 'auto' }), status: 400, message: "is not of type 'array'" },
  { label: 'networks that are neither auto nor none', version: '2.37', body: (f) => server(f, { networks: 'some' }), status: 400, message: 'networks' },
  { label: 'a network strata does not have', body: (f) => server(f, { networks: [{ uuid: '5d7c3fa6-0000-4000-8000-000000000000' }] }), status: 400, message: 'Network 5d7c3fa6-0000-4000-8000-000000000000 could not be found.' },
  { label: 'a security group other than default', body: (f) => server(f, { security_groups: [{ name: 'web' }] }), status: 400, message: "security_group with name or id 'web'" },
  { label: 'user_data', body: (f) => server(f, { user_data: 'IyEvYmluL3No' }), status: 400, message: "'user_data'" },
  { label: 'a key pair', body: (f) => server(f, { key_name: 'mykey' }), status: 400, message: "'key_name'" },
  { label: 'a description', version: '2.19', body: (f) => server(f, { description: 'd' }), status: 400, message: "'description'" },
  { label: 'a config drive', body: (f) => server(f, { config_drive: true }), status: 400, message: 'config drives' },
  { label: 'a disk config other than AUTO or MANUAL', body: (f) => server(f, { 'OS-DCF:diskConfig': 'FULL' }), status: 400, message: 'OS-DCF:diskConfig' },
  { label: 'a server group that does not exist', body: (f) => ({ ...server(f), 'os:scheduler_hints': { group: '4f1d2c3b-0000-4000-8000-000000000000' } }), status: 400, message: 'Instance group 4f1d2c3b-0000-4000-8000-000000000000 could not be found.' },
  { label: "another project's server group", body: (f) => ({ ...server(f), 'os:scheduler_hints': { group: f.othersGroup } }), status: 400, message: 'could not be found.' },
  { label: 'a server group hint that is not a UUID', body: (f) => ({ ...server(f), 'os:scheduler_hints': { group: 'web-tier' } }), status: 400, message: 'group' },
];
