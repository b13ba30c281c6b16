#!/usr/bin/env node
import 'reflect-metadata';
import { runUntilSignal } from '@coordinator/core/runtime';
import { startWorkerHost } from '../start-worker-host.js';

await runUntilSignal('coordinator-worker', startWorkerHost, (worker) => worker.settings.SHUTDOWN_GRACE_MS + 5_000);
