// Runs one command against one aggregate: read its stream, fold, decide, append with the
// revision it was decided on. A concurrent writer makes the append fail; the command is
// then decided again on the newer state (bounded), so no write is ever lost or doubled.
import type { Decider, DomainEvent } from '../domain/decider.js';
import { fold } from '../domain/decider.js';
import { deterministicEventId } from '../eventstore/event-ids.js';
import type { EventMetadata, EventStore, RecordedEvent } from '../eventstore/port.js';
import { WrongExpectedRevisionError } from '../eventstore/port.js';

export interface CommandContext {
  metadata: EventMetadata;
  /**
   * Business key of this command (e.g. `launch-<id>/createRootDisk`). With it, event ids
   * are derived from the key and a command whose events are already stored is a no-op.
   */
  idempotencyKey?: string;
}

export interface CommandResult<State> {
  state: State;
  /** Events this command recorded (empty when it changed nothing or had already run). */
  recorded: Array<DomainEvent & { position: number }>;
  /** Position the read models must reach for the caller to read its own write (0 if none). */
  position: number;
}

const MAX_ATTEMPTS = 5;

function domainEventsOf<Event extends DomainEvent>(events: readonly RecordedEvent[]): Event[] {
  return events.map((event) => ({ type: event.type, data: event.data }) as Event);
}

export async function handleCommand<State, Command, Event extends DomainEvent>(
  store: EventStore,
  decider: Decider<State, Command, Event>,
  stream: string,
  command: Command,
  context: CommandContext,
): Promise<CommandResult<State>> {
  for (let attempt = 1; ; attempt++) {
    const history = await store.readStream(stream);
    const state = fold(decider, domainEventsOf<Event>(history));
    const { idempotencyKey } = context;
    if (idempotencyKey !== undefined) {
      const firstId = deterministicEventId(idempotencyKey, 0);
      const done = history.find((event) => event.id === firstId);
      if (done) return { state, recorded: [], position: done.position };
    }
    const events = decider.decide(command, state);
    if (events.length === 0) return { state, recorded: [], position: 0 };
    const last = history.at(-1);
    try {
      const { positions } = await store.append(
        stream,
        events.map((event, index) => ({
          id: idempotencyKey === undefined ? crypto.randomUUID() : deterministicEventId(idempotencyKey, index),
          type: event.type,
          data: event.data,
          metadata: context.metadata,
        })),
        { expected: last === undefined ? 'no_stream' : last.revision },
      );
      return {
        state: events.reduce((next, event) => decider.evolve(next, event), state),
        recorded: events.map((event, index) => ({ ...event, position: positions[index] as number })),
        position: positions.at(-1) as number,
      };
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}
