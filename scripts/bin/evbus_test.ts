#!/usr/bin/env node
import main from '../evbus-test.ts';

process.exitCode = await main();
