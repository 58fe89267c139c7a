// Nova's flavor bodies by microversion: `description` from 2.55, `extra_specs` from 2.61
// (when policy lets the caller read them), and swap as "" for none before 2.75.
import type { Flavor } from '../../domain/compute/flavor.js';
import { resourceLinks } from './links.js';
import type { Microversion } from './microversion.js';

export interface FlavorViewContext {
  base: string;
  microversion: Microversion;
  /** os_compute_api:os-flavor-extra-specs:index passes for the caller. */
  showExtraSpecs: boolean;
}

/** strata records no rxtx factor (it has no network QoS): every flavor has Nova's default. */
export const RXTX_FACTOR = 1.0;

export function flavorSummary(flavor: Flavor, { base, microversion }: FlavorViewContext) {
  return {
    id: flavor.id,
    name: flavor.name,
    links: resourceLinks(base, 'flavors', flavor.id),
    ...(microversion.atLeast('2.55') ? { description: flavor.description } : {}),
  };
}

export function flavorDetail(flavor: Flavor, context: FlavorViewContext) {
  const { microversion, showExtraSpecs } = context;
  return {
    ...flavorSummary(flavor, context),
    ram: flavor.ramMb,
    disk: flavor.diskGb,
    swap: flavor.swapMb === 0 && !microversion.atLeast('2.75') ? '' : flavor.swapMb,
    'OS-FLV-EXT-DATA:ephemeral': flavor.ephemeralGb,
    'OS-FLV-DISABLED:disabled': false,
    vcpus: flavor.vcpus,
    'os-flavor-access:is_public': flavor.isPublic,
    rxtx_factor: RXTX_FACTOR,
    ...(microversion.atLeast('2.61') && showExtraSpecs ? { extra_specs: {} } : {}),
  };
}
