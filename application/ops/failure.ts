// One failed operation as `GET /ops/v1/failures` and `strata failures` show it.
export interface Failure {
  /** launch, delete, snapshot … (the workflow's StrataOperation search attribute). */
  operation: string;
  instance_id: string | null;
  project_id: string | null;
  workflow_id: string | null;
  run_id: string | null;
  cause: string;
  code: number | null;
  /** The step (activity) that failed. */
  step: string | null;
  host: string | null;
  /** Launch: the attempt that failed last; workflows: the failed activity's attempts. */
  attempts: number | null;
  failed_at: string | null;
  /** The launch still waits for an operator's retry or delete. */
  awaiting_decision: boolean;
  decision_until: string | null;
}

/** The run's page in the Temporal UI; null when no UI is known or the operation never became a workflow. */
export function workflowUrl(uiUrl: string | null, namespace: string, failure: Pick<Failure, 'workflow_id' | 'run_id'>): string | null {
  if (uiUrl === null || failure.workflow_id === null || failure.run_id === null) return null;
  return `${uiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(failure.workflow_id)}/${encodeURIComponent(failure.run_id)}/history`;
}
