// strata's own operator actions (the /ops API): admin only, except reading the audit
// history, which a cloud-wide `auditor` role may also do (auditors read, never act).
import { ADMIN } from './base.js';

const ADMIN_OR_AUDITOR = `${ADMIN} or role:auditor`;

export const STRATA_RULES: Readonly<Record<string, string>> = {
  'strata:ops:retry': ADMIN,
  'strata:ops:failures': ADMIN,
  'strata:ops:audit': ADMIN_OR_AUDITOR,
  'strata:ops:projections': ADMIN,
};
