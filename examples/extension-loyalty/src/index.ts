/**
 * The loyalty extension of the Commerce Coordinator. `POST /loyalty/entries` hands an
 * entry to the `loyalty.record-entry` task, which announces `loyalty-entry.recorded`;
 * `loyalty.confirm-entry` handles that signal. Both hosts load the extension from
 * `COORDINATOR_EXTENSIONS=@acme/coordinator-extension-loyalty`.
 *
 * @packageDocumentation
 */
import { defineExtension, onSignal } from '@coordinator/core';
import { createRequire } from 'node:module';
import { LoyaltyController } from './loyalty.controller.js';
import { entryRecorded } from './signals/entry-recorded.signal.js';
import { confirmEntry } from './tasks/confirm-entry.task.js';
import { recordEntry } from './tasks/record-entry.task.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

export { EntryRecorded, entryRecorded } from './signals/entry-recorded.signal.js';
export { confirmEntry, type ConfirmEntryResult } from './tasks/confirm-entry.task.js';
export { RecordEntryPayload } from './tasks/record-entry.payload.js';
export { recordEntry, type RecordEntryResult } from './tasks/record-entry.task.js';

/** The loyalty extension, loaded by the hosts from `COORDINATOR_EXTENSIONS`. */
export default defineExtension({
  name: 'loyalty',
  version,
  // The @coordinator/core releases this extension is built and tested against: hosts
  // running a core outside this range refuse to load it, naming both versions.
  coreRange: '^0.1.0',
  controllers: [LoyaltyController],
  tasks: [recordEntry, confirmEntry],
  signals: [entryRecorded],
  handlers: [onSignal(entryRecorded, confirmEntry)],
});
