// How Nova shows instance actions and their events, by microversion: `updated_at` from
// 2.58, the events' `hostId` from 2.62 and their `host` only for callers allowed
// `events:details`. Times are Nova's naive UTC with microseconds (`2026-11-27T12:00:00.000000`).
import type { InstanceAction, InstanceActionStep } from '../../domain/compute/instance-actions.js';
import type { Microversion } from './microversion.js';
import { hostIdOf } from './server-views.js';

export interface ActionViewContext {
  instanceId: string;
  projectId: string;
  microversion: Microversion;
  /** Whether the caller sees each event's host (policy `os-instance-actions:events:details`). */
  showHost: boolean;
}

export function novaTime(iso: string | null): string | null {
  if (iso === null) return null;
  const time = new Date(iso);
  return Number.isNaN(time.getTime()) ? iso : `${time.toISOString().slice(0, 23)}000`;
}

export function actionView(action: InstanceAction, context: ActionViewContext) {
  return {
    action: action.action,
    instance_uuid: context.instanceId,
    message: action.message,
    project_id: action.projectId,
    request_id: action.requestId,
    start_time: novaTime(action.startTime),
    user_id: action.userId,
    ...(context.microversion.atLeast('2.58') ? { updated_at: novaTime(action.updatedAt) } : {}),
  };
}

export function actionEventView(step: InstanceActionStep, context: ActionViewContext) {
  const hostFields = context.microversion.atLeast('2.62')
    ? { hostId: hostIdOf(context.projectId, step.host), ...(context.showHost ? { host: step.host ?? '' } : {}) }
    : {};
  return {
    event: step.event,
    start_time: novaTime(step.startTime),
    finish_time: novaTime(step.finishTime),
    result: step.result,
    ...hostFields,
  };
}
