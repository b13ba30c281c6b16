import { describe, expect, it } from '@jest/globals';
import { hashApiKey } from '../runtime/access/api-keys.js';
import { runCli, type CliIo } from './run-cli.js';

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (line) => out.push(line), err: (line) => err.push(line), cwd: process.cwd(), env: {} };
  const code = await runCli(args, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('coordinator api-key', () => {
  it('prints a new key once and the entry holding only its hash', async () => {
    const { code, out } = await run(['api-key', '--id', 'checkout', '--scopes', 'orders:write, tasks:read']);
    expect(code).toBe(0);
    const key = /^\s+(cck_[A-Za-z0-9_-]{43})$/m.exec(out)?.[1];
    expect(key).toBeDefined();
    const entry = JSON.parse(/^\s+(\{.*\})$/m.exec(out)![1]!) as { id: string; sha256: string; scopes: string[] };
    expect(entry).toEqual({ id: 'checkout', sha256: hashApiKey(key!), scopes: ['orders:write', 'tasks:read'] });
    expect(JSON.stringify(entry)).not.toContain(key);
  });

  it('makes a different key every time, and prints JSON on request', async () => {
    const first = JSON.parse((await run(['api-key', '--id', 'a', '--scopes', 'admin', '--json'])).out) as {
      key: string;
    };
    const second = JSON.parse((await run(['api-key', '--id', 'a', '--scopes', 'admin', '--json'])).out) as {
      key: string;
    };
    expect(first.key).not.toBe(second.key);
  });

  it.each([
    [['api-key', '--scopes', 'admin'], /--id is required/],
    [['api-key', '--id', 'a b', '--scopes', 'admin'], /--id is required/],
    [['api-key', '--id', 'a'], /--scopes is required/],
    [['api-key', '--id', 'a', '--scopes', 'Orders Write'], /not a scope: Orders Write/],
  ])('refuses %j with exit code 2', async (args, message) => {
    const { code, err } = await run(args);
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });
});
