// The flavors read model: one row per flavor that has not been deleted, shaped for Nova's
// flavor lists and filters. Creation time comes from the event's metadata, so a rebuild
// reproduces it exactly.
import type { Flavor, FlavorEvent } from '../domain/compute/flavor.js';
import { flavorEventSchemas } from '../domain/compute/flavor.js';
import type { RecordedEvent } from '../eventstore/port.js';
import { defineProjection } from './projection.js';

type Params = Record<string, string | number | null>;

function flavorParams(flavor: Flavor, at: string): Params {
  return {
    id: flavor.id,
    name: flavor.name,
    vcpus: flavor.vcpus,
    ram_mb: flavor.ramMb,
    disk_gb: flavor.diskGb,
    ephemeral_gb: flavor.ephemeralGb,
    swap_mb: flavor.swapMb,
    is_public: Number(flavor.isPublic),
    description: flavor.description,
    created_at: at,
  };
}

export const flavorsProjection = defineProjection({
  name: 'flavors',
  version: 1,
  tables: ['flavors'] as const,
  filter: { eventTypes: Object.keys(flavorEventSchemas) },
  createTables: (t) => `
    CREATE TABLE ${t.flavors} (
      id TEXT PRIMARY KEY, name TEXT NOT NULL, vcpus INTEGER NOT NULL, ram_mb INTEGER NOT NULL, disk_gb INTEGER NOT NULL,
      ephemeral_gb INTEGER NOT NULL, swap_mb INTEGER NOT NULL, is_public INTEGER NOT NULL, description TEXT,
      created_at TEXT NOT NULL) STRICT`,
  createIndexes: (t) => `CREATE INDEX ${t.flavors}_by_name ON ${t.flavors} (name)`,
  prepare: (db, t) => ({
    insert: db.prepare<[Params]>(
      `INSERT OR REPLACE INTO ${t.flavors} VALUES (@id, @name, @vcpus, @ram_mb, @disk_gb, @ephemeral_gb, @swap_mb, @is_public, @description, @created_at)`,
    ),
    remove: db.prepare<[Params]>(`DELETE FROM ${t.flavors} WHERE id = @id`),
  }),
  apply: (statements, event: RecordedEvent) => {
    const flavorEvent = event as unknown as FlavorEvent;
    if (flavorEvent.type === 'FlavorCreated.v1') statements.insert.run(flavorParams(flavorEvent.data, event.metadata.timestamp));
    else statements.remove.run({ id: flavorEvent.data.id });
  },
});
