/**
 * Settings of every database session the API uses, declared once: a PostgreSQL server gets them
 * in each connection's startup packet, the embedded database (one session for all) when it starts.
 *
 * plan_cache_mode: the scoped reader prepares its statements once per connection, but under the
 * default `auto` PostgreSQL plans most of them anew at every execution (their generic plan looks
 * dearer on paper: `LIMIT $1`, `= ANY($1)`), and planning is most of the database's time for them
 * (a MyProfile request: 1.33 ms with custom plans, 0.52 ms with generic ones, the same plans). The
 * parameters are ids, id lists, page sizes and enum values, whose values do not call for other
 * plans. See docs/performance.md.
 *
 * jit: a generic plan prices `LIMIT $1` as a tenth of the table, which at a million rows passes
 * every JIT threshold, and PostgreSQL then compiles the statement at every execution (200–350 ms
 * against 1–3 ms of execution). The API's statements are short index walks that JIT never speeds up.
 */
export const SESSION_SETTINGS: Readonly<Record<string, string>> = {
  plan_cache_mode: 'force_generic_plan',
  jit: 'off',
};

/** As libpq's `options` startup parameter: `-c name=value …`. */
export const startupOptions = (): string => Object.entries(SESSION_SETTINGS).map(([k, v]) => `-c ${k}=${v}`).join(' ');

/** As SET statements, for a session that is already open. */
export const setStatements = (): string => Object.entries(SESSION_SETTINGS).map(([k, v]) => `SET ${k} = '${v}';`).join('\n');
