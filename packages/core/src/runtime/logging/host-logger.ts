import type { LoggerService } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Level, type Logger } from 'pino';
import { prettyLine } from './pretty-line.js';
import { redactFields, scrubSecrets, secretValues } from './redaction.js';
import { turnBatched } from './turn-batched-destination.js';

/** `LOG_LEVEL` values: pino's levels, quietest last. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** `LOG_FORMAT` values: JSON lines (default) or one readable line per record. */
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/**
 * Options of {@link createHostLogger}.
 *
 * @example
 * ```ts
 * const options: HostLoggerOptions = { service: 'coordinator-worker', level: 'debug' };
 * ```
 */
export interface HostLoggerOptions {
  /** Written as `service` on every line. */
  service: string;
  level?: LogLevelName;
  format?: LogFormat;
  /** Whose secret values are scrubbed from every line (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /**
   * Where lines go. Default: stdout, written synchronously at the end of each turn of the
   * event loop with everything logged in it, and at exit ({@link turnBatched}).
   */
  destination?: DestinationStream;
}

/**
 * The hosts' pino logger: one JSON object per line with `time`, `level`, `service`,
 * `msg`, the active span's `traceId` and `spanId`, and the record's fields. Fields named
 * like credentials are masked at any depth, and the values of secret environment
 * variables are scrubbed from the whole line.
 *
 * @example
 * ```ts
 * const logger = createHostLogger({ service: 'coordinator-api', level: 'info' });
 * logger.info({ orderId }, 'order accepted');
 * ```
 */
export function createHostLogger(options: HostLoggerOptions): Logger {
  const secrets = secretValues(options.env ?? process.env);
  const target = options.destination ?? turnBatched(pino.destination({ dest: 1, sync: true }));
  const pretty = options.format === 'pretty';
  const destination: DestinationStream = {
    write: (line: string) => {
      const scrubbed = scrubSecrets(line, secrets);
      target.write(pretty ? prettyLine(scrubbed) : scrubbed);
    },
  };
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (record) => redactFields(record) as Record<string, unknown>,
      },
      mixin: traceFields,
      // Errors were serialised (and redacted) by the log formatter already.
      serializers: { err: (value: unknown) => (value instanceof Error ? pino.stdSerializers.err(value) : value) },
    },
    destination,
  );
}

/** The active span's ids; nothing when there is none (or tracing is off). */
function traceFields(): Record<string, string> {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}

const NEST_LEVELS = {
  verbose: 'trace',
  debug: 'debug',
  log: 'info',
  warn: 'warn',
  error: 'error',
  fatal: 'fatal',
} as const satisfies Record<string, Level>;

/**
 * Nest's logger interface over a pino logger, so that Nest's own messages, `new Logger(ctx)`
 * everywhere and task loggers all write the same JSON lines. Understands Nest's calling
 * conventions: a trailing string is the context, plain objects after the message are
 * fields (structured params), an error's second argument may be a stack.
 *
 * @example
 * ```ts
 * const logger = new PinoNestLogger(createHostLogger({ service: 'coordinator-api' }));
 * Logger.overrideLogger(logger);
 * ```
 */
export class PinoNestLogger implements LoggerService {
  constructor(readonly pino: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('log', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('verbose', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(nestLevel: keyof typeof NEST_LEVELS, message: unknown, params: unknown[]): void {
    const level = NEST_LEVELS[nestLevel];
    if (!this.pino.isLevelEnabled(level)) return;
    const rest = [...params];
    const fields: Record<string, unknown> = {};
    const texts: string[] = [];
    const last = rest.at(-1);
    // Nest's Logger appends its context; `error(message, stack)` has a stack there instead.
    if (typeof last === 'string' && !(nestLevel === 'error' && rest.length === 1 && looksLikeStack(last))) {
      fields['context'] = last;
      rest.pop();
    }
    for (const param of rest) {
      if (param === undefined) continue;
      if (isPlainObject(param)) Object.assign(fields, param);
      else if (param instanceof Error) fields['err'] = param;
      else if (typeof param === 'string' && looksLikeStack(param)) fields['stack'] = param;
      else texts.push(typeof param === 'string' ? param : JSON.stringify(param));
    }
    let msg: string;
    const resolved = typeof message === 'function' ? resolveLazy(message as (...args: never[]) => unknown) : message;
    if (resolved instanceof Error) {
      fields['err'] = resolved;
      msg = resolved.message;
    } else if (isPlainObject(resolved)) {
      Object.assign(fields, resolved);
      const text = resolved['msg'] ?? resolved['message'];
      msg = typeof text === 'string' ? text : '';
    } else {
      msg = typeof resolved === 'string' ? resolved : String(JSON.stringify(resolved));
    }
    this.pino[level](fields, texts.length ? `${msg} ${texts.join(' ')}` : msg);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

function looksLikeStack(text: string): boolean {
  return /\n\s+at /.test(text);
}

/** Nest's lazy messages: a function that returns the message, or a class whose name is the message. */
function resolveLazy(message: (...args: never[]) => unknown): unknown {
  return Function.prototype.toString.call(message).startsWith('class ') ? message.name : (message as () => unknown)();
}
