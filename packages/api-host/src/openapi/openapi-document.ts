import type { ExtensionRegistry } from '@coordinator/core/runtime';
import type { INestApplication } from '@nestjs/common';
import {
  DocumentBuilder,
  SwaggerModule,
  type OpenAPIObject,
  type OperationObject,
  type ParameterObject,
  type ReferenceObject,
  type RequestBodyObject,
  type ResponseObject,
  type SchemaObject,
} from '@nestjs/swagger';
import { createRequire } from 'node:module';
import { documentHealthChecks } from './health-check-responses.js';
import type { ExtensionDocs } from './extension-docs.js';
import { addStandardResponses, ERROR_SCHEMA, errorSchema } from './standard-responses.js';

/** Tag of the host's own routes. */
const HOST_TAG = 'coordinator';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

/**
 * The OpenAPI document of the running API host: `@nestjs/swagger` scans every mounted
 * controller (the loaded extensions' and the host's own), then {@link completeDocument}
 * fills in what it cannot see without `@ApiProperty()` decorators.
 *
 * @example
 * ```ts
 * const document = buildOpenApiDocument(app, registry, readExtensionDocs(registry));
 * ```
 */
export function buildOpenApiDocument(
  app: INestApplication,
  registry: ExtensionRegistry,
  extensionDocs: ExtensionDocs,
): OpenAPIObject {
  documentHealthChecks();
  const loaded = registry.extensions.map((e) => `\`${e.name}\` ${e.version}`).join(', ');
  const config = new DocumentBuilder()
    .setTitle('Commerce Coordinator API')
    .setVersion(version)
    .setDescription(
      `Accepts requests, stores the work as tasks and answers at once; the tasks run in the worker hosts. ` +
        `Extensions loaded: ${loaded || 'none'}.`,
    )
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'An API key (`cck_…`) or a JWT from the configured issuer.' },
      'bearer',
    )
    .addSecurityRequirements('bearer')
    .build();
  // Tags come from the extensions (see completeDocument), not from controller class names.
  return completeDocument(
    SwaggerModule.createDocument(app, config, { autoTagControllers: false }),
    registry,
    extensionDocs,
  );
}

/**
 * Post-processing of the scanned document, so extensions stay free of OpenAPI decorators:
 * request body schemas from the DTOs' class-validator decorators (`dtoSchemas`);
 * a tag per extension on its routes; and the standard answers (400, 401, 404, 409, 422,
 * 503) on each of them. Anything an extension documented itself is kept.
 */
export function completeDocument(
  document: OpenAPIObject,
  registry: ExtensionRegistry,
  { routes, bodySchemas }: ExtensionDocs,
): OpenAPIObject {
  const components = (document.components ??= {});
  const schemas = (components.schemas ??= {});
  for (const [name, schema] of Object.entries(bodySchemas)) {
    const scanned = schemas[name] as SchemaObject | undefined;
    // `@nestjs/swagger` registers a DTO without `@ApiProperty()` as an empty object.
    if (!scanned || Object.keys(scanned.properties ?? {}).length === 0) schemas[name] = schema;
  }
  schemas[ERROR_SCHEMA] ??= errorSchema;

  for (const route of routes) {
    const operation = (document.paths[route.path] as Record<string, OperationObject | undefined> | undefined)?.[
      route.method
    ];
    if (!operation) continue;
    if (!operation.tags?.length) operation.tags = [route.extension];
    if (route.body) {
      // A body whose properties are all optional (`POST /orders/:id/cancel`) may be left out.
      const required = ((schemas[route.body.name] as SchemaObject | undefined)?.required?.length ?? 0) > 0;
      operation.requestBody = withBodySchema(operation.requestBody, route.body.name, required);
    }
    addHeaderParameters(operation, route.headers);
    addStandardResponses(operation);
    if (route.access?.kind === 'public') {
      operation.security = [];
      delete operation.responses['401'];
      delete operation.responses['403'];
    } else if (route.access) {
      operation.security = [{ bearer: [...route.access.scopes] }];
      operation.description = [
        operation.description,
        `Needs the scope(s) ${route.access.scopes.map((s: string) => `\`${s}\``).join(', ')}.`,
      ]
        .filter(Boolean)
        .join('\n\n');
    }
  }
  // Whatever no extension owns is the host's own (`/tasks/{id}`, `/health/*`); a bare 200 says OK.
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item as Record<string, OperationObject | undefined>)) {
      if (!operation || typeof operation !== 'object' || !('responses' in operation)) continue;
      if (!operation.tags?.length) operation.tags = [HOST_TAG];
      // Probes are open to load balancers.
      if (operation.tags.includes(HOST_TAG) && operation.operationId?.startsWith('Health')) operation.security = [];
      const ok = operation.responses['200'] as ResponseObject | undefined;
      if (ok && !ok.description) ok.description = 'OK';
    }
  }
  const described = new Set((document.tags ?? []).map((t) => t.name));
  document.tags = [
    ...(document.tags ?? []),
    ...registry.extensions
      .filter((e) => !described.has(e.name))
      .map((e) => ({ name: e.name, description: `${e.name} extension ${e.version}` })),
    ...(described.has(HOST_TAG) ? [] : [{ name: HOST_TAG, description: 'the API host: task status, health' }]),
  ];
  return document;
}

/** The headers the coordinator's conventions give a meaning; others are documented by name only. */
const knownHeaders: Record<string, Omit<ParameterObject, 'name' | 'in'>> = {
  'idempotency-key': {
    required: true,
    description:
      'Names the request, 8 to 128 printable ASCII characters: repeating it returns the first answer; ' +
      'the same key with another body answers 422. Missing or malformed: 400.',
    schema: { type: 'string', minLength: 8, maxLength: 128, pattern: '^[\\x21-\\x7e]+$' },
  },
  'stripe-signature': {
    required: true,
    description: "The provider's signature over the raw body; a bad or stale one answers 400.",
    schema: { type: 'string' },
  },
};

/** `@Headers('name')` parameters, which `@nestjs/swagger` leaves out without `@ApiHeader()`. */
function addHeaderParameters(operation: OperationObject, headers: readonly string[]): void {
  const parameters = (operation.parameters ??= []);
  for (const name of headers) {
    const documented = parameters.some((p) => !('$ref' in p) && p.in === 'header' && p.name.toLowerCase() === name);
    if (!documented) parameters.push({ name, in: 'header', ...(knownHeaders[name] ?? { schema: { type: 'string' } }) });
  }
}

function withBodySchema(
  body: RequestBodyObject | ReferenceObject | undefined,
  schemaName: string,
  required: boolean,
): RequestBodyObject | ReferenceObject {
  if (body && '$ref' in body) return body;
  const json = body?.content?.['application/json'];
  return {
    ...body,
    required,
    content: {
      ...body?.content,
      'application/json': { ...json, schema: json?.schema ?? { $ref: `#/components/schemas/${schemaName}` } },
    },
  };
}
