// Flavors: the sizes instances come in. All flavors live in one stream, `flavors`, so ids
// and names stay unique; the five defaults of a fresh cloud are seeded on first start.
import { z } from 'zod';
import type { Decider } from '../decider.js';
import { DomainError } from '../decider.js';

export const flavorSchema = z.object({
  id: z.string().min(1).max(255),
  name: z.string().min(1).max(255),
  vcpus: z.number().int().min(1).max(1024),
  ramMb: z.number().int().min(1).max(16 * 1024 * 1024),
  diskGb: z.number().int().min(0).max(1024 * 1024),
  ephemeralGb: z.number().int().min(0).max(1024 * 1024),
  swapMb: z.number().int().min(0).max(16 * 1024 * 1024),
  isPublic: z.boolean(),
  description: z.string().max(65535).nullable(),
});
export type Flavor = z.infer<typeof flavorSchema>;

export const flavorEventSchemas = {
  'FlavorCreated.v1': flavorSchema,
  'FlavorDeleted.v1': z.object({ id: z.string() }),
} as const;

export type FlavorEvent = { type: 'FlavorCreated.v1'; data: Flavor } | { type: 'FlavorDeleted.v1'; data: { id: string } };
export type FlavorCommand = { kind: 'create'; flavor: Flavor } | { kind: 'delete'; id: string };

export const FLAVORS_STREAM = 'flavors';

const defaults: Array<[string, string, number, number, number]> = [
  ['1', 'm1.tiny', 1, 512, 1],
  ['2', 'm1.small', 1, 2048, 20],
  ['3', 'm1.medium', 2, 4096, 40],
  ['4', 'm1.large', 4, 8192, 80],
  ['5', 'm1.xlarge', 8, 16384, 160],
];

export const DEFAULT_FLAVORS: readonly Flavor[] = defaults.map(([id, name, vcpus, ramMb, diskGb]) => ({
  id,
  name,
  vcpus,
  ramMb,
  diskGb,
  ephemeralGb: 0,
  swapMb: 0,
  isPublic: true,
  description: null,
}));

export type FlavorState = Map<string, Flavor>;

export const flavorDecider: Decider<FlavorState, FlavorCommand, FlavorEvent> = {
  initialState: () => new Map(),
  evolve(state, event) {
    if (event.type === 'FlavorCreated.v1') state.set(event.data.id, event.data);
    else state.delete(event.data.id);
    return state;
  },
  decide(command, state) {
    if (command.kind === 'delete') {
      if (!state.has(command.id)) throw new DomainError('not_found', `Flavor ${command.id} could not be found.`);
      return [{ type: 'FlavorDeleted.v1', data: { id: command.id } }];
    }
    const { flavor } = command;
    if (state.has(flavor.id)) throw new DomainError('conflict', `Flavor with ID ${flavor.id} already exists.`);
    if ([...state.values()].some((existing) => existing.name === flavor.name)) {
      throw new DomainError('conflict', `Flavor with name ${flavor.name} already exists.`);
    }
    return [{ type: 'FlavorCreated.v1', data: flavor }];
  },
};
