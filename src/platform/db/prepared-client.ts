import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

/**
 * Appended to the SQL of a statement that repeats with other parameters (the scoped reader's):
 * the connection prepares it once and then only binds and executes it, so PostgreSQL parses and
 * plans it once per connection instead of once per request.
 */
export const PREPARE = ' /* prepared */';

/** Per connection. A caller varying its SQL endlessly (field selections) runs the rest unprepared. */
export const MAX_PREPARED_PER_CONNECTION = 256;

/**
 * The pool's connection class. Statement names are random per connection: the embedded database is
 * one session shared by every connection, where two connections preparing one name would collide.
 */
export class PreparingClient extends Client {
  private readonly names = new Map<string, string>();
  private readonly prefix = `p${randomUUID().replace(/-/g, '').slice(0, 12)}_`;

  override query(config: unknown, values?: unknown, callback?: unknown): any {
    if (typeof config === 'string' && config.endsWith(PREPARE) && Array.isArray(values)) {
      let name = this.names.get(config);
      if (name === undefined && this.names.size < MAX_PREPARED_PER_CONNECTION) {
        name = `${this.prefix}${this.names.size}`;
        this.names.set(config, name);
      }
      if (name !== undefined) return (super.query as any)({ name, text: config, values }, callback);
    }
    return (super.query as any)(config, values, callback);
  }
}
