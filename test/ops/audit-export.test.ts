// `strata audit export` and `strata audit verify-export` over a real event log (an image
// created and uploaded through the API): the export verifies offline — with the event
// store gone — and any edit to the file fails verification, naming the line.
import Database from 'better-sqlite3';
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCommand } from '../../cli/commands/audit.js';
import { eventHash } from '../../eventstore/hash-chain.js';
import type { RecordedEvent } from '../../eventstore/port.js';
import { runCommand } from '../projections/fixtures/cli.js';
import { createImage, openImageHarness, uploadData, type ImageHarness } from '../images/support/image-harness.js';

let harness: ImageHarness;
let stream: string;
let scratch: string;
let exported: string;
let lines: string[];

const run = (args: string[], dataDir = harness.api.config.dataDir) => runCommand(auditCommand, args, dataDir);

beforeAll(async () => {
  harness = await openImageHarness();
  const { id } = await createImage(harness.alice, { name: 'exported' });
  expect((await uploadData(harness.alice, id, Buffer.alloc(4096, 3))).statusCode).toBe(204);
  stream = `image-${id}`;
  scratch = mkdtempSync(join(tmpdir(), 'strata-export-'));
  exported = join(scratch, 'image.jsonl');
  const outcome = await run(['export', stream, '--out', exported]);
  expect(outcome.code, outcome.stderr).toBe(0);
  expect(outcome.stderr).toContain('generated a new audit signing key');
  lines = readFileSync(exported, 'utf8').trimEnd().split('\n');
});
afterAll(async () => {
  await harness.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** Writes a copy of the export with `edit` applied to its lines; returns the copy's path. */
function alteredCopy(name: string, edit: (copy: string[]) => void): string {
  const copy = [...lines];
  edit(copy);
  const path = join(scratch, name);
  writeFileSync(path, `${copy.join('\n')}\n`);
  return path;
}

const keyFile = () => join(harness.api.config.dataDir, 'audit-signing.key');

describe('strata audit export', () => {
  it('writes a header, every event of the stream with its chain, and a signature', async () => {
    const header = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(header).toMatchObject({ format: 'strata-audit-export', version: 1, stream, algorithm: 'HMAC-SHA256' });
    const events = lines.slice(1, -1).map((line) => JSON.parse(line) as RecordedEvent);
    const stored = await harness.api.context.events.readStream(stream);
    expect(events.map((event) => event.id)).toEqual(stored.map((event) => event.id));
    expect(events[0]!.metadata.actor?.userId).toBeTruthy();
    for (const event of events) expect(eventHash(event.prevHash, event)).toBe(event.hash);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ events: stored.length, lastHash: stored.at(-1)!.hash, signature: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // The generated key is the operator's alone.
    expect(statSync(keyFile()).mode & 0o077).toBe(0);
  });

  it('verifies offline with only the file and the key, through the real CLI', async () => {
    // A data dir with no event store in it: verification must not need one.
    const empty = mkdtempSync(join(tmpdir(), 'strata-offline-'));
    try {
      const result = await execa('npx', ['tsx', 'cli/main.ts', 'audit', 'verify-export', exported, '--key', keyFile()], {
        cwd: fileURLToPath(new URL('../..', import.meta.url)),
        env: { STRATA_DATA_DIR: empty },
        reject: false,
      });
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stdout).toContain(`ok: ${exported}: ${lines.length - 2} events of ${stream}`);
      expect(readFileSync(exported, 'utf8')).toBe(`${lines.join('\n')}\n`);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('fails verification naming the line when one event line is altered', async () => {
    const line = 2;
    const path = alteredCopy('altered.jsonl', (copy) => {
      copy[line - 1] = copy[line - 1]!.replace(/"name":"exported"/, '"name":"tampered"');
    });
    expect(readFileSync(path, 'utf8')).toContain('tampered');
    const outcome = await run(['verify-export', path]);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(`verification FAILED at line ${line}: event revision 0: its content does not match its hash`);
  });

  it('fails on the signature when the altered line carries a recomputed chain', async () => {
    const path = alteredCopy('rechained.jsonl', (copy) => {
      let prevHash: string | null = null;
      for (let index = 1; index < copy.length - 1; index += 1) {
        const event = JSON.parse(copy[index]!) as RecordedEvent;
        if (index === 1) event.metadata = { ...event.metadata, actor: null };
        if (prevHash !== null) event.prevHash = prevHash;
        event.hash = eventHash(event.prevHash, event);
        prevHash = event.hash;
        copy[index] = JSON.stringify(event);
      }
    });
    const outcome = await run(['verify-export', path]);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(`at line ${lines.length}: the trailer names`);
  });

  it('fails for a removed line, a truncated file, added content and another key', async () => {
    const removed = await run(['verify-export', alteredCopy('removed.jsonl', (copy) => copy.splice(2, 1))]);
    expect(removed.stderr).toContain('at line 3: event revision 2: its link to the previous event is broken');
    const truncated = await run(['verify-export', alteredCopy('truncated.jsonl', (copy) => copy.pop())]);
    expect(truncated.stderr).toContain('no signature line');
    const appended = await run(['verify-export', alteredCopy('appended.jsonl', (copy) => copy.push('{"more":1}'))]);
    expect(appended.stderr).toContain(`at line ${lines.length + 1}: unsigned content after the signature`);
    const otherKey = join(scratch, 'other.key');
    writeFileSync(otherKey, 'x'.repeat(64));
    const wrongKey = await run(['verify-export', exported, '--key', otherKey]);
    expect(wrongKey.stderr).toContain('at line 1: signed with another key');
    for (const outcome of [removed, truncated, appended, wrongKey]) expect(outcome.code).toBe(1);
  });

  it('refuses to sign a stream whose stored events were altered, and leaves no file', async () => {
    const { id } = await createImage(harness.bob, { name: 'to-be-altered' });
    const db = new Database(harness.api.context.config.eventStore.sqlitePath ?? join(harness.api.config.dataDir, 'events.db'));
    try {
      const changed = db.prepare("UPDATE events SET data = replace(data, 'to-be-altered', 'altered') WHERE stream = ? AND revision = 0").run(`image-${id}`);
      expect(changed.changes).toBe(1);
    } finally {
      db.close();
    }
    const path = join(scratch, 'altered-store.jsonl');
    const outcome = await run(['export', `image-${id}`, '--out', path]);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(`refused: stream image-${id} is altered at revision 0`);
    expect(() => statSync(path)).toThrow();
    expect(() => statSync(`${path}.partial`)).toThrow();
  });

  it('refuses a stream with no events and leaves no file', async () => {
    const path = join(scratch, 'none.jsonl');
    const outcome = await run(['export', 'instance-00000000-0000-4000-8000-000000000000', '--out', path]);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain('has no events');
    expect(() => statSync(path)).toThrow();
    expect(() => statSync(`${path}.partial`)).toThrow();
  });
});
