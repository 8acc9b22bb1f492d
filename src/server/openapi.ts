// Builds an OpenAPI 3.1 document from operation declarations (src/server/operation.ts). Schemas
// come from the same zod objects the handlers validate with; named ones (.meta({ id })) become
// components, so the document cannot drift from what the API accepts and returns.
import { z, type ZodType } from 'zod';
import { ZErrorBody, type Operation } from './operation';

type JsonSchema = Record<string, unknown>;

export interface OpenApiGroup {
  prefix: string;
  tag: string;
  /** Who may call it, for the description. */
  audience: string;
  /** Open to every role: no 403 for the wrong one. */
  anyRole?: boolean;
  operations: ReadonlyArray<Operation>;
}

export function buildOpenApi(
  info: { title: string; version: string; description?: string },
  groups: OpenApiGroup[],
) {
  const components: Record<string, JsonSchema> = {};
  const schemaOf = (schema: ZodType, io: 'input' | 'output'): JsonSchema => {
    const json = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io,
      unrepresentable: 'any',
    }) as JsonSchema;
    const defs = (json.$defs ?? {}) as Record<string, JsonSchema>;
    delete json.$defs;
    delete json.$schema;
    for (const [name, def] of Object.entries(defs)) components[name] ??= relink(def) as JsonSchema;
    // A named root schema is itself a component: refer to it.
    const id = typeof json.id === 'string' ? json.id : undefined;
    if (id) {
      delete json.id;
      components[id] ??= relink(json) as JsonSchema;
      return { $ref: `#/components/schemas/${id}` };
    }
    return relink(json) as JsonSchema;
  };
  const errorRef = schemaOf(ZErrorBody, 'output');

  const paths: Record<string, Record<string, unknown>> = {};
  for (const group of groups) {
    for (const op of group.operations) {
      const path = `${group.prefix}${op.path}`;
      const parameters: unknown[] = [];
      for (const name of path.match(/\{(\w+)\}/g) ?? []) {
        parameters.push({ name: name.slice(1, -1), in: 'path', required: true, schema: { type: 'string' } });
      }
      if (op.query) {
        const q = schemaOf(op.query, 'input');
        const props = (q.properties ?? {}) as Record<string, JsonSchema>;
        const required = new Set((q.required as string[] | undefined) ?? []);
        for (const [name, schema] of Object.entries(props)) {
          parameters.push({ name, in: 'query', required: required.has(name), schema });
        }
      }
      const responses: Record<string, unknown> = {
        [String(op.status ?? 200)]: {
          description: 'Success',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['data'],
                properties: { data: schemaOf(op.response, 'output') },
              },
            },
          },
        },
      };
      const errors = [
        {
          status: 400,
          code: 'VALIDATION_FAILED',
          when: 'the input is malformed (fields names each problem)',
        },
        { status: 401, code: 'UNAUTHORIZED', when: 'not signed in' },
        ...(group.anyRole
          ? []
          : [{ status: 403, code: 'FORBIDDEN', when: `the caller is not ${group.audience}` }]),
        ...op.errors,
      ];
      for (const status of [...new Set(errors.map((e) => e.status))].sort()) {
        const lines = errors.filter((e) => e.status === status).map((e) => `\`${e.code}\`: ${e.when}`);
        responses[String(status)] = {
          description: lines.join('; '),
          content: { 'application/json': { schema: errorRef } },
          ...(status === 429 ? { headers: { 'Retry-After': { schema: { type: 'integer' } } } } : {}),
        };
      }
      (paths[path] ??= {})[op.method.toLowerCase()] = {
        tags: [group.tag],
        summary: op.summary,
        ...(op.description ? { description: op.description } : {}),
        operationId: `${group.tag}_${op.method.toLowerCase()}_${op.path.replace(/[^a-zA-Z]+/g, '_')}`.replace(
          /_+$/,
          '',
        ),
        parameters,
        ...(op.upload
          ? {
              requestBody: {
                required: true,
                content: {
                  'multipart/form-data': {
                    schema: {
                      type: 'object',
                      required: [op.upload.field],
                      properties: {
                        [op.upload.field]: {
                          type: 'string',
                          format: 'binary',
                          description: op.upload.description,
                        },
                      },
                    },
                  },
                },
              },
            }
          : {}),
        ...(op.body
          ? {
              requestBody: {
                required: true,
                content: { 'application/json': { schema: schemaOf(op.body, 'input') } },
              },
            }
          : {}),
        responses,
      };
    }
  }
  return {
    openapi: '3.1.0',
    info,
    servers: [{ url: '/' }],
    tags: groups.map((g) => ({ name: g.tag, description: `For ${g.audience}.` })),
    paths,
    components: {
      schemas: components,
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'better-auth.session_token' } },
    },
    security: [{ session: [] }],
  };
}

/** zod writes local refs (#/$defs/X); in the document they live under components. */
function relink(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(relink);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'id') continue;
      out[k] =
        k === '$ref' && typeof v === 'string' ? v.replace('#/$defs/', '#/components/schemas/') : relink(v);
    }
    return out;
  }
  return value;
}
