// Whether something is at path: the idempotency checks of the host steps ask it often.
import { access } from 'node:fs/promises';

export async function pathExists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
