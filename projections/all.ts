// Every projection the read model holds. The API's runner, `strata projections` and the
// benchmarks all take this list, so a new read model is registered here once.
import { auditProjection } from './audit.js';
import { flavorsProjection } from './flavors.js';
import { hostsProjection } from './hosts.js';
import { identityProjection } from './identity.js';
import { imagesProjection } from './images.js';
import { instancesProjection } from './instances.js';
import type { Projection } from './projection.js';
import { serverGroupsProjection } from './server-groups.js';
import { volumesProjection } from './volumes.js';

export const allProjections: readonly Projection[] = [auditProjection, identityProjection, imagesProjection, hostsProjection, serverGroupsProjection, flavorsProjection, instancesProjection, volumesProjection];
