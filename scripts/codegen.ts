/**
 * `npm run codegen -- [--out <file>]`: the TypeScript types of every client operation, generated
 * with codegen.ts's configuration (GraphQL Code Generator's typescript-operations plugin) from
 * schema.graphql and clients/*.graphql; printed, or written to `--out`. What an app's own
 * `npx graphql-codegen --config codegen.ts` produces, without the CLI (its loaders need Node 22).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { codegen } from '@graphql-codegen/core';
import * as operationsPlugin from '@graphql-codegen/typescript-operations';
import { buildSchema, parse } from 'graphql';
import config, { PLUGIN_CONFIG } from '../codegen';
import { clientFiles, CLIENTS_COPY_DIR } from './lib/client-operations';

export async function generateClientTypes(schemaSdl: string): Promise<string> {
  const [output, { plugins }] = Object.entries(config.generates)[0] as [string, { plugins: string[] }];
  return codegen({
    filename: output,
    schema: parse(schemaSdl),
    schemaAst: buildSchema(schemaSdl),
    documents: clientFiles(CLIENTS_COPY_DIR).map((file) => ({
      location: `clients/${file}`,
      document: parse(readFileSync(join(CLIENTS_COPY_DIR, file), 'utf8')),
    })),
    plugins: plugins.map((name) => ({ [name]: {} })),
    pluginMap: { 'typescript-operations': operationsPlugin },
    config: PLUGIN_CONFIG,
  });
}

if (require.main === module) {
  const { values } = parseArgs({ options: { out: { type: 'string' }, schema: { type: 'string' } } });
  const sdl = readFileSync(values.schema ?? resolve(CLIENTS_COPY_DIR, '../schema.graphql'), 'utf8');
  generateClientTypes(sdl).then(
    (ts) => (values.out ? writeFileSync(values.out, ts) : process.stdout.write(ts)),
    (error: Error) => {
      console.error(error.message);
      process.exit(1);
    },
  );
}
