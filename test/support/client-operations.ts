/** The named operations of the client apps (../shared/clients), by kind, to run one at a time. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, OperationTypeNode, parse } from 'graphql';

export { clientOperation } from './clients';

const CLIENTS = join(__dirname, '../../../shared/clients');

/** Every operation of the given kind in every client file. */
export function clientOperationNames(kind: 'query' | 'mutation'): { file: string; name: string }[] {
  return readdirSync(CLIENTS)
    .filter((f) => f.endsWith('.graphql'))
    .flatMap((file) =>
      parse(readFileSync(join(CLIENTS, file), 'utf8')).definitions.flatMap((d) =>
        d.kind === Kind.OPERATION_DEFINITION && d.operation === (kind as OperationTypeNode) && d.name
          ? [{ file, name: d.name.value }]
          : [],
      ),
    );
}
