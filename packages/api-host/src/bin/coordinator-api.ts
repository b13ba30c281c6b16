#!/usr/bin/env node
import 'reflect-metadata';
import { runUntilSignal } from '@coordinator/core/runtime';
import { startApiHost } from '../start-api-host.js';

await runUntilSignal('coordinator-api', startApiHost, (host) => host.settings.SHUTDOWN_GRACE_MS);
