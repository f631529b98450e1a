import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildBareSchema } from './schema';

export const SCHEMA_FILE_HEADER = '# Generated from the type-graphql classes by `npm run schema:print`. Do not edit.\n\n';

/** The SDL committed as schema.graphql; sorted, so that a diff shows only real changes. */
export async function schemaSdl(): Promise<string> {
  return SCHEMA_FILE_HEADER + printSchema(lexicographicSortSchema(await buildBareSchema())) + '\n';
}
