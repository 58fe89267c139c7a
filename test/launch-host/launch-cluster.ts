// What a launch or delete workflow test runs against: a Temporal namespace of the file's
// own (the launch workflow names the `control` queue, so other files' workers stay off
// it), the scheduler's host view over a fresh SQLite log with one registered host, that
// host's launch activities reading image bytes from local files, and real workers for the
// control queue and the host's queue.
import { afterAll, beforeAll, inject } from 'vitest';
import type { HostActivities } from '../../activities/launch/host.js';
import type { HostLayout } from '../../activities/launch/host-layout.js';
import { createSchedulingActivities } from '../../activities/scheduling/scheduling-activities.js';
import type { HostView } from '../../application/hosts/host-view.js';
import { openHostView } from '../../application/hosts/host-view.js';
import { workflowsPath } from '../../workers/control.js';
import { CONTROL_TASK_QUEUE, computeTaskQueue } from '../../workflows/task-queues.js';
import { registerTestNamespace } from '../compute-api/compute-harness.js';
import { addHost, sqliteSettings } from '../scheduling/support/cluster.js';
import type { useHostLab } from './host-lab.js';
import { fileImageSource } from './host-lab.js';
import { useTemporalWorkers } from './temporal-workers.js';

interface Opened {
  namespace: string;
  view: HostView;
  layout: HostLayout;
  activities: HostActivities;
}

export interface LaunchClusterOptions {
  host: string;
  /** Image id → local file the host's image source serves. */
  files: Map<string, string>;
  bootTimeoutSeconds: number;
  /** Control-queue activities beyond the scheduler's. */
  controlActivities?: (view: HostView) => object;
}

export function useLaunchCluster(lab: ReturnType<typeof useHostLab>, options: LaunchClusterOptions) {
  let opened: Opened | undefined;
  const current = (): Opened => {
    if (!opened) throw new Error('useLaunchCluster: used before beforeAll');
    return opened;
  };
  beforeAll(async () => {
    const namespace = await registerTestNamespace(inject('temporalAddress'));
    const view = await openHostView(sqliteSettings());
    await addHost(view.events, options.host);
    const host = { host: options.host, bootTimeoutSeconds: options.bootTimeoutSeconds };
    const { layout, activities } = lab.host({ source: fileImageSource(options.files).source, events: view.events, host });
    opened = { namespace, view, layout, activities };
  });
  // Hooks run in reverse on the way out: the workers stop before the event store closes.
  afterAll(() => opened?.view.close());
  const temporal = useTemporalWorkers(() => {
    const { namespace, view, activities } = current();
    const control = { ...createSchedulingActivities(view), ...options.controlActivities?.(view) };
    return [
      { namespace, taskQueue: CONTROL_TASK_QUEUE, workflowsPath, activities: control },
      { namespace, taskQueue: computeTaskQueue(options.host), activities },
    ];
  });
  return {
    get namespace() {
      return current().namespace;
    },
    get view() {
      return current().view;
    },
    get layout() {
      return current().layout;
    },
    get activities() {
      return current().activities;
    },
    client: () => temporal.client(current().namespace),
  };
}
