/**
 * pglite-socket queues each wire-protocol message of a connection on its own, so between one
 * connection's Parse and its Sync another connection's statement can run on the single PGlite
 * session — and answers get lost or mixed up. This groups a connection's extended-protocol
 * messages (Parse, Bind, Describe, Execute, Close) and hands them to the queue together with the
 * message that ends the group (Sync, Flush, a simple Query, …), so they run as one unit.
 */
const GROUPED = new Set([0x50 /* P */, 0x42 /* B */, 0x44 /* D */, 0x45 /* E */, 0x43 /* C */]);

type Enqueue = (handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void) => Promise<number>;

interface QueryQueue {
  enqueue: Enqueue;
  clearQueueForHandler(handlerId: number): void;
}

export function groupWireMessages(queue: QueryQueue): void {
  const enqueue = queue.enqueue.bind(queue);
  const clear = queue.clearQueueForHandler.bind(queue);
  const pending = new Map<number, Uint8Array[]>();
  queue.enqueue = (handlerId, message, onData) => {
    const held = pending.get(handlerId) ?? [];
    if (GROUPED.has(message[0])) {
      held.push(message);
      pending.set(handlerId, held);
      return Promise.resolve(0);
    }
    pending.delete(handlerId);
    return enqueue(handlerId, held.length ? concat([...held, message]) : message, onData);
  };
  queue.clearQueueForHandler = (handlerId) => {
    pending.delete(handlerId);
    clear(handlerId);
  };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
