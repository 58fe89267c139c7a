// The signed audit export, a JSON-lines file an auditor verifies offline:
//   line 1       header  {"format":"strata-audit-export","version":1,"stream","exportedAt","algorithm":"HMAC-SHA256","keyId"}
//   lines 2..n+1 events  one stored event each, canonical JSON, with its chain hash and prevHash
//   last line    trailer {"events":n,"lastHash","signature"}: HMAC-SHA256 over every byte before it
// The chain names the first altered event line; the signature covers everything else
// (header, order, truncation, a chain recomputed by whoever altered it).
import { createHash, createHmac, type Hmac } from 'node:crypto';

export const EXPORT_FORMAT = 'strata-audit-export';
export const EXPORT_VERSION = 1;
export const EXPORT_ALGORITHM = 'HMAC-SHA256';

export interface ExportHeader {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  stream: string;
  exportedAt: string;
  algorithm: typeof EXPORT_ALGORITHM;
  /** Names the key without revealing it: the first 16 hex digits of its sha-256. */
  keyId: string;
}

export interface ExportTrailer {
  events: number;
  lastHash: string;
  signature: string;
}

export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/** Signs lines as they are written or read: each line with its newline, in order. */
export class LineSigner {
  private readonly hmac: Hmac;

  constructor(key: Buffer) {
    this.hmac = createHmac('sha256', key);
  }

  /** Adds the line and returns it with its newline, ready to write. */
  add(line: string): string {
    const withNewline = `${line}\n`;
    this.hmac.update(withNewline, 'utf8');
    return withNewline;
  }

  signature(): string {
    return this.hmac.digest('hex');
  }
}
