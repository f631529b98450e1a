/**
 * The embedded database is one PostgreSQL session shared by every connection. A connection's
 * extended-protocol messages (Parse, Bind, Execute … Sync) must reach it together, or another
 * connection's statement slips in between and answers are lost or wrong.
 */
import { Pool } from 'pg';
import { startEmbeddedProcess } from '../../support/embedded-process';

test('concurrent connections with transactions get every answer right', async () => {
  const server = await startEmbeddedProcess();
  const pool = new Pool({ connectionString: server.url, max: 6 });
  try {
    await pool.query('CREATE TABLE counter (id int PRIMARY KEY, n int NOT NULL)');
    await pool.query('INSERT INTO counter VALUES (1, 0)');
    const writer = async () => {
      for (let i = 0; i < 40; i++) {
        const c = await pool.connect();
        try {
          await c.query('BEGIN');
          await c.query('UPDATE counter SET n = n + $1 WHERE id = $2', [1, 1]);
          await c.query('COMMIT');
        } finally {
          c.release();
        }
      }
    };
    const reader = async () => {
      const answers: number[] = [];
      for (let i = 0; i < 60; i++) {
        const { rows } = await pool.query('SELECT n, $1::int AS echo FROM counter WHERE id = $2', [i, 1]);
        expect(rows).toHaveLength(1);
        expect(rows[0].echo).toBe(i);
        answers.push(rows[0].n);
      }
      return answers;
    };
    await Promise.all([writer(), reader(), reader(), reader(), reader()]);
    const { rows } = await pool.query('SELECT n FROM counter WHERE id = 1');
    expect(rows[0].n).toBe(40);
  } finally {
    await pool.end();
    await server.stop();
  }
});
