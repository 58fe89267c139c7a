// `strata projections status|rebuild`: where each read model stands against the log, and
// rebuilding read models from position 0 (e.g. after a bug fix in a projection).
import { parseArgs } from 'node:util';
import { dataPaths } from '../../config/paths.js';
import { strataEventSchemas } from '../../domain/event-registry.js';
import { openEventStore } from '../../eventstore/open.js';
import { allProjections } from '../../projections/all.js';
import type { Projection } from '../../projections/projection.js';
import { openReadModel } from '../../projections/read-model.js';
import { rebuildProjection } from '../../projections/rebuild.js';
import type { RebuildResult } from '../../projections/rebuild.js';
import { projectionStatus } from '../../projections/status.js';
import type { ProjectionStatus } from '../../projections/status.js';
import type { CliCommand } from '../command.js';

const usage = `usage:
  strata projections status             each projection's state, checkpoint, log head and lag
  strata projections rebuild [name...]  replay the log from position 0 into fresh tables and swap
                                        them in (every projection when no name is given)

Projections: ${allProjections.map((projection) => projection.name).join(', ')}.
A rebuild is safe while an API runs on the same read model: readers see the old rows
until the swap, and the API's runner re-reads whatever the rebuild did not cover.`;

export const projectionsCommand: CliCommand = {
  name: 'projections',
  summary: 'show projection status or rebuild read models from the event log',
  usage,
  async run(args, { config }) {
    const { positionals } = parseArgs({ args, options: {}, allowPositionals: true });
    const request = parseRequest(positionals);
    if ('error' in request) {
      console.error(`strata projections: ${request.error}\n\n${usage}`);
      return 2;
    }
    const store = openEventStore(config, strataEventSchemas());
    const db = openReadModel(dataPaths(config).readModel);
    try {
      if (request.action === 'status') {
        console.log(formatStatus(await projectionStatus(db, store, allProjections)));
        return 0;
      }
      for (const projection of request.projections) {
        console.log(`rebuilding ${projection.name} …`);
        console.log(describeRebuild(await rebuildProjection(db, store, projection)));
      }
      return 0;
    } catch (error) {
      console.error(`strata projections ${request.action}: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    } finally {
      db.close();
      await store.close();
    }
  },
};

type Request = { action: 'status' } | { action: 'rebuild'; projections: readonly Projection[] } | { error: string };

function parseRequest([action, ...names]: string[]): Request {
  if (action === 'status') return names.length === 0 ? { action } : { error: 'status takes no names' };
  if (action !== 'rebuild') return { error: action === undefined ? 'status or rebuild?' : `no action ${action}` };
  const unknown = names.filter((name) => !allProjections.some((projection) => projection.name === name));
  if (unknown.length > 0) return { error: `no projection named ${unknown.join(', ')}` };
  const projections = names.length === 0 ? allProjections : allProjections.filter((projection) => names.includes(projection.name));
  return { action, projections };
}

export function formatStatus(statuses: readonly ProjectionStatus[]): string {
  const header = ['projection', 'state', 'version', 'checkpoint', 'head', 'lag'];
  const rows = statuses.map((status) => [
    status.name,
    status.state,
    status.builtVersion === null || status.builtVersion === status.version
      ? String(status.version)
      : `${status.builtVersion} (code ${status.version})`,
    status.checkpoint === null ? '-' : String(status.checkpoint),
    String(status.head),
    status.lag === null ? '-' : String(status.lag),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const table = [header, ...rows].map((row) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd());
  const failures = statuses.filter((status) => status.failure).map((status) => `${status.name}: ${status.failure}`);
  return [...table, ...failures].join('\n');
}

export function describeRebuild(result: RebuildResult): string {
  const rate = result.seconds > 0 ? Math.round(result.eventsRead / result.seconds) : result.eventsRead;
  return (
    `rebuilt ${result.name} v${result.version}: ${result.eventsRead} events read, ${result.eventsApplied} applied, ` +
    `in ${result.seconds.toFixed(2)} s (${rate} events/s); checkpoint ${result.position}`
  );
}
