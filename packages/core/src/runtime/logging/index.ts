export {
  createHostLogger,
  LOG_FORMATS,
  LOG_LEVELS,
  PinoNestLogger,
  type HostLoggerOptions,
  type LogFormat,
  type LogLevelName,
} from './host-logger.js';
export { REDACTED, redactFields, scrubSecrets, secretValues, SECRET_FIELD } from './redaction.js';
export { installHostLogger } from './install-host-logger.js';
