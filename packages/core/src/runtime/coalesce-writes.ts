import type { Socket } from 'node:net';

/** The part of an ioredis client whose socket writes are gathered. */
export interface CoalescableClient {
  /** Undefined until the client first connects; a new socket after each reconnect. */
  readonly stream?: Pick<Socket, 'write' | 'cork' | 'uncork' | 'writableCorked'>;
  on(event: 'connect', listener: () => void): unknown;
}

const COALESCED = Symbol('coalesced writes');

/**
 * Gathers what a Redis connection writes during one turn of the event loop into one system
 * call. ioredis writes each command to its socket as it is sent, one `write` system call per
 * command; where a system call is dear (virtual machines), a host that sends several commands
 * per request or job spends a fifth of its CPU in them. The first write of a turn corks the
 * socket and `setImmediate` uncorks it, so everything written until the event loop next waits
 * for I/O leaves together.
 *
 * Every command is still sent in order and answered on its own: this is not ioredis's
 * auto-pipelining (which BullMQ does not support), only fewer, larger writes. A command waits
 * at most for the rest of the turn it was sent in. Applies to the client's current socket and
 * to each one it reconnects with.
 *
 * @example
 * ```ts
 * const redis = new Redis(url);
 * coalesceWrites(redis);
 * ```
 */
export function coalesceWrites(client: CoalescableClient): void {
  const wrap = () => {
    const socket = client.stream as (Socket & { [COALESCED]?: true }) | undefined;
    if (socket === undefined || socket[COALESCED]) return;
    socket[COALESCED] = true;
    const write = socket.write;
    socket.write = function (this: Socket, ...args: Parameters<Socket['write']>) {
      if (this.writableCorked === 0) {
        this.cork();
        setImmediate(() => this.uncork());
      }
      return write.apply(this, args);
    } as Socket['write'];
  };
  wrap();
  client.on('connect', wrap);
}
