#!/usr/bin/env node
import main from '../acct.ts';

process.exitCode = await main();
