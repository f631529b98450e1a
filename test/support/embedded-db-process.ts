// The application's embedded database (src/platform/db/embedded.ts), in memory, in a process of its own:
// PGlite cannot start inside jest's module sandbox. Run with `node -r @swc-node/register`.
// Prints its URL, stops when stdin closes.
import { startEmbeddedDatabase } from '../../src/platform/db/embedded';

startEmbeddedDatabase(undefined, 20).then((db) => {
  process.stdout.write(`${db.url}\n`);
  process.stdin.resume();
  process.stdin.on('end', async () => {
    await db.stop();
    process.exit(0);
  });
}, (error) => {
  console.error(error);
  process.exit(1);
});
