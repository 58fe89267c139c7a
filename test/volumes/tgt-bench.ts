// A test file's own tgtd: a free loopback port and a state directory (admin socket,
// pidfile) under the file's scratch directory, so it never meets another engineer's
// tgtd; stopped after the file even when a test failed half-way.
import { afterAll, beforeAll } from 'vitest';
import type { TgtdHandle } from '../../storage/tgt/tgtd-process.js';
import { startTgtd, stopTgtd } from '../../storage/tgt/tgtd-process.js';
import { freePort } from '../support/ports.js';

export function useTgtd(path: (name: string) => string): { current: () => TgtdHandle; options: () => { stateDir: string; address: string; port: number } } {
  let tgtd: TgtdHandle | undefined;
  let options: { stateDir: string; address: string; port: number } | undefined;
  beforeAll(async () => {
    options = { stateDir: path('tgt'), address: '127.0.0.1', port: await freePort() };
    tgtd = await startTgtd(options);
  });
  afterAll(async () => {
    if (tgtd) await stopTgtd(tgtd);
  });
  return {
    current: () => {
      if (!tgtd) throw new Error('tgtd not started');
      return tgtd;
    },
    options: () => {
      if (!options) throw new Error('tgtd not started');
      return options;
    },
  };
}
