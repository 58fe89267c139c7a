// /healthz and /readyz against the real parts: a Temporal dev server and a SQLite event
// store; readiness names the part that is down.
import { Connection } from '@temporalio/client';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import type { ReadinessCheck } from '../../api/health.js';
import { strataEventSchemas } from '../../domain/event-registry.js';
import { openSqliteEventStore } from '../../eventstore/sqlite/index.js';
import { freePort } from '../support/ports.js';

const events = openSqliteEventStore({ path: join(mkdtempSync(join(tmpdir(), 'strata-health-')), 'events.db'), schemas: strataEventSchemas() });
const connections: Connection[] = [];

function temporalCheck(address: string): ReadinessCheck {
  const connection = Connection.lazy({ address, connectTimeout: 500 });
  connections.push(connection);
  return { name: 'temporal', check: async () => void (await connection.workflowService.getSystemInfo({})) };
}

const eventStoreCheck: ReadinessCheck = { name: 'eventstore', check: async () => void (await events.headPosition()) };

afterAll(async () => {
  await Promise.all(connections.map((connection) => connection.close()));
  await events.close();
});

describe('health endpoints', () => {
  it('/healthz answers while the process runs', async () => {
    const app = await buildApp({ readiness: [] });
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
    expect(response.headers['x-openstack-request-id']).toMatch(/^req-[0-9a-f-]{36}$/);
  });

  it('/readyz is 200 when Temporal and the event store answer', async () => {
    const app = await buildApp({ readiness: [temporalCheck(inject('temporalAddress')), eventStoreCheck] });
    const response = await app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', parts: [{ name: 'temporal', ok: true }, { name: 'eventstore', ok: true }] });
  });

  it('/readyz is 503 and names Temporal when nothing listens at its address', async () => {
    const app = await buildApp({ readiness: [temporalCheck(`127.0.0.1:${await freePort()}`), eventStoreCheck] });
    const response = await app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(503);
    const body = response.json<{ status: string; parts: Array<{ name: string; ok: boolean; error?: string }> }>();
    expect(body.status).toBe('unavailable');
    expect(body.parts.find((part) => part.name === 'temporal')).toMatchObject({ ok: false, error: expect.any(String) });
    expect(body.parts.find((part) => part.name === 'eventstore')).toEqual({ name: 'eventstore', ok: true });
  });

  it('unknown routes get an OpenStack-style 404 body, never a stack trace', async () => {
    const app = await buildApp({ readiness: [] });
    const response = await app.inject({ method: 'GET', url: '/no/such/thing' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: { code: 404, title: 'Not Found', message: expect.stringContaining('/no/such/thing') } });
  });

  it('serves the OpenAPI document at /docs/json', async () => {
    const app = await buildApp({ readiness: [] });
    const response = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    expect(Object.keys(response.json<{ paths: object }>().paths)).toEqual(expect.arrayContaining(['/healthz', '/readyz']));
  });
});
