import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { InvalidEventError } from '../../eventstore/port.js';
import { assertStreamName, EventSchemaRegistry } from '../../eventstore/schemas.js';
import { counted, testEventSchemas, testMetadata } from './fixtures/events.js';

describe('EventSchemaRegistry', () => {
  it('only accepts versioned type names, once each', () => {
    const registry = new EventSchemaRegistry();
    expect(() => registry.register('InstanceBooted', z.object({}))).toThrow(/versioned/);
    expect(() => registry.register('instanceBooted.v1', z.object({}))).toThrow(/versioned/);
    registry.register('InstanceBooted.v1', z.object({}));
    expect(() => registry.register('InstanceBooted.v1', z.object({}))).toThrow(/twice/);
    expect(registry.register('InstanceBooted.v2', z.object({})).types()).toEqual(['InstanceBooted.v1', 'InstanceBooted.v2']);
  });

  it('returns the batch as its schemas parse it, with ids in lower case', () => {
    const registry = new EventSchemaRegistry({ 'Sized.v1': z.object({ bytes: z.coerce.number() }) });
    const id = 'ABCDEF00-0000-4000-8000-000000000001';
    const [event] = registry.validateBatch([{ id, type: 'Sized.v1', data: { bytes: '42', extra: 'dropped' }, metadata: testMetadata() }]);
    expect(event).toMatchObject({ id: id.toLowerCase(), data: { bytes: 42 } });
  });

  it('names the event type and the failing field', () => {
    const bad = { ...counted(1), data: { n: 1.5 } };
    expect(() => testEventSchemas().validateBatch([bad])).toThrow(InvalidEventError);
    expect(() => testEventSchemas().validateBatch([bad])).toThrow(/Counted\.v1.*data: n:/);
    const badActor = { ...testMetadata(), actor: { userId: 7 } } as unknown as ReturnType<typeof testMetadata>;
    expect(() => testEventSchemas().validateBatch([{ ...counted(1), metadata: badActor }])).toThrow(
      /metadata: actor\.userId/,
    );
  });

  it('parses one envelope shared by a batch once, and each other envelope on its own', () => {
    const shared = { ...testMetadata(), stray: 'dropped' } as ReturnType<typeof testMetadata>;
    const own = testMetadata({ activity: 'own' });
    const events = testEventSchemas().validateBatch([
      { ...counted(1), metadata: shared },
      { ...counted(2), metadata: shared },
      { ...counted(3), metadata: own },
      { ...counted(4), metadata: shared },
    ]);
    const [first, second, third, fourth] = events.map((event) => event.metadata);
    expect(second).toBe(first);
    expect(first).toEqual(testMetadata({ requestId: shared.requestId, timestamp: shared.timestamp }));
    expect(third).toEqual(own);
    expect(fourth).toEqual(first);
    const badShared = { ...testMetadata(), timestamp: 7 } as unknown as ReturnType<typeof testMetadata>;
    expect(() => testEventSchemas().validateBatch([{ ...counted(1), metadata: own }, { ...counted(2), metadata: badShared }])).toThrow(/metadata: timestamp/);
  });

  it('treats ids differing only in case as the same id', () => {
    const event = counted(1);
    expect(() => testEventSchemas().validateBatch([event, { ...counted(2), id: event.id.toUpperCase() }])).toThrow(/twice/);
  });
});

describe('assertStreamName', () => {
  it('refuses empty names and names reserved by KurrentDB', () => {
    expect(() => assertStreamName('')).toThrow(TypeError);
    expect(() => assertStreamName('$all')).toThrow(TypeError);
    expect(() => assertStreamName('instance-1')).not.toThrow();
  });
});
