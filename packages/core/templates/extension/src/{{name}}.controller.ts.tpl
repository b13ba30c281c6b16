import { RequireScopes, TaskDispatcher, type TaskReceipt } from '@coordinator/core';
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { RecordEntryPayload } from './tasks/record-entry.payload.js';
import { recordEntry } from './tasks/record-entry.task.js';

/**
 * The {{name}} endpoints, mounted by the API host. They validate and dispatch; the work
 * (and every call to a downstream service) happens in tasks, on the worker host.
 */
@Controller('{{name}}')
export class {{Name}}Controller {
  constructor(private readonly dispatcher: TaskDispatcher) {}

  /**
   * `POST /{{name}}/entries`: answers 202 with `{ taskId, statusUrl }` once the queue has
   * stored the task (503 when it cannot), 400 for an invalid body, 401/403 without a
   * key or token granting `{{name}}:write`. `GET /tasks/:id` shows the task's progress.
   */
  @Post('entries')
  @RequireScopes('{{name}}:write')
  @HttpCode(202)
  record(@Body() body: RecordEntryPayload): Promise<TaskReceipt> {
    // The entry id is the idempotency key: posting the same entry again returns the first
    // task instead of recording it twice (and the same id with another body answers 422).
    return this.dispatcher.dispatch(recordEntry, body, { idempotencyKey: `entry-${body.entryId}` });
  }
}
