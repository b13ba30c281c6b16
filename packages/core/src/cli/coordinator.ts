#!/usr/bin/env node
// The `coordinator` command of @coordinator/core: `coordinator new-extension <name>`.
import { runCli } from './run-cli.js';

process.exitCode = await runCli(process.argv.slice(2));
