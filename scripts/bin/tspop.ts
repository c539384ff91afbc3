#!/usr/bin/env node
import main from '../tspop.ts';

process.exitCode = await main();
