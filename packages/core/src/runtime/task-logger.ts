import { Logger } from '@nestjs/common';
import type { TaskLogger } from '../contract/task-context.js';

/** A Nest logger bound to one job, so every line says which task, job and attempt. */
export function createTaskLogger(taskName: string, taskId: string, attempt: number): TaskLogger {
  const logger = new Logger(taskName);
  const line = (message: string, details?: Record<string, unknown>) =>
    `${message} ${JSON.stringify({ taskId, attempt, ...details })}`;
  return {
    log: (message, details) => logger.log(line(message, details)),
    warn: (message, details) => logger.warn(line(message, details)),
    error: (message, details) => logger.error(line(message, details)),
    debug: (message, details) => logger.debug(line(message, details)),
  };
}
