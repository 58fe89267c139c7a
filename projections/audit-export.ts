// `strata audit export`: writes one stream's whole history as a signed JSON-lines file
// (format in audit-export-format.ts), page by page, so memory holds one page. The chain is
// checked while writing: a signature must never vouch for a log altered before the export.
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { ChainVerifier, GENESIS_HASH, canonicalJson } from '../eventstore/hash-chain.js';
import type { EventStore } from '../eventstore/port.js';
import { EXPORT_ALGORITHM, EXPORT_FORMAT, EXPORT_VERSION, LineSigner, keyIdOf, type ExportHeader, type ExportTrailer } from './audit-export-format.js';
import { streamPages } from './verify-chains.js';

export class BrokenChainError extends Error {
  override readonly name = 'BrokenChainError';
}

export interface ExportSummary {
  events: number;
  lastHash: string;
}

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

/** Writes the export to `out` (not ended here); zero events means the stream does not exist. */
export async function writeAuditExport(store: EventStore, stream: string, key: Buffer, out: Writable, now = new Date()): Promise<ExportSummary> {
  const signer = new LineSigner(key);
  const header: ExportHeader = { format: EXPORT_FORMAT, version: EXPORT_VERSION, stream, exportedAt: now.toISOString(), algorithm: EXPORT_ALGORITHM, keyId: keyIdOf(key) };
  await write(out, signer.add(canonicalJson(header)));
  let events = 0;
  let lastHash = GENESIS_HASH;
  const chain = new ChainVerifier();
  for await (const page of streamPages(store, stream, 1_000)) {
    for (const event of page) {
      const broken = chain.check(event);
      if (broken) throw new BrokenChainError(`stream ${stream} is altered at revision ${broken.revision} (position ${broken.position}, ${broken.reason}): run strata audit verify ${stream}`);
      const { stream: eventStream, revision, position, id, type, data, metadata, hash, prevHash } = event;
      await write(out, signer.add(canonicalJson({ stream: eventStream, revision, position, id, type, data, metadata, hash, prevHash })));
      events += 1;
      lastHash = hash;
    }
  }
  const trailer: ExportTrailer = { events, lastHash, signature: signer.signature() };
  await write(out, `${canonicalJson(trailer)}\n`);
  return { events, lastHash };
}
