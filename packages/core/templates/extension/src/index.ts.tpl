/**
 * The {{name}} extension of the Commerce Coordinator. `POST /{{name}}/entries` hands an
 * entry to the `{{name}}.record-entry` task, which announces `{{name}}-entry.recorded`;
 * `{{name}}.confirm-entry` handles that signal. Both hosts load the extension from
 * `COORDINATOR_EXTENSIONS={{packageName}}`.
 *
 * @packageDocumentation
 */
import { defineExtension, onSignal } from '@coordinator/core';
import { createRequire } from 'node:module';
import { {{Name}}Controller } from './{{name}}.controller.js';
import { entryRecorded } from './signals/entry-recorded.signal.js';
import { confirmEntry } from './tasks/confirm-entry.task.js';
import { recordEntry } from './tasks/record-entry.task.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

export { EntryRecorded, entryRecorded } from './signals/entry-recorded.signal.js';
export { confirmEntry, type ConfirmEntryResult } from './tasks/confirm-entry.task.js';
export { RecordEntryPayload } from './tasks/record-entry.payload.js';
export { recordEntry, type RecordEntryResult } from './tasks/record-entry.task.js';

/** The {{name}} extension, loaded by the hosts from `COORDINATOR_EXTENSIONS`. */
export default defineExtension({
  name: '{{name}}',
  version,
  // The @coordinator/core releases this extension is built and tested against: hosts
  // running a core outside this range refuse to load it, naming both versions.
  coreRange: '^{{coreVersion}}',
  controllers: [{{Name}}Controller],
  tasks: [recordEntry, confirmEntry],
  signals: [entryRecorded],
  handlers: [onSignal(entryRecorded, confirmEntry)],
});
