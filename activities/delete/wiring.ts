// Opens what the delete activities need in the control worker: the event log.
import type { StrataConfig } from '../../config/schema.js';
import { strataEventSchemas } from '../../domain/event-registry.js';
import { openEventStore } from '../../eventstore/open.js';
import type { DeleteActivities } from './contract.js';
import { createDeleteActivities } from './delete-activities.js';

export interface DeleteWiring {
  activities: DeleteActivities;
  close(): Promise<void>;
}

export function deleteActivitiesFor(config: StrataConfig): DeleteWiring {
  const events = openEventStore(config, strataEventSchemas());
  return { activities: createDeleteActivities({ events }), close: () => events.close() };
}
