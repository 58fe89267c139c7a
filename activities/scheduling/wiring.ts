// Opens what the scheduling activities need in the control worker: the event log and the
// scheduler's own view of the hosts.
import { openHostView } from '../../application/hosts/host-view.js';
import type { StrataConfig } from '../../config/schema.js';
import type { SchedulingActivities } from '../launch/contract.js';
import { createSchedulingActivities } from './scheduling-activities.js';

export interface SchedulingWiring {
  activities: SchedulingActivities;
  close(): Promise<void>;
}

export async function schedulingActivitiesFor(config: StrataConfig): Promise<SchedulingWiring> {
  const view = await openHostView(config);
  return { activities: createSchedulingActivities(view), close: () => view.close() };
}
