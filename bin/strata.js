#!/usr/bin/env node
// `strata` entry point for `npx strata`: runs the TypeScript CLI through tsx's loader.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
