// Starts a coordinator host (BENCH_HOST_BIN) with tracing on and every span dropped in the process:
// the benchmark's "tracing enabled with a no-op exporter". Spans are recorded, batched and handed to
// the exporter as in production; only serialising and sending them is left out, which is the
// collector protocol's cost rather than the coordinator's (BENCH_TRACING=otlp measures it too).
// At exit it appends how many spans it dropped to BENCH_SPAN_COUNT_FILE, so the results show that
// tracing was really on.
import { provideTraceExporter } from '@coordinator/core/runtime/telemetry';
import { appendFileSync } from 'node:fs';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

const { BENCH_HOST_BIN: bin, BENCH_SPAN_COUNT_FILE: countFile } = process.env;
if (!bin) throw new Error('discard-traces: BENCH_HOST_BIN is required');

let dropped = 0;
provideTraceExporter({
  export(spans, done) {
    dropped += spans.length;
    done({ code: 0 }); // ExportResultCode.SUCCESS
  },
  shutdown: async () => {},
});
if (countFile) process.on('exit', () => appendFileSync(countFile, `${dropped}\n`));
// The bin starts tracing with that exporter when it would with OTEL_* (after loading its modules).
await import(pathToFileURL(bin).href);
