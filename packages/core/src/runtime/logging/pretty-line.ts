/** Fields a pretty line shows in its own place, or not at all. */
const SHOWN = new Set(['time', 'level', 'msg', 'context', 'pid', 'hostname', 'service']);

/**
 * One JSON log line as a line for people: `12:03:04.567 INFO  [context] message {rest}`.
 * Lines that are not JSON pass through unchanged.
 */
export function prettyLine(json: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const time = typeof record['time'] === 'string' ? record['time'].slice(11, 23) : '';
  const level = String(record['level'] ?? '').toUpperCase();
  const context = record['context'] ? `[${String(record['context'])}] ` : '';
  const rest = Object.fromEntries(Object.entries(record).filter(([key]) => !SHOWN.has(key)));
  const details = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
  return `${time} ${level.padEnd(5)} ${context}${String(record['msg'] ?? '')}${details}\n`;
}
