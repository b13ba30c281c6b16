#!/usr/bin/env node
// API reports of the published entry points (api/*.api.md), made by Microsoft API Extractor from dist/**/*.d.ts.
//
//   node scripts/api-report.mjs check    fail when a report differs from the committed one (CI; `pnpm api:check`)
//   node scripts/api-report.mjs update   rewrite the reports after a deliberate API change (`pnpm api:update`)
//
// Both read the build output: run `pnpm build` first. Settings live in api/*.api-extractor.json.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REPORTS = [
  { entry: '@coordinator/core', config: 'api/core.api-extractor.json' },
  { entry: '@coordinator/core/runtime', config: 'api/core-runtime.api-extractor.json' },
  { entry: '@coordinator/testing', config: 'api/testing.api-extractor.json' },
];

const mode = process.argv[2];
if (mode !== 'check' && mode !== 'update') {
  console.error('usage: node scripts/api-report.mjs check|update');
  process.exit(2);
}

console.log(`API Extractor ${Extractor.version}: ${mode} ${REPORTS.length} API reports`);
let failed = false;
for (const { entry, config } of REPORTS) {
  const started = performance.now();
  const configFile = path.join(root, config);
  const configObject = ExtractorConfig.loadFile(configFile);
  const entryPoint = configObject.mainEntryPointFilePath.replace('<projectFolder>', configObject.projectFolder);
  if (!existsSync(entryPoint)) {
    console.error(`✗ ${entry}: ${path.relative(root, entryPoint)} is missing: run \`pnpm build\` first`);
    failed = true;
    continue;
  }
  // Like ExtractorConfig.loadFileAndPrepare, but with the package's own package.json (not the root one, which is
  // the nearest to api/), so that the report is titled with the package name.
  const packageJsonFullPath = path.join(configObject.projectFolder, 'package.json');
  const extractorConfig = ExtractorConfig.prepare({
    configObject,
    configObjectFullPath: configFile,
    packageJsonFullPath,
    packageJson: JSON.parse(readFileSync(packageJsonFullPath, 'utf8')),
  });
  const report = path.relative(
    root,
    path.join(extractorConfig.reportFolder, extractorConfig.reportConfigs[0].fileName),
  );

  let diff = '';
  const result = Extractor.invoke(extractorConfig, {
    localBuild: mode === 'update',
    printApiReportDiff: mode === 'check',
    messageCallback(message) {
      switch (message.messageId) {
        case 'console-preamble': // "Analysis will use the bundled TypeScript version …"
        case 'console-api-report-copied': // update mode: reported below
        case 'console-api-report-created':
        case 'console-api-report-not-copied': // check mode: "please copy the temp file …", replaced below
          message.handled = true;
          break;
        case 'console-api-report-diff':
          diff = message.text.replace(/^Changes to the API report:\n+/, '').replaceAll(root + path.sep, '');
          message.handled = true;
          break;
      }
    },
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);

  if (mode === 'check' && result.apiReportChanged) {
    failed = true;
    const what = existsSync(path.join(root, report)) ? 'changed' : 'has no committed report';
    console.error(`✗ the public API of ${entry} ${what}: run \`pnpm api:update\` and commit ${report}`);
    if (diff) console.error(diff.replace(/^/gm, '    ').trimEnd());
  } else if (!result.succeeded) {
    failed = true;
    console.error(
      `✗ ${entry}: API Extractor found ${result.errorCount} error(s), ${result.warningCount} warning(s) (above)`,
    );
  } else if (result.apiReportChanged) {
    console.log(`✓ ${entry}: updated ${report} (${seconds} s)`);
  } else {
    console.log(`✓ ${entry}: ${report} is up to date (${seconds} s)`);
  }
}
process.exit(failed ? 1 : 0);
