// `strata audit export <stream> [--out file]` and `strata audit verify-export <file> [--key file]`:
// a signed JSON-lines copy of one stream's history, and its offline check (the file and
// the key only: no event store, no server).
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';
import { configuredSigningKey, readSigningKeyFile, signingKeyForExport, type SigningKey } from '../../config/audit-signing-key.js';
import type { StrataConfig } from '../../config/schema.js';
import { strataEventSchemas } from '../../domain/event-registry.js';
import { openEventStore } from '../../eventstore/open.js';
import { keyIdOf } from '../../projections/audit-export-format.js';
import { verifyAuditExport } from '../../projections/audit-export-verify.js';
import { BrokenChainError, writeAuditExport } from '../../projections/audit-export.js';

/** Exports to `out` (written beside it, renamed into place when complete) or to stdout. */
export async function exportStream(config: StrataConfig, stream: string, out: string | undefined): Promise<number> {
  const { key, source } = signingKeyForExport(config, (line) => console.error(line));
  const store = openEventStore(config, strataEventSchemas());
  const partial = out === undefined ? undefined : `${out}.partial`;
  const target = partial === undefined ? process.stdout : createWriteStream(partial, { flags: 'w', mode: 0o644 });
  try {
    const summary = await writeAuditExport(store, stream, key, target);
    if (partial !== undefined && out !== undefined) {
      target.end();
      await finished(target);
      if (summary.events === 0) {
        await rm(partial, { force: true });
      } else {
        await rename(partial, out);
      }
    }
    if (summary.events === 0) {
      console.error(`strata audit export: stream ${stream} has no events`);
      return 1;
    }
    console.error(`exported ${summary.events} events of ${stream}${out === undefined ? '' : ` to ${out}`}, signed with key ${keyIdOf(key)} (${source})`);
    return 0;
  } catch (error) {
    if (partial !== undefined) {
      target.destroy();
      await rm(partial, { force: true });
    }
    if (!(error instanceof BrokenChainError)) throw error;
    console.error(`strata audit export: refused: ${error.message}`);
    return 1;
  } finally {
    await store.close();
  }
}

function verificationKey(config: StrataConfig, keyFile: string | undefined): SigningKey | null {
  return keyFile === undefined ? configuredSigningKey(config) : readSigningKeyFile(keyFile);
}

export async function verifyExportFile(config: StrataConfig, file: string, keyFile: string | undefined): Promise<number> {
  const signingKey = verificationKey(config, keyFile);
  if (!signingKey) {
    console.error('strata audit verify-export: no signing key configured; pass --key <file>');
    return 2;
  }
  const input = createReadStream(file, 'utf8');
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    const report = await verifyAuditExport(lines, signingKey.key);
    if (!report.ok) {
      console.error(`${file}: verification FAILED at line ${report.line}: ${report.reason}`);
      return 1;
    }
    console.log(`ok: ${file}: ${report.events} events of ${report.stream} (exported ${report.exportedAt}), chain and signature verified with key ${keyIdOf(signingKey.key)}`);
    return 0;
  } finally {
    lines.close();
    input.destroy();
  }
}
