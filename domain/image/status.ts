// Glance's image status machine (glance/domain/__init__.py, Image._validate_status_transition).
import { DomainError } from '../decider.js';
import type { ImageStatus } from './vocabulary.js';

const STATUS_TRANSITIONS: Readonly<Record<ImageStatus, readonly ImageStatus[]>> = {
  queued: ['saving', 'uploading', 'importing', 'active', 'deleted'],
  saving: ['active', 'killed', 'deleted', 'queued'],
  uploading: ['importing', 'queued', 'deleted'],
  importing: ['active', 'deleted', 'queued'],
  active: ['pending_delete', 'deleted', 'deactivated'],
  killed: ['deleted'],
  pending_delete: ['deleted', 'active'],
  deactivated: ['active', 'deleted'],
  deleted: [],
};

export function canTransition(from: ImageStatus, to: ImageStatus): boolean {
  return STATUS_TRANSITIONS[from].includes(to);
}

/** Throws the 409 Glance answers for an action the image's current status does not allow. */
export function requireTransition(from: ImageStatus, to: ImageStatus): void {
  if (!canTransition(from, to)) throw new DomainError('conflict', `Image status transition from ${from} to ${to} is not allowed`);
}
