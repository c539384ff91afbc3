#!/usr/bin/env node
import { runBin } from '../../src/cli/run-bin.ts';

await runBin(import.meta.url, '../evbus-test', () => import('../evbus-test.ts'), 'evbus_test');
