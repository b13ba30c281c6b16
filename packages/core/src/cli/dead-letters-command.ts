import { UsageError, type CliIo } from './command.js';
import { deadLettersList } from './dead-letters-list.js';
import { deadLettersReplay } from './dead-letters-replay.js';

export const DEAD_LETTERS_USAGE = `Usage: coordinator dead-letters <list|replay> [options]

Failed jobs (the dead letters): tasks whose last attempt failed, or that failed
permanently, kept in each queue's BullMQ failed set with their failure reason.

Commands:
  list [--queue q] [--limit n] [--json]       show failed jobs, newest first
  replay <taskId…> | --all [--queue q]        move failed jobs back to waiting (attempts reset)

Run "coordinator dead-letters <command> --help" for details.`;

/** `coordinator dead-letters <list|replay>`. */
export async function deadLettersCommand(args: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined) {
    io.err(DEAD_LETTERS_USAGE);
    return 2;
  }
  if (command === '-h' || command === '--help' || command === 'help') {
    io.out(DEAD_LETTERS_USAGE);
    return 0;
  }
  if (command === 'list') return deadLettersList(rest, io);
  if (command === 'replay') return deadLettersReplay(rest, io);
  throw new UsageError(`unknown dead-letters command "${command}" (list or replay)`);
}
