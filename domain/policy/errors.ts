// Typed failures of policy enforcement.

/** The caller may not perform the action; the API answers 403. */
export class PolicyForbiddenError extends Error {
  constructor(readonly action: string) {
    super(`Policy doesn't allow ${action} to be performed.`);
    this.name = 'PolicyForbiddenError';
  }
}

/**
 * A rule that cannot be evaluated (where oslo.policy would raise, e.g. a `%(key)x` format,
 * a left side that is not Python, a rule referring to itself). Enforcement fails closed.
 */
export class PolicyEvaluationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyEvaluationError';
  }
}
