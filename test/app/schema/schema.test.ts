/**
 * The schema and the policy cannot drift apart: every field the API serves is named by the policy
 * (else nobody could say who reads it), every policy entry is served, and schema.graphql is what the
 * classes generate. The policy matrix is snapshotted so that any change of who reads what shows up
 * in review as a permission change.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { GraphQLObjectType, isObjectType } from 'graphql';
import { buildBareSchema } from '../../../src/app/schema';
import { schemaSdl } from '../../../src/app/schema-sdl';
import { compiled } from '../../../src/privacy/policy/compiled';
import { STRUCTURAL } from '../../../src/privacy/policy/policy-types';
import { docSql } from '../../../src/privacy/policy/scope-expr';

function servedFields(schema: Awaited<ReturnType<typeof buildBareSchema>>): string[] {
  return Object.values(schema.getTypeMap())
    .filter((t): t is GraphQLObjectType => isObjectType(t) && !t.name.startsWith('__'))
    .flatMap((t) => Object.keys(t.getFields()).map((f) => `${t.name}.${f}`));
}

function declaredFields(): string[] {
  return [...compiled.types].flatMap(([type, rule]) => (rule === STRUCTURAL ? [`${type}.*`] : rule.fields.map((f) => f.path)));
}

test('every served field is named by the policy', async () => {
  const declared = new Set(declaredFields());
  const unnamed = servedFields(await buildBareSchema()).filter(
    (f) => !declared.has(f) && !declared.has(`${f.split('.')[0]}.*`),
  );
  expect(unnamed).toEqual([]);
});

test('every field the policy names is served', async () => {
  const schema = await buildBareSchema();
  const served = new Set(servedFields(schema));
  const stale = declaredFields().filter((f) => (f.endsWith('.*') ? !schema.getType(f.split('.')[0]) : !served.has(f)));
  expect(stale).toEqual([]);
});

test('schema.graphql is generated from the classes (run `npm run schema:print`)', async () => {
  const committed = readFileSync(resolve(__dirname, '../../../schema.graphql'), 'utf8');
  expect(committed).toBe(await schemaSdl());
});

const compiledTable = (type: string) => compiled.tableOf.get(type);

test('the permission matrix as declared', () => {
  const lines = [...compiled.types].flatMap(([type, compiledRule]) => {
    if (compiledRule === STRUCTURAL) return [`${type}: structural`];
    const rule = compiledRule.rule;
    const scopes = compiledTable(type)
      ? [...compiledTable(type)!.scopes.values()].map(
        ({ role, rule: s }) => `${type} scope ${role}: ${docSql(s.where)}${s.openWhile ? ` open while ${s.openWhile.field} in ${s.openWhile.values.join('|')}` : ''}${s.inheritsOpen ? ' (open through parent)' : ''}`,
      )
      : [];
    const fields = compiledRule.fields.map(
      ({ name: f, rule: r }) =>
        `${type}.${f} read: ${[...r.readers].sort().join(' ')}` +
        (r.writers ? ` | write: ${[...r.writers].sort().join(' ')}` : '') +
        (r.personal ? ` | ${r.personal.category} masked ${JSON.stringify(r.personal.masking)}${r.personal.leaseBound ? ' lease-bound' : ''}` : '') +
        (r.searchable ? ` | searchable ${r.searchable === 'contains' ? 'contains' : `equals ${r.searchable.equals}`}` : ''),
    );
    const subject = rule.subjectColumn ? [`${type} subject column: ${rule.subjectColumn}`] : [];
    return [...subject, ...scopes, ...fields];
  });
  lines.unshift(`restriction (art. 18) exempts: ${[...compiled.restrictionExempt].sort().join(' ')}`);
  expect(lines.join('\n')).toMatchSnapshot();
});
