// Every workflow the control worker runs; the worker bundles this file.
export { probeHost } from './probe-host.js';
