// Every event type strata records, with the schema its data must satisfy. Each aggregate
// adds its events here; the event store refuses anything not listed.
import { EventSchemaRegistry } from '../eventstore/schemas.js';
import { flavorEventSchemas } from './compute/flavor.js';
import { hostHeartbeatEventSchemas } from './compute/host-heartbeat.js';
import { hostOrphanEventSchemas } from './compute/host-orphans.js';
import { hostEventSchemas } from './compute/host.js';
import { instanceEventSchemas } from './compute/instance.js';
import { serverGroupEventSchemas } from './compute/server-group.js';
import { identityEventSchemas } from './identity/events.js';
import { imageEventSchemas } from './image/events.js';
import { volumeEventSchemas } from './volume/events.js';

export function strataEventSchemas(): EventSchemaRegistry {
  return new EventSchemaRegistry({
    ...identityEventSchemas,
    ...imageEventSchemas,
    ...flavorEventSchemas,
    ...hostEventSchemas,
    ...hostHeartbeatEventSchemas,
    ...hostOrphanEventSchemas,
    ...serverGroupEventSchemas,
    ...instanceEventSchemas,
    ...volumeEventSchemas,
  });
}
