// The pure checks behind a server create (zones, image against flavor) and the console
// tail, case by case as Nova's compute API makes them.
import { describe, expect, it } from 'vitest';
import { consoleTail } from '../../application/instances/console-output.js';
import { checkImageFitsFlavor, parseAvailabilityZone } from '../../application/instances/launch-request.js';
import { DEFAULT_FLAVORS, type Flavor } from '../../domain/compute/flavor.js';
import type { ImageSnapshot } from '../../domain/compute/instance.js';
import { DomainError } from '../../domain/decider.js';

describe('parseAvailabilityZone', () => {
  it.each([
    [null, { zone: null, forcedHost: null }],
    ['nova', { zone: 'nova', forcedHost: null }],
    ['nova:host-1', { zone: 'nova', forcedHost: 'host-1' }],
    [':host-1', { zone: null, forcedHost: 'host-1' }],
    ['nova:host-1:host-1', { zone: 'nova', forcedHost: 'host-1' }],
    ['nova::host-2', { zone: 'nova', forcedHost: 'host-2' }],
    ['nova:', { zone: 'nova', forcedHost: null }],
  ])('%j', (text, expected) => {
    expect(parseAvailabilityZone(text)).toEqual(expected);
  });

  it.each(['a:b:c:d', 'nova:host-1:host-2'])('refuses %j', (text) => {
    expect(() => parseAvailabilityZone(text)).toThrow(DomainError);
  });
});

describe('checkImageFitsFlavor', () => {
  const GIB = 1024 ** 3;
  const tiny = DEFAULT_FLAVORS[0] as Flavor;
  const image = (overrides: Partial<ImageSnapshot>): ImageSnapshot => ({
    id: '6a8b5a3e-4c7d-4f1e-9a2b-3c4d5e6f7a8b',
    name: 'img',
    diskFormat: 'qcow2',
    size: GIB / 2,
    osHashValue: null,
    checksum: null,
    minDiskGb: 0,
    minRamMb: 0,
    properties: {},
    ...overrides,
  });

  it('passes an image within the flavor', () => {
    expect(() => checkImageFitsFlavor(image({ size: GIB, minDiskGb: 1, minRamMb: 512 }), tiny)).not.toThrow();
  });

  it.each([
    ['more memory', { minRamMb: 513 }, "Flavor's memory is too small for requested image."],
    ['a larger image', { size: GIB + 1 }, `Flavor's disk is too small for requested image. Flavor disk is ${GIB} bytes, image is ${GIB + 1} bytes.`],
    ['a larger minimum disk', { minDiskGb: 2 }, "Flavor's disk is too small for requested image."],
  ])('refuses an image needing %s', (_label, overrides, message) => {
    expect(() => checkImageFitsFlavor(image(overrides), tiny)).toThrow(message);
  });

  it('does not check sizes against a root disk of 0 (the image decides)', () => {
    expect(() => checkImageFitsFlavor(image({ size: 10 * GIB, minDiskGb: 20 }), { ...tiny, diskGb: 0 })).not.toThrow();
  });
});

describe('consoleTail', () => {
  it.each([
    ['a\nb\nc\n', null, 'a\nb\nc\n'],
    ['a\nb\nc\n', 2, 'c\n'],
    ['a\nb\nc', 2, 'b\nc'],
    ['a\nb', 10, 'a\nb'],
    ['a\nb', 0, ''],
    ['\x1b[0mbell\x07\ttab\r\n', null, '[0mbell\ttab\n'],
  ])('%j, %s lines → %j', (log, lines, expected) => {
    expect(consoleTail(log, lines)).toBe(expected);
  });
});
