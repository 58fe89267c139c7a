// `strata audit verify [stream]`: proves the stored log was not altered by walking every
// hash chain (or one stream's); exit 1 names the first event whose link does not hold.
// `export` and `verify-export` (audit-export.ts) carry one stream's history out as a signed file.
import { parseArgs } from 'node:util';
import { strataEventSchemas } from '../../domain/event-registry.js';
import { openEventStore } from '../../eventstore/open.js';
import { verifyChains } from '../../projections/verify-chains.js';
import type { ChainReport } from '../../projections/verify-chains.js';
import type { CliCommand, CliContext } from '../command.js';
import { exportStream, verifyExportFile } from './audit-export.js';

const usage = `usage:
  strata audit verify [stream]                    check the hash chain of every stream, or of one stream
  strata audit export <stream> [--out file]       write the stream's history as a signed JSON-lines file (stdout by default)
  strata audit verify-export <file> [--key file]  check an export offline: every event's chain link and the signature

verify: exit 0 and "ok: N events in M streams verified" when every link holds; exit 1 and
the first broken link (stream, revision, position, event id, type) otherwise.
export signs with HMAC-SHA256 under audit.signingKey / audit.signingKeyFile, else the key in
<dataDir>/audit-signing.key (generated on first use). verify-export uses --key, else that
same key; exit 1 names the first line that fails.`;

export const auditCommand: CliCommand = {
  name: 'audit',
  summary: 'verify that the event log was not altered',
  usage,
  async run(args, context) {
    const { positionals, values } = parseArgs({ args, options: { out: { type: 'string' }, key: { type: 'string' } }, allowPositionals: true });
    const [action, subject, ...extra] = positionals;
    if (extra.length === 0 && action === 'verify' && values.out === undefined && values.key === undefined) return verify(context, subject);
    if (extra.length === 0 && action === 'export' && subject !== undefined && values.key === undefined) return exportStream(context.config, subject, values.out);
    if (extra.length === 0 && action === 'verify-export' && subject !== undefined && values.out === undefined) return verifyExportFile(context.config, subject, values.key);
    console.error(usage);
    return 2;
  },
};

async function verify({ config }: CliContext, stream: string | undefined): Promise<number> {
  const store = openEventStore(config, strataEventSchemas());
  try {
    const report = await verifyChains(store, stream);
    const { text, ok } = describeReport(report, stream);
    if (!ok) {
      console.error(text);
      return 1;
    }
    console.log(text);
    return 0;
  } catch (error) {
    // An event altered into something unreadable (not JSON) stops the read itself.
    console.error(`strata audit verify: cannot read the log: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await store.close();
  }
}

export function describeReport(report: ChainReport, stream?: string): { text: string; ok: boolean } {
  if (report.ok) {
    if (stream !== undefined && report.events === 0) return { text: `stream ${stream} has no events`, ok: false };
    return { text: `ok: ${report.events} events in ${report.streams} streams verified`, ok: true };
  }
  const { broken } = report;
  const what =
    broken.reason === 'hash-mismatch'
      ? `its content does not match its hash (stored ${broken.storedHash}, recomputed ${broken.expectedHash})`
      : `its link to the previous event is broken (prevHash ${broken.storedHash}, expected ${broken.expectedHash})`;
  return {
    text:
      `broken chain after ${report.events} verified events: stream ${broken.stream}, revision ${broken.revision}, ` +
      `position ${broken.position}, event ${broken.eventId} (${broken.type}): ${what}`,
    ok: false,
  };
}
