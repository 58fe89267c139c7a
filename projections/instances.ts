// The instances read model: one row per instance holding the state the instance decider
// folds from its events (the same `evolve` the command side uses, so the two never
// disagree), plus the columns lists filter and sort on. Every instance event type updates
// it; an event at or below the row's position is skipped, so applying is idempotent. A
// deleted instance keeps its row (vm_state deleted, terminated_at set): lists leave it out
// unless asked for deleted servers, as Nova does.
import type { InstanceEvent, InstanceState } from '../domain/compute/instance.js';
import { instanceDecider, instanceEventSchemas } from '../domain/compute/instance.js';
import type { RecordedEvent } from '../eventstore/port.js';
import { defineProjection } from './projection.js';

const STREAM_PREFIX = 'instance-';

interface StoredState {
  state: string;
  position: number;
}

type Params = Record<string, string | number | null>;

function rowParams(instanceId: string, state: InstanceState, event: RecordedEvent): Params | null {
  const { request } = state;
  if (!request) return null;
  return {
    id: instanceId,
    project_id: request.projectId,
    user_id: request.userId,
    name: request.name,
    vm_state: state.vmState,
    task_state: state.taskState,
    host: state.host,
    image_id: request.image.id,
    flavor_id: request.flavor.id,
    created_at: request.createdAt,
    updated_at: event.metadata.timestamp,
    terminated_at: state.terminatedAt ?? null,
    state: JSON.stringify(state),
    position: event.position,
  };
}

export const instancesProjection = defineProjection({
  name: 'instances',
  // Bump whenever the instance decider's `evolve` changes what it folds: the stored state is its output.
  version: 4,
  tables: ['instances'] as const,
  filter: { eventTypes: Object.keys(instanceEventSchemas) },
  createTables: (t) => `
    CREATE TABLE ${t.instances} (
      id TEXT PRIMARY KEY, project_id TEXT NOT NULL, user_id TEXT NOT NULL, name TEXT NOT NULL,
      vm_state TEXT, task_state TEXT, host TEXT, image_id TEXT NOT NULL, flavor_id TEXT NOT NULL,
      created_at TEXT NOT NULL, updated_at TEXT NOT NULL, terminated_at TEXT, state TEXT NOT NULL, position INTEGER NOT NULL) STRICT`,
  createIndexes: (t) => `
    CREATE INDEX ${t.instances}_by_project ON ${t.instances} (project_id, created_at, id);
    CREATE INDEX ${t.instances}_by_created ON ${t.instances} (created_at, id);
    CREATE INDEX ${t.instances}_by_vm_state ON ${t.instances} (vm_state)`,
  prepare: (db, t) => ({
    load: db.prepare<[string], StoredState>(`SELECT state, position FROM ${t.instances} WHERE id = ?`),
    save: db.prepare<[Params]>(
      `INSERT OR REPLACE INTO ${t.instances} VALUES (@id, @project_id, @user_id, @name, @vm_state, @task_state, @host,
         @image_id, @flavor_id, @created_at, @updated_at, @terminated_at, @state, @position)`,
    ),
  }),
  apply: (statements, event: RecordedEvent) => {
    if (!event.stream.startsWith(STREAM_PREFIX)) return;
    const instanceId = event.stream.slice(STREAM_PREFIX.length);
    const stored = statements.load.get(instanceId);
    if (stored && stored.position >= event.position) return;
    const before = stored ? (JSON.parse(stored.state) as InstanceState) : instanceDecider.initialState();
    const params = rowParams(instanceId, instanceDecider.evolve(before, event as unknown as InstanceEvent), event);
    if (params) statements.save.run(params);
  },
});
