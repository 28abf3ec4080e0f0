/**
 * @module ledger-chaining-db
 * Wraps a Db so that pending ledger events are chained soon after they commit, without anyone having to
 * remember to: when a transaction (or a single statement) that wrote to the outbox succeeds, one
 * in-process chainer is woken. It runs off the caller's path (the request does not wait for it), a
 * moment later (CHAIN_DELAY_MS, to batch) and one run at a time; wakes during a run make it go round
 * once more, so nothing committed before a wake is left behind. close() waits for a run in flight and chains what is left before closing the engine.
 * A process that dies between a commit and the chain leaves events pending (never lost): the next run
 * in any process picks them up, and servers also sweep periodically (startLedgerSweep). Runs in several
 * processes at once are safe: the chainer waits for the per-organisation lock (see chainPendingLedger).
 */
import type { Db, Queryable, Row } from "./db-port.ts";
import { chainPendingLedger, LEDGER_PENDING_INSERT } from "./repositories/ledger.repository.ts";

function reportError(e: unknown): void {
  process.stderr.write(`ledger chainer: ${e instanceof Error ? e.message : String(e)}\n`);
}

const writesOutbox = (sql: string): boolean => sql.includes(LEDGER_PENDING_INSERT);

/**
 * How long a wake waits before chaining, so that events committed close together go into the chain in
 * one batch (one lock, one commit) instead of one run each. Nothing waits for the chain but readers of
 * the ledger, and they chain first (chainPendingLedger).
 */
export const CHAIN_DELAY_MS = 50;

export function withLedgerChaining(
  db: Db,
  opts: { delayMs?: number; onError?: (e: unknown) => void } = {},
): Db {
  const delayMs = opts.delayMs ?? CHAIN_DELAY_MS;
  const onError = opts.onError ?? reportError;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let woken = false;
  let closing = false;

  const run = async (): Promise<void> => {
    try {
      do {
        again = false;
        await chainPendingLedger(db);
      } while (again);
    } catch (e) {
      onError(e);
    } finally {
      running = undefined;
    }
  };

  const wake = (): void => {
    woken = true;
    if (closing) {
      return; // close() chains what is left
    }
    if (running) {
      again = true; // the run in flight may have read the pending rows before this commit
      return;
    }
    timer ??= setTimeout(() => {
      timer = undefined;
      running = run();
    }, delayMs);
  };

  return {
    description: db.description,
    query: async <R extends Row>(sql: string, params?: readonly unknown[]): Promise<R[]> => {
      const rows = await db.query<R>(sql, params);
      if (writesOutbox(sql)) {
        wake();
      }
      return rows;
    },
    exec: async (sql) => {
      await db.exec(sql);
      if (writesOutbox(sql)) {
        wake();
      }
    },
    transaction: async <T>(fn: (tx: Queryable) => Promise<T>): Promise<T> => {
      let wrote = false;
      // The statement text is watched rather than the tx object, so callers that wrap tx themselves
      // (statement counters, tests) still wake the chainer.
      const result = await db.transaction((tx) =>
        fn({
          query: <R extends Row>(sql: string, params?: readonly unknown[]) => {
            wrote ||= writesOutbox(sql);
            return tx.query<R>(sql, params);
          },
          exec: (sql: string) => {
            wrote ||= writesOutbox(sql);
            return tx.exec(sql);
          },
        }),
      );
      if (wrote) {
        wake();
      }
      return result;
    },
    executeSql: (text, values) => db.executeSql(text, values),
    close: async () => {
      closing = true;
      clearTimeout(timer);
      await running;
      if (woken) {
        await chainPendingLedger(db).catch(onError);
      }
      await db.close();
    },
  };
}

/**
 * Chains pending events now and every `everyMs`, for long-running processes: an event left pending by
 * a process that died between its commit and the chain waits at most that long (any later ledgered
 * write of the organisation also chains it). Returns a stop function that waits for a sweep in flight.
 */
export function startLedgerSweep(
  db: Db,
  everyMs: number,
  onError: (e: unknown) => void = reportError,
): () => Promise<void> {
  let inFlight: Promise<void> | undefined;
  const sweep = (): void => {
    inFlight ??= chainPendingLedger(db)
      .then(() => undefined, onError)
      .finally(() => {
        inFlight = undefined;
      });
  };
  sweep();
  const timer = setInterval(sweep, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await inFlight;
  };
}
