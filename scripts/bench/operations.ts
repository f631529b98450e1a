import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DefinitionNode, FragmentDefinitionNode, Kind, parse, print, visit } from 'graphql';

/** The client apps' operations: ../shared/clients beside the repository (BENCH_CLIENTS_DIR overrides). */
export const CLIENTS_DIR = process.env.BENCH_CLIENTS_DIR ?? resolve(__dirname, '../../../../shared/clients');

/** The named operation of a client file, with the fragments it uses, exactly as the app sends it. */
export function clientOperation(file: string, name: string): string {
  const doc = parse(readFileSync(join(CLIENTS_DIR, file), 'utf8'));
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
