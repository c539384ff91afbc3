#!/usr/bin/env node
import { runTs } from './run.js';
await runTs('../evbus-test.ts');
