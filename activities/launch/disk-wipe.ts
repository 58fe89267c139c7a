// Wiping a file before it is removed (Nova's volume_clear for ephemeral data): `zero`
// overwrites every byte with zeros and fsyncs, `shred` runs coreutils shred (three
// random passes, synced), `none` leaves the blocks to the file system.
import { execa } from 'execa';
import { open } from 'node:fs/promises';
import { pathExists } from './path-exists.js';

export type WipeMode = 'zero' | 'shred' | 'none';

const zeroChunk = Buffer.alloc(1024 * 1024);
const shredTimeoutMs = 10 * 60_000;

async function overwriteWithZeros(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    const { size } = await handle.stat();
    for (let position = 0; position < size; position += zeroChunk.length) {
      await handle.write(zeroChunk, 0, Math.min(zeroChunk.length, size - position), position);
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Wipes path in place (it stays, for the caller to check or remove); a missing file is already gone. */
export async function wipeFile(path: string, mode: WipeMode): Promise<void> {
  if (!(await pathExists(path))) return;
  if (mode === 'zero') await overwriteWithZeros(path);
  if (mode === 'shred') await execa('shred', ['--iterations=3', path], { timeout: shredTimeoutMs });
}
