import { MigrationInterface, QueryRunner } from 'typeorm';

/** The tenant columns a search matches by `contains` (the policy's `searchable: 'contains'`). */
const COLUMNS = ['first_name', 'last_name'] as const;

/** The changed rows' values as (column, value, ±1) rows, from the trigger's transition tables. */
const changes = (table: 'added' | 'removed', sign: 1 | -1) =>
  COLUMNS.map((c) => `SELECT '${c}'::text AS c, ${c} AS v, ${sign} AS d FROM ${table}`).join(' UNION ALL ');

const apply = (rows: string) => `
      SELECT coalesce(array_agg(c ORDER BY c, v), '{}'), coalesce(array_agg(v ORDER BY c, v), '{}'), coalesce(array_agg(d ORDER BY c, v), '{}')
        INTO cs, vs, ds
        FROM (SELECT c, v, sum(d)::int AS d FROM (${rows}) AS changed WHERE v IS NOT NULL GROUP BY c, v HAVING sum(d) <> 0) AS delta;`;

/**
 * A search for a common name at a million people (issue 17): "Jansen" matches one tenant in forty,
 * and a page sorted by name had to fetch and sort all of them. `tenant_search_value` holds each
 * distinct value of the searched name columns with the number of tenants holding it, so a search
 * matches the pattern against a few thousand distinct names and then walks the name index for each
 * match, a page at most each.
 *
 * Statement-level triggers with transition tables keep it exact in the writing transaction (a bulk
 * load counts once per statement, not per row). A value nobody holds any more is deleted at once: an
 * erased name does not stay behind here. The counts are upserted in (column, value) order, so two
 * writers take the rows' locks in the same order.
 */
export class SearchValues1765000000000 implements MigrationInterface {
  name = 'SearchValues1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tenant_search_value (
        searched_column text NOT NULL,
        value text NOT NULL,
        holders integer NOT NULL,
        PRIMARY KEY (searched_column, value)
      );
      CREATE INDEX tenant_search_value_trgm_idx ON tenant_search_value USING gin (value gin_trgm_ops);
      -- A first name's holders in the list's order (last name, first name, id).
      CREATE INDEX tenant_first_name_idx ON tenant (first_name, last_name, id);

      CREATE FUNCTION tenant_search_value_apply(cs text[], vs text[], ds int[]) RETURNS void LANGUAGE sql AS $$
        INSERT INTO tenant_search_value AS s (searched_column, value, holders)
          SELECT c, v, d FROM unnest(cs, vs, ds) WITH ORDINALITY AS t(c, v, d, n) ORDER BY n
          ON CONFLICT (searched_column, value) DO UPDATE SET holders = s.holders + excluded.holders;
        DELETE FROM tenant_search_value AS s USING unnest(cs, vs) AS t(c, v)
          WHERE s.searched_column = t.c AND s.value = t.v AND s.holders <= 0;
      $$;

      CREATE FUNCTION tenant_search_value_count() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE cs text[]; vs text[]; ds int[];
      BEGIN
        IF TG_OP = 'INSERT' THEN ${apply(changes('added', 1))}
        ELSIF TG_OP = 'UPDATE' THEN ${apply(`${changes('added', 1)} UNION ALL ${changes('removed', -1)}`)}
        ELSE ${apply(changes('removed', -1))}
        END IF;
        IF cardinality(cs) > 0 THEN PERFORM tenant_search_value_apply(cs, vs, ds); END IF;
        RETURN NULL;
      END $$;

      CREATE TRIGGER tenant_search_value_insert AFTER INSERT ON tenant REFERENCING NEW TABLE AS added
        FOR EACH STATEMENT EXECUTE FUNCTION tenant_search_value_count();
      CREATE TRIGGER tenant_search_value_update AFTER UPDATE ON tenant REFERENCING OLD TABLE AS removed NEW TABLE AS added
        FOR EACH STATEMENT EXECUTE FUNCTION tenant_search_value_count();
      CREATE TRIGGER tenant_search_value_delete AFTER DELETE ON tenant REFERENCING OLD TABLE AS removed
        FOR EACH STATEMENT EXECUTE FUNCTION tenant_search_value_count();

      CREATE FUNCTION tenant_search_value_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN DELETE FROM tenant_search_value; RETURN NULL; END $$;
      CREATE TRIGGER tenant_search_value_truncate AFTER TRUNCATE ON tenant
        FOR EACH STATEMENT EXECUTE FUNCTION tenant_search_value_truncate();

      INSERT INTO tenant_search_value (searched_column, value, holders)
        SELECT c, v, count(*) FROM (${COLUMNS.map((c) => `SELECT '${c}'::text AS c, ${c} AS v FROM tenant`).join(' UNION ALL ')}) AS held
        WHERE v IS NOT NULL GROUP BY c, v;
      ANALYZE tenant_search_value;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER tenant_search_value_truncate ON tenant;
      DROP TRIGGER tenant_search_value_delete ON tenant;
      DROP TRIGGER tenant_search_value_update ON tenant;
      DROP TRIGGER tenant_search_value_insert ON tenant;
      DROP FUNCTION tenant_search_value_truncate();
      DROP FUNCTION tenant_search_value_count();
      DROP FUNCTION tenant_search_value_apply(text[], text[], int[]);
      DROP INDEX tenant_first_name_idx;
      DROP TABLE tenant_search_value;
    `);
  }
}
