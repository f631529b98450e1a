/**
 * `clients/` is the copy of the apps' operations this version is built and tested against; the
 * contract itself is ../shared/clients. Where the contract is beside the repository, the copy must
 * be identical, so a change of the apps fails here until the copy (and the code) follow it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLIENTS_COPY_DIR, SHARED_CLIENTS_DIR } from '../../support/clients';

const graphqlFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.graphql')).sort();

test('the repository holds a copy of every client file', () => {
  expect(graphqlFiles(CLIENTS_COPY_DIR).length).toBeGreaterThanOrEqual(5);
});

(existsSync(SHARED_CLIENTS_DIR) ? test : test.skip)('the copy is identical to ../shared/clients', () => {
  expect(graphqlFiles(CLIENTS_COPY_DIR)).toEqual(graphqlFiles(SHARED_CLIENTS_DIR));
  for (const file of graphqlFiles(SHARED_CLIENTS_DIR)) {
    expect({ file, text: readFileSync(join(CLIENTS_COPY_DIR, file), 'utf8') }).toEqual({ file, text: readFileSync(join(SHARED_CLIENTS_DIR, file), 'utf8') });
  }
});
