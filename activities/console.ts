// The guest's serial console as its compute host keeps it: QEMU writes console.log in the
// instance's directory of the host layout. Runs on `compute.<host>`, where the file is.
import { open } from 'node:fs/promises';
import { instanceFiles } from '../hypervisor/instance-files.js';
import type { HostLayout } from './launch/host-layout.js';

/** Nova's libvirt driver reads at most the last 100 KiB of a console log; so does strata. */
export const MAX_CONSOLE_BYTES = 100 * 1024;

export interface ConsoleActivityDependencies {
  layout: HostLayout;
}

export function createConsoleActivities({ layout }: ConsoleActivityDependencies) {
  return {
    /** The end of the instance's console log ('' before QEMU has written one). */
    async readConsoleTail(instanceId: string): Promise<string> {
      const path = instanceFiles(layout.instance(instanceId).dir).consoleLog;
      let file;
      try {
        file = await open(path, 'r');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
        throw error;
      }
      try {
        const { size } = await file.stat();
        const length = Math.min(size, MAX_CONSOLE_BYTES);
        const buffer = Buffer.alloc(length);
        await file.read(buffer, 0, length, size - length);
        return buffer.toString('utf8');
      } finally {
        await file.close();
      }
    },
  };
}

export type ConsoleActivities = ReturnType<typeof createConsoleActivities>;
