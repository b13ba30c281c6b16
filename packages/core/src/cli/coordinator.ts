#!/usr/bin/env node
// The `coordinator` command of @coordinator/core: `coordinator new-extension <name>`, and the
// operations commands `wiring`, `queues`, `workers` and `dead-letters` (see `coordinator --help`).
import { runCli } from './run-cli.js';

process.exitCode = await runCli(process.argv.slice(2));
