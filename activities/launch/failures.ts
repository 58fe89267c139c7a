// Why a host step failed, told apart so the activity layer can map each to the failure
// type the launch workflow acts on (contract.ts LaunchFailure). The code below stays
// free of Temporal: these are plain errors until host.ts translates them.
import { ApplicationFailure } from '@temporalio/common';
import { AcceleratorUnavailableError } from '../../hypervisor/accelerator.js';
import { BootMarkerError } from '../../hypervisor/console.js';
import { LaunchFailure } from './contract.js';

/** The request cannot work on any host: bad image format, image larger than the flavor's disk … */
export class LaunchRejectedError extends Error {
  override name = 'LaunchRejectedError';
}

/** The bytes received do not match the image's checksum: a fresh download may succeed. */
export class ImageCorruptError extends Error {
  override name = 'ImageCorruptError';
}

/** This host lacks something the instance needs (UEFI firmware …): another host may have it. */
export class HostUnfitError extends Error {
  override name = 'HostUnfitError';
}

/** The ApplicationFailure the workflow should see for error; unknown errors stay retryable. */
export function asLaunchFailure(error: unknown): unknown {
  if (error instanceof LaunchRejectedError) return ApplicationFailure.nonRetryable(error.message, LaunchFailure.invalidRequest);
  if (error instanceof ImageCorruptError) return ApplicationFailure.retryable(error.message, LaunchFailure.imageCorrupt);
  if (error instanceof BootMarkerError) return ApplicationFailure.nonRetryable(error.message, LaunchFailure.bootTimeout);
  // Retrying on the same host cannot help; the workflow reschedules to another one.
  if (error instanceof HostUnfitError || error instanceof AcceleratorUnavailableError) return ApplicationFailure.nonRetryable(error.message, error.name);
  return error;
}
