// Starts a coordinator host (BENCH_HOST_BIN) with tracing on and every span dropped in the process:
// the benchmark's "tracing enabled with a no-op exporter". Spans are recorded, batched and handed to
// the exporter as in production; only serialising and sending them is left out, which is the
// collector protocol's cost rather than the coordinator's (BENCH_TRACING=otlp measures it too).
// At exit it appends how many spans it dropped to BENCH_SPAN_COUNT_FILE, so the results show that
// tracing was really on.
import { startTelemetry } from '@coordinator/core/runtime/telemetry';
import { appendFileSync } from 'node:fs';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

const { BENCH_HOST_BIN: bin, BENCH_SERVICE_NAME: serviceName, BENCH_SPAN_COUNT_FILE: countFile } = process.env;
if (!bin || !serviceName) throw new Error('discard-traces: BENCH_HOST_BIN and BENCH_SERVICE_NAME are required');

let dropped = 0;
await startTelemetry({
  serviceName,
  traceExporter: {
    export(spans, done) {
      dropped += spans.length;
      done({ code: 0 }); // ExportResultCode.SUCCESS
    },
    shutdown: async () => {},
  },
});
if (countFile) process.on('exit', () => appendFileSync(countFile, `${dropped}\n`));
// The host's bin finds telemetry already started and keeps it.
await import(pathToFileURL(bin).href);
