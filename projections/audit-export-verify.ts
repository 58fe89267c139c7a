// Offline verification of a signed audit export (`strata audit verify-export`): no event
// store, only the file and the key. Every event line must parse, belong to the header's
// stream and hold its chain link; the trailer's signature must match every byte before it.
// The first failure names its line (1-based) and why.
import { timingSafeEqual } from 'node:crypto';
import { ChainVerifier, GENESIS_HASH } from '../eventstore/hash-chain.js';
import type { RecordedEvent } from '../eventstore/port.js';
import { EXPORT_ALGORITHM, EXPORT_FORMAT, EXPORT_VERSION, LineSigner, keyIdOf, type ExportHeader } from './audit-export-format.js';

export type ExportVerification =
  | { ok: true; stream: string; events: number; lastHash: string; exportedAt: string }
  | { ok: false; line: number; reason: string };

function parse(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function headerProblem(header: Record<string, unknown> | null, key: Buffer): string | null {
  if (header?.format !== EXPORT_FORMAT) return `not a ${EXPORT_FORMAT} header`;
  if (header.version !== EXPORT_VERSION) return `unsupported export version ${String(header.version)}`;
  if (header.algorithm !== EXPORT_ALGORITHM) return `unsupported signature algorithm ${String(header.algorithm)}`;
  if (typeof header.stream !== 'string' || typeof header.exportedAt !== 'string') return 'header lacks its stream or export time';
  if (header.keyId !== keyIdOf(key)) return `signed with another key (key id ${String(header.keyId)}; the given key's id is ${keyIdOf(key)})`;
  return null;
}

function sameHex(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

const BREAK_REASONS = {
  'hash-mismatch': 'its content does not match its hash (the event was altered)',
  'link-mismatch': 'its link to the previous event is broken (an event was removed, reordered or altered)',
} as const;

export async function verifyAuditExport(lines: AsyncIterable<string>, key: Buffer): Promise<ExportVerification> {
  const signer = new LineSigner(key);
  const chain = new ChainVerifier();
  let header: ExportHeader | null = null;
  let lineNumber = 0;
  let events = 0;
  let lastHash = GENESIS_HASH;
  let signedAt: number | null = null;
  for await (const line of lines) {
    lineNumber += 1;
    // Anything after the trailer would be unsigned: the trailer must be the last line.
    if (signedAt !== null) return { ok: false, line: lineNumber, reason: `unsigned content after the signature on line ${signedAt}` };
    const value = parse(line);
    if (header === null) {
      const problem = headerProblem(value, key);
      if (problem) return { ok: false, line: lineNumber, reason: problem };
      header = value as unknown as ExportHeader;
      signer.add(line);
      continue;
    }
    if (value === null) return { ok: false, line: lineNumber, reason: 'not a JSON object' };
    if ('signature' in value) {
      if (value.events !== events || value.lastHash !== lastHash) return { ok: false, line: lineNumber, reason: `the trailer names ${String(value.events)} events ending in ${String(value.lastHash)}, the file holds ${events} ending in ${lastHash}` };
      if (!sameHex(String(value.signature), signer.signature())) return { ok: false, line: lineNumber, reason: 'the signature does not match the file (a line was altered, added or removed, or another key signed it)' };
      signedAt = lineNumber;
      continue;
    }
    if (value.stream !== header.stream) return { ok: false, line: lineNumber, reason: `event of stream ${String(value.stream)} in an export of ${header.stream}` };
    const broken = chain.check(value as unknown as RecordedEvent);
    if (broken) return { ok: false, line: lineNumber, reason: `event revision ${broken.revision}: ${BREAK_REASONS[broken.reason]}` };
    signer.add(line);
    events += 1;
    lastHash = String(value.hash);
  }
  if (header === null) return { ok: false, line: lineNumber, reason: 'the file is empty' };
  if (signedAt === null) return { ok: false, line: lineNumber, reason: 'no signature line: the file is truncated' };
  return { ok: true, stream: header.stream, events, lastHash, exportedAt: header.exportedAt };
}
