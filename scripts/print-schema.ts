import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { schemaSdl } from '../src/app/schema-sdl';

schemaSdl().then((sdl) => {
  const file = resolve(__dirname, '../../schema.graphql');
  writeFileSync(file, sdl);
  console.log(`wrote ${file}`);
});
