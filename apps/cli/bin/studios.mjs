#!/usr/bin/env node
// Runs the TypeScript sources as they are, so `npx studios` works right after `npm ci`:
// tsx compiles each module as Node loads it (the workspace packages export .ts files too).
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
