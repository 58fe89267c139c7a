// fsync of a file or directory by path: a rename is durable only once its directory is.
import { open } from 'node:fs/promises';

export async function syncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
