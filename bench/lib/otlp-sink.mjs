// Where the hosts' traces go during the benchmark: an OTLP/HTTP endpoint on 127.0.0.1 that reads
// each export, answers 200 with an empty (valid) ExportTraceServiceResponse and drops it. The hosts
// pay the whole production path (spans recorded, batched, serialised, posted); the spans go nowhere.
// It counts what it received, so the results can show tracing really was on.
import { createServer } from 'node:http';

export async function startOtlpSink() {
  let exports = 0;
  let bytes = 0;
  const server = createServer((request, response) => {
    request.on('data', (chunk) => (bytes += chunk.length));
    request.on('end', () => {
      exports += 1;
      response.writeHead(200, { 'content-type': 'application/x-protobuf', 'content-length': '0' });
      response.end();
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    /** Exports and bytes received so far. */
    counts: () => ({ exports, bytes }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
