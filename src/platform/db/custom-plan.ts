import type { DataSource } from 'typeorm';

/**
 * One read planned for its parameter values (a custom plan), although every session of the API
 * plans generically (SESSION_SETTINGS): for a statement whose best plan depends on a value — a
 * search term, rare or common — a generic plan picks one index for all terms. SET LOCAL holds for
 * the transaction only, so the connection goes back to the pool as it came.
 */
export async function queryWithCustomPlan<T = any>(dataSource: DataSource, sql: string, params: unknown[]): Promise<T[]> {
  const runner = dataSource.createQueryRunner('slave');
  await runner.connect();
  try {
    await runner.startTransaction();
    await runner.query('SET LOCAL plan_cache_mode = force_custom_plan');
    const rows = await runner.query(sql, params);
    await runner.commitTransaction();
    return rows;
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}
