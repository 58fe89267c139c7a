// Most CLI end-to-end tests need the same start: the test guests built, a whole strata
// running, and the BIOS guest uploaded as the public image `bios-guest`.
import { execa } from 'execa';
import { join } from 'node:path';
import { guestImages } from '../hypervisor/guest-lab.js';
import { openstackJson } from './openstack.js';
import { startStrata, type RunningStrata } from './strata-up.js';

export const GUEST_IMAGE = 'bios-guest';

export async function startStrataWithGuest(extraEnv: Record<string, string> = {}): Promise<{ strata: RunningStrata; image: Record<string, unknown> }> {
  await execa('bash', [join(import.meta.dirname, '../../scripts/build-guests.sh')], { timeout: 120_000 });
  const strata = await startStrata(extraEnv);
  try {
    const image = await openstackJson(strata.adminEnv, [
      'image', 'create', '--file', guestImages.biosRaw, '--disk-format', 'raw', '--container-format', 'bare',
      '--property', 'strata_boot_marker=STRATA-GUEST-DONE', '--public', GUEST_IMAGE,
    ]);
    return { strata, image };
  } catch (error) {
    // The caller never gets the handle to stop it: a failed start must not leave strata running.
    await strata.stop();
    throw error;
  }
}
