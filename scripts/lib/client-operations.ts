/**
 * The operations the client apps send, one at a time, exactly as the apps send them. Used by the
 * tests, the benchmark and the soak. The contract is ../shared/clients beside the repository;
 * `clients/` holds the copy this version was built against, so a clone without ../shared still
 * tests it (test/app/clients/clients-copy.test.ts fails when the two differ).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DefinitionNode, FragmentDefinitionNode, Kind, OperationTypeNode, parse, print, visit } from 'graphql';

/** The repository's copy of the client operations. */
export const CLIENTS_COPY_DIR = resolve(__dirname, __dirname.includes(`${'/dist/'}`) ? '../../../clients' : '../../clients');
/**
 * The shared contract beside the repository (not beside the working directory, so a command run
 * from a subfolder finds the same one), when there is one. `SHARED_CLIENTS_DIR` names another place:
 * test/app/clients/without-shared.test.ts points it at a folder that does not exist.
 */
export const SHARED_CLIENTS_DIR = process.env.SHARED_CLIENTS_DIR ?? resolve(CLIENTS_COPY_DIR, '../../shared/clients');

/** `CLIENTS_DIR` overrides; otherwise ../shared/clients when it is there, else the repository's copy. */
export const CLIENTS_DIR = process.env.CLIENTS_DIR ?? (existsSync(SHARED_CLIENTS_DIR) ? SHARED_CLIENTS_DIR : CLIENTS_COPY_DIR);

export function clientFiles(dir = CLIENTS_DIR): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.graphql')).sort();
}

/** The named operation of a client file, with the fragments it uses (transitively). */
export function clientOperation(file: string, name: string, dir = CLIENTS_DIR): string {
  const doc = parse(readFileSync(join(dir, file), 'utf8'));
  const fragments = new Map(
    doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const operation = doc.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION && d.name?.value === name);
  if (!operation) throw new Error(`${file} has no operation ${name}`);
  const used = new Map<string, DefinitionNode>();
  const collect = (node: DefinitionNode) =>
    visit(node, {
      FragmentSpread(spread) {
        const fragment = fragments.get(spread.name.value);
        if (fragment && !used.has(fragment.name.value)) {
          used.set(fragment.name.value, fragment);
          collect(fragment);
        }
      },
    });
  collect(operation);
  return [operation, ...used.values()].map((d) => print(d)).join('\n');
}

/** Every named operation of the given kind (or all) in every client file. */
export function clientOperationNames(kind?: 'query' | 'mutation', dir = CLIENTS_DIR): { file: string; name: string; type: OperationTypeNode }[] {
  return clientFiles(dir).flatMap((file) =>
    parse(readFileSync(join(dir, file), 'utf8')).definitions.flatMap((d) =>
      d.kind === Kind.OPERATION_DEFINITION && d.name && (!kind || d.operation === (kind as OperationTypeNode))
        ? [{ file, name: d.name.value, type: d.operation }]
        : [],
    ),
  );
}
