import { createHmac, createPrivateKey, createPublicKey, hash, KeyObject, sign, verify } from 'node:crypto';
import { mkdir, open, readdir, readFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { logger as processLogger, Logger } from '../logging/logger';

/**
 * Checkpoints are signed with Ed25519, not with an HMAC: they leave the database for places (the
 * log pipeline, an auditor's copy) that can check them with the public key alone, and that public
 * key lets no one forge a checkpoint or a chain's HMAC. The private key is derived from AUDIT_KEY
 * (one secret to deploy and rotate), under a label of its own so the two uses never share a key.
 */
export class CheckpointSigner {
  private readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** Names the key a checkpoint was signed with: a checkpoint of another key is told apart from a forged one. */
  readonly keyId: string;

  constructor(auditKey: string) {
    const seed = createHmac('sha256', auditKey).update('mijande audit checkpoint ed25519 v1').digest();
    // PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410).
    const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
    this.privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    this.publicKey = createPublicKey(this.privateKey);
    this.keyId = hash('sha256', this.publicKey.export({ format: 'der', type: 'spki' }), 'hex').slice(0, 16);
  }

  sign(payload: string): string {
    return sign(null, Buffer.from(payload), this.privateKey).toString('base64url');
  }

  verify(payload: string, signature: string): boolean {
    try {
      return verify(null, Buffer.from(payload), this.publicKey, Buffer.from(signature, 'base64url'));
    } catch {
      return false;
    }
  }
}

/** A chain's head: its newest event as committed. */
export interface ChainHead {
  chain: string;
  seq: number;
  hash: string;
  /** The event's time. */
  at: string;
}

/**
 * One line of a checkpoint file (JSON lines). `head`: the writer's own chain, keyed (`scheme`).
 * `chains`: the heads of every chain the table held when the writer started, so that a chain
 * dropped whole later — another instance's, or one written before checkpoints — is noticed.
 */
export type Checkpoint =
  | { v: 1; kind: 'head'; scheme: 'hmac-sha256'; chain: string; seq: number; hash: string; at: string; writtenAt: string; keyId: string; sig: string }
  | { v: 1; kind: 'chains'; heads: { chain: string; seq: number; hash: string }[]; writtenAt: string; keyId: string; sig: string };

type Unsigned<T> = T extends unknown ? Omit<T, 'sig' | 'keyId'> : never;

/** What is signed: the line's members in a fixed order, without the signature. */
function signedPayload(c: Unsigned<Checkpoint> & { keyId: string }): string {
  return c.kind === 'head'
    ? JSON.stringify([c.v, c.kind, c.scheme, c.chain, c.seq, c.hash, c.at, c.writtenAt, c.keyId])
    : JSON.stringify([c.v, c.kind, c.heads.map((h) => [h.chain, h.seq, h.hash]), c.writtenAt, c.keyId]);
}

export function signCheckpoint(signer: CheckpointSigner, c: Unsigned<Checkpoint>): Checkpoint {
  const withKey = { ...c, keyId: signer.keyId };
  return { ...withKey, sig: signer.sign(signedPayload(withKey)) } as Checkpoint;
}

/** The file of one chain's checkpoints; the name is the chain, made safe for a file name. */
export function checkpointFile(dir: string, chain: string): string {
  return join(dir, `${encodeURIComponent(chain)}.jsonl`);
}

export interface CheckpointerOptions {
  dir: string;
  signer: CheckpointSigner;
  chain: string;
  /** A checkpoint once the head has moved this many events on (default 1000)… */
  everyEvents?: number;
  /** …or, if it moved at all, this often (default 10 s). */
  everyMs?: number;
  log?: Logger;
}

/**
 * Appends a chain's signed head to its file and to the log, regularly and at `close()`. The writer
 * only hands over the head after each commit (`advance`, a few assignments); signing and the file
 * write happen later, off the request path, one line for all the events since the last checkpoint.
 * A checkpoint that cannot be written is logged: the event itself is already stored, and the
 * next checkpoint covers it.
 */
export class AuditCheckpointer {
  private head: ChainHead | undefined;
  private writtenSeq = 0;
  private file: Promise<FileHandle> | undefined;
  private writing: Promise<void> = Promise.resolve();
  private soon: NodeJS.Immediate | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly everyEvents: number;
  private readonly log: Logger;
  private closed = false;
  /** Checkpoints written (lines appended to the chain's file). */
  written = 0;

  constructor(private readonly options: CheckpointerOptions) {
    this.everyEvents = options.everyEvents ?? 1000;
    this.log = options.log ?? processLogger;
    this.timer = setInterval(() => void this.flush(), options.everyMs ?? 10_000);
    this.timer.unref();
  }

  advance(head: ChainHead): void {
    this.head = head;
    if (head.seq - this.writtenSeq >= this.everyEvents && !this.soon && !this.closed) {
      this.soon = setImmediate(() => {
        this.soon = undefined;
        void this.flush();
      });
    }
  }

  /** Records the heads of the chains the table holds (at start): a chain that later disappears is named. */
  recordChains(heads: { chain: string; seq: number; hash: string }[]): Promise<void> {
    return this.append(signCheckpoint(this.options.signer, { v: 1, kind: 'chains', heads, writtenAt: new Date().toISOString() }));
  }

  /** Writes the head if it moved since the last checkpoint. */
  flush(): Promise<void> {
    const head = this.head;
    if (!head || head.seq <= this.writtenSeq) return this.writing;
    this.writtenSeq = head.seq;
    return this.append(signCheckpoint(this.options.signer, {
      v: 1, kind: 'head', scheme: 'hmac-sha256', chain: head.chain, seq: head.seq, hash: head.hash, at: head.at, writtenAt: new Date().toISOString(),
    }));
  }

  /** A final checkpoint of the head, then the file is closed. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    if (this.soon) clearImmediate(this.soon);
    await this.flush();
    await this.writing;
    if (this.file) await (await this.file.catch(() => undefined))?.close();
  }

  private append(checkpoint: Checkpoint): Promise<void> {
    // One write at a time, in order: a line is never interleaved with another.
    this.writing = this.writing.then(async () => {
      try {
        this.file ??= mkdir(this.options.dir, { recursive: true }).then(() => open(checkpointFile(this.options.dir, this.options.chain), 'a'));
        const file = await this.file;
        await file.appendFile(`${JSON.stringify(checkpoint)}\n`);
        await file.datasync();
        this.written++;
        this.log.info({ auditCheckpoint: checkpoint }, 'audit checkpoint');
      } catch (error) {
        this.file = undefined;
        this.log.error({ err: (error as Error).message, auditCheckpoint: checkpoint }, 'audit checkpoint not written');
      }
    });
    return this.writing;
  }
}

export interface CheckpointedHead {
  chain: string;
  seq: number;
  hash: string;
  /** Written by a keyed writer: the chain must verify with the key. */
  keyed: boolean;
  /** Where it was read: file and line, for the report. */
  source: string;
}

export interface CheckpointProblem {
  source: string;
  reason: string;
}

/**
 * Every checkpoint in `dir` (all `*.jsonl` files), signatures checked, reduced to the newest
 * checkpointed head of each chain (the chain's links carry the check back to its first event).
 * A missing directory means no checkpoints.
 */
export async function readCheckpoints(dir: string, signer: CheckpointSigner): Promise<{ heads: Map<string, CheckpointedHead>; problems: CheckpointProblem[]; files: number }> {
  const heads = new Map<string, CheckpointedHead>();
  const problems: CheckpointProblem[] = [];
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.jsonl')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { heads, problems, files: 0 };
    throw error;
  }
  const note = (h: Omit<CheckpointedHead, 'keyed'> & { keyed?: boolean }) => {
    const known = heads.get(h.chain);
    if (!known || h.seq > known.seq || (h.seq === known.seq && h.keyed && !known.keyed)) {
      heads.set(h.chain, { ...h, keyed: Boolean(h.keyed) || Boolean(known?.keyed) });
    } else if (h.keyed) known.keyed = true;
  };
  for (const name of names) {
    const lines = (await readFile(join(dir, name), 'utf8')).split('\n');
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      const source = `${name}:${i + 1}`;
      let c: Checkpoint;
      try {
        c = JSON.parse(line);
      } catch {
        problems.push({ source, reason: 'the checkpoint is not JSON' });
        return;
      }
      if (c?.v !== 1 || (c.kind !== 'head' && c.kind !== 'chains')) {
        problems.push({ source, reason: 'the checkpoint is of no known version or kind' });
        return;
      }
      if (c.keyId !== signer.keyId) {
        problems.push({ source, reason: `the checkpoint is signed with another key (${c.keyId}, AUDIT_KEY gives ${signer.keyId})` });
        return;
      }
      if (!signer.verify(signedPayload(c), c.sig)) {
        problems.push({ source, reason: 'the checkpoint signature is invalid: it was altered or forged' });
        return;
      }
      if (c.kind === 'head') note({ chain: c.chain, seq: c.seq, hash: c.hash, keyed: true, source });
      else for (const h of c.heads) if (h.seq > 0) note({ chain: h.chain, seq: h.seq, hash: h.hash, source });
    });
  }
  return { heads, problems, files: names.length };
}
