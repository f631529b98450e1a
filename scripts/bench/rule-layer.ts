/**
 * What the rule layer alone costs, without the database or HTTP around it: a list of 100 tenants ×
 * 10 fields, executed in-process by graphql-js against the bare schema, the schema with the field
 * guard alone (every type but the entry points) and the served schema (the guard, and graphql-shield
 * on the entry points). The rows are real: read once from the database by
 * the ScopedReader as staff with purpose PRIVACY (every field readable), then handed out again as
 * fresh stamped copies for each execution, so that every variant resolves the same rows and only
 * the field rules (and the audit trail they fill) differ.
 */
import { execute, GraphQLSchema, parse } from 'graphql';
import type { DataSource } from 'typeorm';
import { AuditTrail } from '../../src/platform/audit/audit-trail';
import { audienceOf, Viewer } from '../../src/platform/auth/viewer';
import type { AppContext } from '../../src/privacy/context';
import { grantOf } from '../../src/privacy/policy/access';
import { ListSpec, Row, ScopedReader, stampRows } from '../../src/privacy/read/scoped-reader';
import { buildBareSchema, buildProtectedSchema } from '../../src/app/schema';
import { applyGuard } from '../../src/privacy/rules/guard';

export const RULE_LAYER_ROWS = 100;
const FIELDS = ['id', 'firstName', 'lastName', 'dateOfBirth', 'email', 'phone', 'iban', 'status', 'registeredAt', 'householdSize'];
const QUERY = parse(`query RuleLayer($first: Int) { tenants(first: $first) { edges { node { ${FIELDS.join(' ')} } } } }`);

/**
 * Serves the rows it was given as the ScopedReader would: fresh objects as the driver builds them
 * (with the grant's columns), through the same stamping.
 */
class ReplayReader extends ScopedReader {
  constructor(dataSource: DataSource, viewer: Viewer, private readonly rows: Row[]) {
    super(dataSource, viewer);
  }

  override async list(type: string, spec: ListSpec): Promise<Row[]> {
    return stampRows(type, this.rows.slice(0, spec.limit).map((row) => {
      const grant = grantOf(row)!;
      return { ...row, __open: grant.open, __subject: grant.subject };
    }));
  }
}

export interface RuleLayerResult {
  rows: number;
  fields: number;
  /** Median ms per execution. */
  plainMs: number;
  guardMs: number;
  servedMs: number;
  /** guard / plain − 1 (median over rounds): what the field rules below the entry points add. */
  guardOverhead: number;
  /** served / plain − 1: what the served rule layer adds (the guard, and shield on the entry points). */
  servedOverhead: number;
}

export async function measureRuleLayer(dataSource: DataSource, rounds = 40, perRound = 25): Promise<RuleLayerResult> {
  const viewer: Viewer = { sub: 'bench-rule-layer', role: 'staff', purposes: ['PRIVACY'], purpose: 'PRIVACY', audience: audienceOf('staff', 'PRIVACY') };
  const rows = await new ScopedReader(dataSource, viewer).list('Tenant', {
    orderBy: { fields: ['lastName'], direction: 'ASC' }, limit: RULE_LAYER_ROWS,
  });
  if (rows.length < RULE_LAYER_ROWS) throw new Error(`rule layer: only ${rows.length} tenants to read`);
  const context = (): AppContext => ({
    viewer, reader: new ReplayReader(dataSource, viewer, rows), dataSource, requestId: 'bench', audit: new AuditTrail(),
  });
  const schemas: [string, GraphQLSchema][] = [
    ['plain', await buildBareSchema()],
    ['guard', applyGuard(await buildBareSchema())],
    ['served', await buildProtectedSchema()],
  ];
  const run = async (schema: GraphQLSchema) => {
    const result = await execute({ schema, document: QUERY, variableValues: { first: RULE_LAYER_ROWS }, contextValue: context() });
    if (result.errors?.length) throw new Error(`rule layer: ${result.errors[0].message}`);
    return result;
  };
  // The three must answer alike before their times mean anything.
  const answers = await Promise.all(schemas.map(([, schema]) => run(schema)));
  const nodes = (answers[0].data as any).tenants.edges;
  if (nodes.length !== RULE_LAYER_ROWS || Object.keys(nodes[0].node).length !== FIELDS.length) throw new Error('rule layer: unexpected shape');
  for (const answer of answers.slice(1)) {
    if (JSON.stringify(answer.data) !== JSON.stringify(answers[0].data)) throw new Error('rule layer: the variants answer differently');
  }

  for (const [, schema] of schemas) for (let i = 0; i < perRound * 3; i++) await run(schema);
  const times: number[][] = schemas.map(() => []);
  for (let round = 0; round < rounds; round++) {
    // Rotating order, so that no variant always runs right after another's garbage.
    for (let k = 0; k < schemas.length; k++) {
      const i = (round + k) % schemas.length;
      const started = process.hrtime.bigint();
      for (let n = 0; n < perRound; n++) await run(schemas[i][1]);
      times[i].push(Number(process.hrtime.bigint() - started) / 1e6 / perRound);
    }
  }
  const [plainMs, guardMs, servedMs] = times.map(median);
  // The overhead of each round against the plain run of the same round: the machine's drift
  // between rounds cancels out.
  const overhead = (i: number) => median(times[i].map((t, round) => t / times[0][round])) - 1;
  return {
    rows: RULE_LAYER_ROWS,
    fields: FIELDS.length,
    plainMs,
    guardMs,
    servedMs,
    guardOverhead: overhead(1),
    servedOverhead: overhead(2),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
