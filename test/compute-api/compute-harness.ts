// The in-process API for compute tests: the image tests' callers (the admin; alice in
// project-a and bob in project-b, both members), requests to /compute/v2.1 with an
// optional microversion, and active images made through the real Glance routes. Each
// harness has a Temporal namespace of its own, so the launches it starts on the
// `control` queue never reach another test's worker.
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import proto from '@temporalio/proto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { instanceRequestOf } from '../../application/instances/launch-request.js';
import { DEFAULT_FLAVORS } from '../../domain/compute/flavor.js';
import type { InstanceRequest } from '../../domain/compute/instance.js';
import { waitUntil } from '../../runtime/wait.js';
import { searchAttributes } from '../../workflows/search-attributes.js';
import { openImageHarness, createImage, uploadData, type ImageHarness, type Session } from '../images/support/image-harness.js';

export type { Session };

export interface ComputeCall {
  json?: unknown;
  /** A body sent as it is, labelled JSON (for malformed JSON). */
  rawJson?: string;
  /** Sent as `OpenStack-API-Version: compute <version>`. */
  version?: string;
  headers?: Record<string, string>;
}

export interface ComputeHarness extends ImageHarness {
  /** A request under /compute/v2.1 (or the absolute /compute path when it starts with `/compute`). */
  compute(session: Session, method: InjectOptions['method'], path: string, call?: ComputeCall): Promise<LightMyRequestResponse>;
  /** An image with data, active, owned by the session's project. */
  activeImage(session: Session, attributes?: Record<string, unknown>, data?: Buffer): Promise<string>;
  /** Every event in the log, for "nothing was appended" checks. */
  eventCount(): Promise<number>;
}

/** A launch request of m1.tiny for an image that need not exist, for tests that record instances directly. */
export function instanceRequestFor(projectId: string, name: string): InstanceRequest {
  return instanceRequestOf({
    instanceId: randomUUID(),
    name,
    projectId,
    userId: 'user-1',
    flavor: DEFAULT_FLAVORS[0]!,
    image: { id: randomUUID(), name: 'img', diskFormat: 'raw', size: 1024, osHashValue: null, checksum: null, minDiskGb: 0, minRamMb: 0, properties: {} },
    zone: { zone: null, forcedHost: null },
    groupId: null,
    metadata: {},
    createdAt: new Date().toISOString(),
  });
}

const { IndexedValueType } = proto.temporal.api.enums.v1;

/** A fresh namespace with strata's search attributes, as `strata up` registers them on its dev server. */
export async function registerTestNamespace(address: string): Promise<string> {
  const namespace = `compute-${randomUUID().slice(0, 8)}`;
  const connection = await Connection.connect({ address });
  try {
    await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
    await waitUntil(`namespace ${namespace}`, async () => Boolean(await connection.workflowService.describeNamespace({ namespace })), { timeoutMs: 30_000, intervalMs: 250 });
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(Object.values(searchAttributes).map((key) => [key.name, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD])),
    });
    return namespace;
  } finally {
    await connection.close();
  }
}

export async function openComputeHarness(overrides: Record<string, unknown> = {}): Promise<ComputeHarness> {
  const address = inject('temporalAddress');
  const images = await openImageHarness({ temporal: { address, namespace: await registerTestNamespace(address) }, ...overrides });
  const { app, context } = images.api;
  return {
    ...images,
    compute: (session, method, path, call = {}) =>
      app.inject({
        method,
        url: path.startsWith('/compute') ? path : `/compute/v2.1${path}`,
        headers: {
          'x-auth-token': session.token,
          ...(call.json !== undefined || call.rawJson !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(call.version !== undefined ? { 'openstack-api-version': `compute ${call.version}` } : {}),
          ...call.headers,
        },
        payload: call.json !== undefined ? JSON.stringify(call.json) : call.rawJson,
      }),
    async activeImage(session, attributes = {}, data = Buffer.alloc(4096, 1)) {
      const { id } = await createImage(session, { name: 'compute-test-image', ...attributes });
      const upload = await uploadData(session, id, data);
      if (upload.statusCode !== 204) throw new Error(`upload image: ${upload.statusCode} ${upload.body}`);
      return id;
    },
    eventCount: () => context.events.headPosition(),
  };
}
