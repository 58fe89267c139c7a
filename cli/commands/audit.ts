// `strata audit verify [stream]`: proves the stored log was not altered by walking every
// hash chain (or one stream's); exit 1 names the first event whose link does not hold.
import { parseArgs } from 'node:util';
import { strataEventSchemas } from '../../domain/event-registry.js';
import { openEventStore } from '../../eventstore/open.js';
import { verifyChains } from '../../projections/verify-chains.js';
import type { ChainReport } from '../../projections/verify-chains.js';
import type { CliCommand } from '../command.js';

const usage = `usage:
  strata audit verify [stream]   check the hash chain of every stream, or of one stream

Exit 0 and "ok: N events in M streams verified" when every link holds; exit 1 and the
first broken link (stream, revision, position, event id, type) otherwise.`;

export const auditCommand: CliCommand = {
  name: 'audit',
  summary: 'verify that the event log was not altered',
  usage,
  async run(args, { config }) {
    const { positionals } = parseArgs({ args, options: {}, allowPositionals: true });
    const [action, stream, ...extra] = positionals;
    if (action !== 'verify' || extra.length > 0) {
      console.error(usage);
      return 2;
    }
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
  },
};

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
