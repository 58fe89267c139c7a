// The volumes read model: one row per volume holding the state the volume decider folds
// from its events (the same `evolve` the command side uses), plus the columns lists
// filter and sort on. An event at or below the row's position is skipped (idempotent).
import { volumeEventSchemas } from '../domain/volume/events.js';
import type { VolumeEvent } from '../domain/volume/events.js';
import type { VolumeState } from '../domain/volume/volume.js';
import { volumeDecider } from '../domain/volume/volume.js';
import type { RecordedEvent } from '../eventstore/port.js';
import { defineProjection } from './projection.js';

const STREAM_PREFIX = 'volume-';

type Params = Record<string, string | number | null>;

export const volumesProjection = defineProjection({
  name: 'volumes',
  // Bump whenever the volume decider's `evolve` changes what it folds: the stored state is its output.
  version: 1,
  tables: ['volumes'] as const,
  filter: { eventTypes: Object.keys(volumeEventSchemas) },
  createTables: (t) => `
    CREATE TABLE ${t.volumes} (
      id TEXT PRIMARY KEY, project_id TEXT NOT NULL, name TEXT, status TEXT NOT NULL, node TEXT NOT NULL,
      created_at TEXT NOT NULL, updated_at TEXT NOT NULL, state TEXT NOT NULL, position INTEGER NOT NULL) STRICT`,
  createIndexes: (t) => `CREATE INDEX ${t.volumes}_by_project ON ${t.volumes} (project_id, created_at, id)`,
  prepare: (db, t) => ({
    load: db.prepare<[string], { state: string; position: number }>(`SELECT state, position FROM ${t.volumes} WHERE id = ?`),
    save: db.prepare<[Params]>(`INSERT OR REPLACE INTO ${t.volumes} VALUES (@id, @project_id, @name, @status, @node, @created_at, @updated_at, @state, @position)`),
  }),
  apply: (statements, event: RecordedEvent) => {
    if (!event.stream.startsWith(STREAM_PREFIX)) return;
    const volumeId = event.stream.slice(STREAM_PREFIX.length);
    const stored = statements.load.get(volumeId);
    if (stored && stored.position >= event.position) return;
    const before = stored ? (JSON.parse(stored.state) as VolumeState) : volumeDecider.initialState();
    const state = volumeDecider.evolve(before, event as unknown as VolumeEvent);
    const { request } = state;
    if (!request) return;
    statements.save.run({
      id: volumeId,
      project_id: request.projectId,
      name: request.name,
      status: state.status,
      node: request.node,
      created_at: request.createdAt,
      updated_at: event.metadata.timestamp,
      state: JSON.stringify(state),
      position: event.position,
    });
  },
});
