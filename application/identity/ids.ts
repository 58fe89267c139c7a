// Keystone ids: 32 lower-case hex digits (a uuid4 without dashes).
import { randomUUID } from 'node:crypto';

export function newKeystoneId(): string {
  return randomUUID().replace(/-/g, '');
}
