// Implicit conversion reads each property's design:type, which needs the Reflect metadata API.
import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync } from 'class-validator';
import type { Type } from '@nestjs/common';
import { SECRET_VARIABLE } from './logging/secret-names.js';

/** A setting is missing or invalid; the message names the variable. */
export class SettingsError extends Error {
  override readonly name = 'SettingsError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

/**
 * Builds a settings object from environment variables. The class's properties are the
 * variable names, decorated with class-validator rules; property initialisers are the
 * defaults; numbers and booleans are converted from their declared types. Throws
 * {@link SettingsError} naming every bad variable and the value it had.
 */
export function loadSettings<T extends object>(cls: Type<T>, env: NodeJS.ProcessEnv = process.env): T {
  const names = new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(cls, '', true, false)
      .map((m) => m.propertyName),
  );
  const raw: Record<string, string> = {};
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value !== '') raw[name] = value;
  }
  const settings = plainToInstance(cls, raw, { enableImplicitConversion: true });
  const errors = validateSync(settings, { forbidUnknownValues: false });
  if (errors.length) {
    throw new SettingsError(
      errors.map((e) => {
        const value = raw[e.property];
        const why = Object.values(e.constraints ?? {}).join(', ');
        if (value === undefined) return `${e.property} is required (${why})`;
        // A secret in the wrong variable must not end up in the startup log.
        const shown = SECRET_VARIABLE.test(e.property)
          ? `(${value.length} characters, not shown)`
          : JSON.stringify(value);
        return `${e.property}=${shown}: ${why}`;
      }),
    );
  }
  return settings;
}
