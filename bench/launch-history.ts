// Where a launch's time goes, as Temporal saw it: from the workflow's history, for every
// activity the wait on its task queue (scheduled → started), its run (started → closed),
// and the orchestration between activities (the previous one closed → this one scheduled:
// a workflow task on the control worker; for the first host step, from the workflow's start,
// which includes the placement run as a local activity). The instance's events say how long each step
// took end to end; this says whether that time was the step's work or the round trips.
import { Client, Connection } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time.js';
import proto from '@temporalio/proto';
import { launchWorkflowId } from '../application/instances/launcher.js';

const { EventType } = proto.temporal.api.enums.v1;
type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;

/** Milliseconds per phase, keyed "<activity> queued|ran|orchestration". */
export type ActivityTimings = Record<string, number>;

function closedScheduledId(event: HistoryEvent): number | undefined {
  const closed = event.activityTaskCompletedEventAttributes ?? event.activityTaskFailedEventAttributes ?? event.activityTaskTimedOutEventAttributes;
  return closed?.scheduledEventId == null ? undefined : Number(closed.scheduledEventId);
}

export function activityTimingsOf(events: HistoryEvent[]): ActivityTimings {
  const timings: ActivityTimings = {};
  const scheduled = new Map<number, { name: string; at: number; startedAt?: number }>();
  let lastClosedAt = events[0] ? tsToMs(events[0].eventTime) : 0;
  for (const event of events) {
    const at = tsToMs(event.eventTime);
    if (event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
      const name = event.activityTaskScheduledEventAttributes?.activityType?.name ?? 'activity';
      scheduled.set(Number(event.eventId), { name, at });
      timings[`${name} orchestration`] = at - lastClosedAt;
    } else if (event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED) {
      const activity = scheduled.get(Number(event.activityTaskStartedEventAttributes?.scheduledEventId));
      if (activity) activity.startedAt = at;
    } else {
      const activity = scheduled.get(closedScheduledId(event) ?? -1);
      if (!activity?.startedAt) continue;
      timings[`${activity.name} queued`] = activity.startedAt - activity.at;
      timings[`${activity.name} ran`] = at - activity.startedAt;
      lastClosedAt = at;
    }
  }
  return timings;
}

export async function launchActivityTimings(temporalAddress: string, instanceId: string): Promise<ActivityTimings> {
  const connection = await Connection.connect({ address: temporalAddress });
  try {
    const history = await new Client({ connection }).workflow.getHandle(launchWorkflowId(instanceId)).fetchHistory();
    return activityTimingsOf(history.events ?? []);
  } finally {
    await connection.close();
  }
}
