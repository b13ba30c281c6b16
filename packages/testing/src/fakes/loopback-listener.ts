import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * An HTTP server listening on 127.0.0.1, as {@link listenOnLoopback} returns it.
 *
 * @example
 * ```ts
 * const listener: LoopbackListener = await listenOnLoopback(0, handler);
 * listener.url; // 'http://127.0.0.1:53117'
 * ```
 */
export interface LoopbackListener {
  /** Base URL, e.g. `http://127.0.0.1:53117`. */
  readonly url: string;
  /**
   * Stops listening and destroys every open connection at once, keep-alive ones
   * included; resolves once the server has closed.
   */
  close(): Promise<void>;
}

/**
 * Starts an HTTP server on 127.0.0.1 that tracks its sockets, so closing it never waits
 * on a client's idle keep-alive connection. Port 0 picks a free port.
 *
 * @throws when the port cannot be bound (e.g. `EADDRINUSE`).
 * @example
 * ```ts
 * const listener = await listenOnLoopback(0, (req, res) => res.end('ok'));
 * await fetch(listener.url);
 * await listener.close();
 * ```
 */
export async function listenOnLoopback(
  port: number,
  onRequest: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<LoopbackListener> {
  const server = createServer(onRequest);
  const sockets = new Set<Socket>();
  // Tracked so close() can cut keep-alive connections that server.close() would wait on.
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    close: () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      return closed;
    },
  };
}
