// The key that signs audit exports: the configured one (audit.signingKey or
// audit.signingKeyFile), else <dataDir>/audit-signing.key — generated on first use (32
// random bytes, hex, mode 0600) so an export is always signed, and said so, since the
// same key is needed to verify the export later.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { StrataConfig } from './schema.js';

export const MIN_SIGNING_KEY_BYTES = 32;

export interface SigningKey {
  key: Buffer;
  /** Where it came from, for messages: `audit.signingKey`, or a file path. */
  source: string;
}

export function defaultSigningKeyFile(config: Pick<StrataConfig, 'dataDir'>): string {
  return join(resolve(config.dataDir), 'audit-signing.key');
}

/** Reads a key file (its text, trimmed); refuses a key too short to sign with. */
export function readSigningKeyFile(path: string): SigningKey {
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'utf8');
  if (key.length < MIN_SIGNING_KEY_BYTES) throw new Error(`audit signing key in ${path} is shorter than ${MIN_SIGNING_KEY_BYTES} bytes`);
  return { key, source: path };
}

/** The configured key, or the data dir's; null when there is none yet. */
export function configuredSigningKey(config: Pick<StrataConfig, 'dataDir' | 'audit'>): SigningKey | null {
  const { signingKey, signingKeyFile } = config.audit;
  if (signingKey !== undefined) return { key: Buffer.from(signingKey, 'utf8'), source: 'audit.signingKey' };
  if (signingKeyFile !== undefined) return readSigningKeyFile(signingKeyFile);
  try {
    return readSigningKeyFile(defaultSigningKeyFile(config));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** The key to sign with, generating the data dir's key when none exists (`announce` tells the operator). */
export function signingKeyForExport(config: Pick<StrataConfig, 'dataDir' | 'audit'>, announce: (line: string) => void): SigningKey {
  const existing = configuredSigningKey(config);
  if (existing) return existing;
  const path = defaultSigningKeyFile(config);
  mkdirSync(dirname(path), { recursive: true });
  try {
    // `wx`: two exports starting at once must not each write a different key.
    writeFileSync(path, `${randomBytes(MIN_SIGNING_KEY_BYTES).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    announce(`generated a new audit signing key in ${path}: keep it, exports verify only with it`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readSigningKeyFile(path);
}
