// The host directory layout: Nova's names, and a host directory too long for the QMP
// sockets of its instances refused when the worker starts rather than at a launch.
import { describe, expect, it } from 'vitest';
import { baseName, HostDirectoryTooLongError, hostLayout } from '../../activities/launch/host-layout.js';

describe('host layout', () => {
  it("names a base by the sha1 of the image id, as Nova's _base does", () => {
    const layout = hostLayout('/srv/strata/hosts/compute1');
    // `printf cirros | sha1sum`
    expect(baseName('cirros')).toBe('b931697135326754611a326506cbf74d295e7404');
    expect(layout.base('cirros')).toMatchObject({
      file: '/srv/strata/hosts/compute1/_base/b931697135326754611a326506cbf74d295e7404',
      part: '/srv/strata/hosts/compute1/_base/b931697135326754611a326506cbf74d295e7404.part',
    });
    expect(layout.instance('0f8b7a2e-6d5c-4b3a-9e1f-2a3b4c5d6e7f')).toMatchObject({
      dir: '/srv/strata/hosts/compute1/instances/0f8b7a2e-6d5c-4b3a-9e1f-2a3b4c5d6e7f',
      rootDisk: '/srv/strata/hosts/compute1/instances/0f8b7a2e-6d5c-4b3a-9e1f-2a3b4c5d6e7f/disk',
      ephemeralDisk: '/srv/strata/hosts/compute1/instances/0f8b7a2e-6d5c-4b3a-9e1f-2a3b4c5d6e7f/disk.eph0',
    });
  });

  it('refuses a host directory that would make QMP socket paths longer than 107 bytes', () => {
    expect(() => hostLayout(`/${'d'.repeat(50)}`)).not.toThrow();
    expect(() => hostLayout(`/${'d'.repeat(60)}`)).toThrow(HostDirectoryTooLongError);
    expect(() => hostLayout(`/${'d'.repeat(60)}`)).toThrow(/at most 107.*STRATA_DATA_DIR/);
  });
});
