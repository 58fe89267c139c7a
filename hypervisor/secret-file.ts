// Secrets reach QEMU and qemu-img as files (`secret` objects with file=), never as
// arguments, so they do not show in ps, logs, URLs or query-block.
import { chmod, writeFile } from 'node:fs/promises';

export async function writeSecretFile(path: string, secret: string | Uint8Array): Promise<void> {
  await writeFile(path, secret, { mode: 0o600 });
  // writeFile's mode applies only when it creates the file.
  await chmod(path, 0o600);
}
