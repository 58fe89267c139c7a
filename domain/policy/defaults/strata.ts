// strata's own operator actions (the /ops API): admin only.
import { ADMIN } from './base.js';

export const STRATA_RULES: Readonly<Record<string, string>> = {
  'strata:ops:retry': ADMIN,
  'strata:ops:failures': ADMIN,
  'strata:ops:audit': ADMIN,
  'strata:ops:projections': ADMIN,
};
