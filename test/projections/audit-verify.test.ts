// `strata audit verify` over a real SQLite event log, before and after someone edits the
// file by hand. Most cases run the command's `run` in-process; the last one runs the real
// CLI, once cli/registry.ts lists the command.
import Database from 'better-sqlite3';
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { auditCommand } from '../../cli/commands/audit.js';
import { findCommand } from '../../cli/registry.js';
import { counterEvent } from './fixtures/counters.js';
import { runCommand } from './fixtures/cli.js';
import { createWorkspace } from './fixtures/workspace.js';
import type { Workspace } from './fixtures/workspace.js';

let workspace: Workspace;
beforeEach(async () => {
  workspace = createWorkspace();
  const store = workspace.openStore();
  for (let stream = 0; stream < 5; stream += 1) {
    await store.append(`counter-${stream}`, Array.from({ length: 10 }, (_, n) => counterEvent(n)), { expected: 'no_stream' });
  }
  await store.close();
});
afterEach(async () => {
  await workspace.dispose();
});

interface StoredRow {
  position: number;
  id: string;
}

/** Edits the events file directly, as someone with file access but no event-store API would. */
function editEventsFile<T>(edit: (db: Database.Database) => T): T {
  const db = new Database(workspace.eventsPath);
  try {
    return edit(db);
  } finally {
    db.close();
  }
}

const rowAt = (db: Database.Database, stream: string, revision: number) =>
  db.prepare<[string, number], StoredRow>('SELECT position, id FROM events WHERE stream = ? AND revision = ?').get(stream, revision);

it('reports every chain intact on an untouched log', async () => {
  const all = await runCommand(auditCommand, ['verify'], workspace.dir);
  expect(all).toMatchObject({ code: 0, stdout: 'ok: 50 events in 5 streams verified' });
  const one = await runCommand(auditCommand, ['verify', 'counter-3'], workspace.dir);
  expect(one).toMatchObject({ code: 0, stdout: 'ok: 10 events in 1 streams verified' });
});

it('names the event whose stored data was edited by hand, and exits 1', async () => {
  const edited = editEventsFile((db) => {
    const row = rowAt(db, 'counter-2', 3);
    db.prepare('UPDATE events SET data = ? WHERE position = ?').run('{"amount":999}', row?.position);
    return row;
  });
  expect(edited).toBeDefined();
  const expected =
    `stream counter-2, revision 3, position ${edited?.position}, event ${edited?.id} (CounterAdded.v1): ` +
    'its content does not match its hash';

  const all = await runCommand(auditCommand, ['verify'], workspace.dir);
  expect(all.code).toBe(1);
  expect(all.stderr).toContain(expected);
  const stream = await runCommand(auditCommand, ['verify', 'counter-2'], workspace.dir);
  expect(stream.code).toBe(1);
  expect(stream.stderr).toContain(expected);
  const untouched = await runCommand(auditCommand, ['verify', 'counter-1'], workspace.dir);
  expect(untouched.code).toBe(0);
});

it('names the event after a removed one, whose link no longer holds', async () => {
  const next = editEventsFile((db) => {
    db.prepare('DELETE FROM events WHERE position = ?').run(rowAt(db, 'counter-4', 5)?.position);
    return rowAt(db, 'counter-4', 6);
  });
  const all = await runCommand(auditCommand, ['verify'], workspace.dir);
  expect(all.code).toBe(1);
  expect(all.stderr).toContain(`stream counter-4, revision 6, position ${next?.position}, event ${next?.id}`);
  expect(all.stderr).toContain('its link to the previous event is broken');
});

it('fails on a stream that has no events rather than calling it verified', async () => {
  const outcome = await runCommand(auditCommand, ['verify', 'instance-nope'], workspace.dir);
  expect(outcome).toMatchObject({ code: 1, stderr: 'stream instance-nope has no events' });
});

it.runIf(findCommand('audit') !== undefined)('through the real CLI, names the edited event and exits 1', async () => {
  const edited = editEventsFile((db) => {
    const row = rowAt(db, 'counter-0', 9);
    db.prepare('UPDATE events SET metadata = json_set(metadata, ?, ?) WHERE position = ?').run('$.actor.userId', 'mallory', row?.position);
    return row;
  });
  const result = await execa('npx', ['tsx', 'cli/main.ts', 'audit', 'verify'], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    env: { STRATA_DATA_DIR: workspace.dir, STRATA_EVENT_STORE_ADAPTER: 'sqlite', STRATA_EVENT_STORE_SQLITE_PATH: workspace.eventsPath },
    reject: false,
  });
  expect(result.exitCode, result.stderr).toBe(1);
  expect(result.stderr).toContain(`stream counter-0, revision 9, position ${edited?.position}, event ${edited?.id} (CounterAdded.v1)`);
});
