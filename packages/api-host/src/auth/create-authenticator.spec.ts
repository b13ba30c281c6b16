import { SettingsError } from '@coordinator/core/runtime';
import { describe, expect, it } from '@jest/globals';
import type { LoggerService } from '@nestjs/common';
import { createAuthenticator } from './create-authenticator.js';
import { CredentialError } from './credential-error.js';

function recorder() {
  const lines: string[] = [];
  const logger = { log: (m: string) => lines.push(m), warn: (m: string) => lines.push(`WARN ${m}`) };
  return { lines, logger: logger as unknown as LoggerService & { log(m: string): void; warn(m: string): void } };
}

describe('createAuthenticator', () => {
  it('refuses to start without keys or tokens outside development mode', () => {
    expect(() => createAuthenticator({})).toThrow(SettingsError);
    expect(() => createAuthenticator({})).toThrow(/no credentials configured.*COORDINATOR_DEV_MODE=true/);
  });

  it('in development mode, generates a key with every scope and says so loudly', () => {
    const { lines, logger } = recorder();
    const authenticator = createAuthenticator({ COORDINATOR_DEV_MODE: 'true' }, logger as never);
    expect(lines[0]).toMatch(/^WARN DEVELOPMENT MODE/);
    const key = /Bearer (cck_[A-Za-z0-9_-]+)/.exec(lines.join('\n'))?.[1];
    expect(key).toBeDefined();
    expect(authenticator.authenticate(`Bearer ${key}`)).toMatchObject({ id: 'key:development', scopes: ['*'] });
    expect(() => authenticator.authenticate('Bearer cck_other')).toThrow(CredentialError);
  });

  it('tells malformed, unknown and missing credentials apart, without a promise', () => {
    const authenticator = createAuthenticator({ COORDINATOR_DEV_MODE: 'true' }, recorder().logger as never);
    expect(authenticator.authenticate(undefined)).toBeUndefined();
    expect(() => authenticator.authenticate('Token abc')).toThrow(/malformed Authorization header/);
    expect(() => authenticator.authenticate('Basic bm9jb2xvbg==')).toThrow(/Basic needs user:password/);
    expect(() => authenticator.authenticate(`Bearer ${'a'.repeat(9000)}`)).toThrow(/too long/);
    expect(() => authenticator.authenticate('Bearer a.b.c')).toThrow(/accepts no tokens/);
  });
});
