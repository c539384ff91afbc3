#!/usr/bin/env node
import { runBin } from '../../src/cli/run-bin.ts';

await runBin(import.meta.url, '../acct', () => import('../acct.ts'));
