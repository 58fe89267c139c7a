// sequential durable appends: 1 KiB vs 4 KiB pages vs raw fsync probe, interleaved in short slices
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { EventSchemaRegistry } from '../eventstore/schemas.js';
import { openSqliteEventStore } from '../eventstore/sqlite/index.js';
const schemas = new EventSchemaRegistry({ 'InstanceStepCompleted.v1': z.object({ instanceId: z.string(), step: z.string(), host: z.string(), attempt: z.number().int() }) });
function stepEvent(n: number) {
  return { id: randomUUID(), type: 'InstanceStepCompleted.v1', data: { instanceId: `0b5e7a2c-${n}`, step: 'createRootDisk', host: 'compute-1', attempt: 1 },
    metadata: { actor: { userId: 'admin', projectId: 'admin', roles: ['admin', 'member'] }, requestId: 'req-6f1d2c1e-6b4c-4f7e-9a55-1d1c3a0f8e21', correlationId: 'launch-0b5e7a2c', causationId: null, workflowId: 'launch-0b5e7a2c', runId: '2f0c9b1e-3d7a-4c55-8e0f-6a9b8c7d6e5f', activity: 'createRootDisk', timestamp: new Date().toISOString() } };
}
const dir = mkdtempSync(join(fileURLToPath(new URL('..', import.meta.url)), 'data/.abseq-'));
function mk(name: string, ps: number) { const p = join(dir, name); const raw = new Database(p); raw.pragma(`page_size = ${ps}`); raw.exec('CREATE TABLE x(a); DROP TABLE x;'); raw.close(); return openSqliteEventStore({ path: p, schemas }); }
const stores = [mk('p4096.db', 4096)];
const fd = openSync(join(dir, 'probe'), 'w'); const rec = Buffer.alloc(128, 'x');
const steps: [string, () => Promise<void> | void][] = [
  ['fsync probe', () => { writeSync(fd, rec); fsyncSync(fd); }],
  ...stores.map((s, i) => ['4 KiB', async () => { await s.append('seq', [stepEvent(0)], { expected: 'any' }); }] as [string, () => Promise<void>]),
];
const counts = steps.map(() => 0), el = steps.map(() => 0), cpu = steps.map(() => 0);
const seconds = Number(process.argv[2] ?? 30);
const t0 = performance.now();
while (performance.now() - t0 < seconds * 1000) for (const [i, [, f]] of steps.entries()) { const t = performance.now(); const c = process.cpuUsage(); while (performance.now() - t < Number(process.env.SLICE ?? 100)) { await f(); counts[i]++; } const u = process.cpuUsage(c); cpu[i] += u.user + u.system; el[i] += performance.now() - t; }
const rate = (i: number) => counts[i]! / el[i]! * 1000;
steps.forEach(([n], i) => console.log(n.padEnd(12), Math.round(rate(i)), '/s', (rate(i) / rate(0) * 100).toFixed(0) + '% of fsync', (cpu[i] / counts[i]).toFixed(0), 'µs CPU/op'));
closeSync(fd); for (const s of stores) await s.close(); rmSync(dir, { recursive: true, force: true });
