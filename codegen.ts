/**
 * GraphQL Code Generator for the apps: TypeScript types of every client operation, from
 * schema.graphql and clients/*.graphql. In an app's repository, with @graphql-codegen/cli and
 * @graphql-codegen/typescript-operations installed:
 * `npx graphql-codegen --config codegen.ts` (see docs/clients.md). Here,
 * test/app/clients/codegen.test.ts runs the same plugins with this configuration on every build.
 */
import type { Types } from '@graphql-codegen/plugin-helpers';

/** How each scalar of the schema arrives in JSON; `strictScalars` fails codegen on a scalar not listed here. */
export const SCALARS = {
  ID: 'string',
  /** An instant, ISO 8601 in UTC: `2026-12-01T09:30:00.000Z`. */
  DateTimeISO: 'string',
  /** A calendar date without a time zone: `2026-12-01`. */
  LocalDate: 'string',
  /** A JSON object (myDataExport, the audit log's export). */
  JSONObject: 'Record<string, unknown>',
} as const;

export const PLUGIN_CONFIG = {
  scalars: SCALARS,
  strictScalars: true,
  enumsAsTypes: true,
} as const;

const config: Types.Config = {
  schema: 'schema.graphql',
  documents: 'clients/*.graphql',
  generates: {
    // typescript-operations 6 writes the enums, inputs and scalars the operations use itself (adding
    // the `typescript` plugin would declare them twice, and the whole schema's surface beside them).
    'src/generated/graphql.ts': { plugins: ['typescript-operations'], config: PLUGIN_CONFIG },
  },
};

export default config;
