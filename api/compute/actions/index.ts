// The server actions strata serves, by the key that names them in the request body.
// Adding one is a file in this folder and one line here.
import { consoleOutputAction } from './console-output.js';
import { createImageAction } from './create-image.js';
import { resetStateAction } from './reset-state.js';
import type { ServerAction } from './server-action.js';

export const serverActions: Readonly<Record<string, ServerAction>> = {
  'os-getConsoleOutput': consoleOutputAction,
  createImage: createImageAction,
  'os-resetState': resetStateAction,
};
