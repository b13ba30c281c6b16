import { Logger } from '@nestjs/common';
import { createHostLogger, PinoNestLogger, type LogFormat, type LogLevelName } from './host-logger.js';

/**
 * Makes the JSON logger the one every Nest `Logger` writes to, from the start of the
 * host (before Nest itself is created), and returns it for `NestFactory`'s `logger` option.
 *
 * @example
 * ```ts
 * const logger = installHostLogger('coordinator-api', settings, env);
 * ```
 */
export function installHostLogger(
  service: string,
  settings: { LOG_LEVEL: LogLevelName; LOG_FORMAT: LogFormat },
  env: NodeJS.ProcessEnv = process.env,
): PinoNestLogger {
  const logger = new PinoNestLogger(
    createHostLogger({ service, level: settings.LOG_LEVEL, format: settings.LOG_FORMAT, env }),
  );
  Logger.overrideLogger(logger);
  return logger;
}
