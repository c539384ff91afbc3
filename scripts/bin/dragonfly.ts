#!/usr/bin/env node
import main from '../dragonfly.ts';

process.exitCode = await main();
