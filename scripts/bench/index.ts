/**
 * `npm run bench [-- --quick]`: what the privacy rule layer costs, and how the API compares with a
 * PostGraphile peer that enforces the same rules in PostgreSQL. See scripts/bench/main.ts.
 *
 * The benchmark measures a production-like process: NODE_ENV must be set before graphql and Apollo
 * load (graphql-js reads it once, at import), hence the deferred require.
 */
process.env.NODE_ENV ??= 'production';
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('./main').main().then(
  (ok: boolean) => process.exit(ok ? 0 : 1),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
