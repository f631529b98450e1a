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
import { policy } from '../../../src/privacy/policy/policy';
import { STRUCTURAL } from '../../../src/privacy/policy/policy-types';

function servedFields(schema: Awaited<ReturnType<typeof buildBareSchema>>): string[] {
  return Object.values(schema.getTypeMap())
    .filter((t): t is GraphQLObjectType => isObjectType(t) && !t.name.startsWith('__'))
    .flatMap((t) => Object.keys(t.getFields()).map((f) => `${t.name}.${f}`));
}

function declaredFields(): string[] {
  return Object.entries(policy.types).flatMap(([type, rule]) =>
    rule === STRUCTURAL ? [`${type}.*`] : Object.keys(rule.fields).map((f) => `${type}.${f}`),
  );
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

test('the permission matrix as declared', () => {
  const lines = Object.entries(policy.types).flatMap(([type, rule]) => {
    if (rule === STRUCTURAL) return [`${type}: structural`];
    const scopes = Object.entries(rule.scopes ?? {}).map(
      ([role, s]) => `${type} scope ${role}: ${s!.where.replace(/\s+/g, ' ')}${s!.openWhile ? ` open while ${s!.openWhile.field} in ${s!.openWhile.values.join('|')}` : ''}${s!.inheritsOpen ? ' (open through parent)' : ''}`,
    );
    const fields = Object.entries(rule.fields).map(
      ([f, r]) =>
        `${type}.${f} read: ${[...r.readers].sort().join(' ')}` +
        (r.writers ? ` | write: ${[...r.writers].sort().join(' ')}` : '') +
        (r.personal ? ` | ${r.personal.category} masked ${JSON.stringify(r.personal.masking)}${r.personal.leaseBound ? ' lease-bound' : ''}` : '') +
        (r.searchable ? ' | searchable' : ''),
    );
    const subject = rule.subjectColumn ? [`${type} subject column: ${rule.subjectColumn}`] : [];
    return [...subject, ...scopes, ...fields];
  });
  lines.unshift(`restriction (art. 18) exempts: ${[...policy.restriction.exempt].sort().join(' ')}`);
  expect(lines.join('\n')).toMatchSnapshot();
});
