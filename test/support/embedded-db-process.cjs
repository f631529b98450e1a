// An in-memory embedded PostgreSQL in a process of its own, for tests that need a database of their
// own: PGlite cannot start inside jest's module sandbox. Prints its address, stops when stdin closes.
const { PGlite } = require('@electric-sql/pglite');
const { PGLiteSocketServer } = require('@electric-sql/pglite-socket');

(async () => {
  const db = await PGlite.create();
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 20 });
  await server.start();
  process.stdout.write(`${server.getServerConn()}\n`);
  process.stdin.resume();
  process.stdin.on('end', async () => {
    await server.stop();
    await db.close();
    process.exit(0);
  });
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
