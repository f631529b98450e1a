/**
 * The operations the client apps send (../shared/clients), one at a time, so the tests run exactly
 * what the apps run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DefinitionNode, FragmentDefinitionNode, Kind, parse, print, visit } from 'graphql';

const CLIENTS = join(__dirname, '../../../shared/clients');

/** The named operation of a client file, with the fragments it uses. */
export function clientOperation(file: string, name: string): string {
  const doc = parse(readFileSync(join(CLIENTS, file), 'utf8'));
  const fragments = new Map(
    doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const operation = doc.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION && d.name?.value === name);
  if (!operation) throw new Error(`${file} has no operation ${name}`);
  const used = new Map<string, DefinitionNode>();
  const collect = (node: DefinitionNode) =>
    visit(node, {
      FragmentSpread(spread) {
        const f = fragments.get(spread.name.value);
        if (f && !used.has(f.name.value)) {
          used.set(f.name.value, f);
          collect(f);
        }
      },
    });
  collect(operation);
  return [operation, ...used.values()].map((d) => print(d)).join('\n');
}
