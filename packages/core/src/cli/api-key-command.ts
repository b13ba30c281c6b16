import { parseArgs } from 'node:util';
import { generateApiKey } from '../runtime/access/api-keys.js';
import { parseOrUsage, printJson, UsageError, type CliIo } from './command.js';

export const API_KEY_USAGE = `Usage: coordinator api-key --id <name> --scopes <scope,scope,...> [--json]

Makes a new random API key for the API host. Prints the key, once, for the caller to keep,
and the entry to add to COORDINATOR_API_KEYS, which holds only the key's SHA-256: the host
never sees or logs the key itself. To rotate, add a new entry, move the caller to the new
key, then remove the old entry.

Options:
  --id         the key's name, part of the principal id (key:<id>); letters, digits, . _ -
  --scopes     comma-separated scopes, e.g. orders:write,orders:read,tasks:read (admin for /admin/*)
  --json       print { key, entry } as JSON
  -h, --help   show this help`;

const KEY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const SCOPE = /^[a-z0-9*][a-z0-9:*._-]*$/;

/** `coordinator api-key`: a new key and its `COORDINATOR_API_KEYS` entry. */
export function apiKeyCommand(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parseOrUsage(() =>
    parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: {
        id: { type: 'string' },
        scopes: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }),
  );
  if (values.help) {
    io.out(API_KEY_USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (!values.id || !KEY_ID.test(values.id)) {
    throw new UsageError('--id is required: 1 to 64 letters, digits, ".", "_" or "-", like --id checkout');
  }
  const scopes = (values.scopes ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (scopes.length === 0) throw new UsageError('--scopes is required, like --scopes orders:write,orders:read');
  const bad = scopes.filter((s) => !SCOPE.test(s));
  if (bad.length) throw new UsageError(`not a scope: ${bad.join(', ')} (scopes look like orders:write)`);
  const { key, entry } = generateApiKey(values.id, scopes);
  if (values.json) {
    printJson(io, { key, entry });
    return 0;
  }
  io.out(`API key for "${values.id}" (shown once; give it to the caller, it is not stored anywhere):`);
  io.out(`  ${key}`);
  io.out('');
  io.out('Add this entry to the JSON list in COORDINATOR_API_KEYS on every API host:');
  io.out(`  ${JSON.stringify(entry)}`);
  io.out('');
  io.out(`Callers send it as: Authorization: Bearer ${key.slice(0, 8)}…`);
  return 0;
}
