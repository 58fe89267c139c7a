// Reads a volume's state from its stream, and records one outcome on it. The event id comes from the step's key, so
// an activity retried after a crash finds its event already there.
import { fold } from '../../domain/decider.js';
import type { VolumeEvent } from '../../domain/volume/events.js';
import type { RecordedVolumeEvent, VolumeState } from '../../domain/volume/volume.js';
import { volumeDecider } from '../../domain/volume/volume.js';
import { volumeStream } from '../../domain/volume/events.js';
import type { EventMetadata, EventStore } from '../../eventstore/port.js';
import { handleCommand } from '../handle-command.js';

export async function recordVolumeEvent(events: EventStore, volumeId: string, stepKey: string, event: RecordedVolumeEvent, metadata: EventMetadata): Promise<VolumeState> {
  const { state } = await handleCommand(events, volumeDecider, volumeStream(volumeId), { kind: 'record', event }, { metadata, idempotencyKey: `${stepKey}/${event.type}` });
  return state;
}

export async function readVolume(events: EventStore, volumeId: string): Promise<VolumeState> {
  const history = await events.readStream(volumeStream(volumeId));
  return fold(volumeDecider, history.map((event) => ({ type: event.type, data: event.data }) as VolumeEvent));
}
