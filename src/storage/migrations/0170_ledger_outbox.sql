-- The ledger's outbox. A use case writes its events here inside its own transaction, so an event
-- commits with the change it records or not at all, without taking the chain's per-organisation lock;
-- the chainer (chainPendingLedger in storage/repositories/ledger.repository.ts) then appends pending
-- events to ledger_entries in batches under that lock and removes them in the same transaction.
--
-- Chained rows are deleted, not marked: ids come from a sequence, handed out at insert and not at
-- commit, so a "chained up to id N" pointer would skip a row with a smaller id whose transaction
-- commits later. A row may only be deleted once ledger_entries holds it (the guard below), and never
-- updated or truncated, so nothing leaves this table except into the chain.
CREATE TABLE ledger_pending (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organisations(id),
  event_type text NOT NULL,
  case_ref text,
  actor text NOT NULL,
  occurred_at timestamptz NOT NULL,
  payload jsonb NOT NULL
);
CREATE INDEX ledger_pending_org ON ledger_pending (org_id, id);

-- The pending row each entry came from (NULL for entries appended before this migration). Not part of
-- the hashed content; the delete guard reads it, and its uniqueness refuses chaining one event twice.
ALTER TABLE ledger_entries ADD COLUMN pending_id bigint;
CREATE UNIQUE INDEX ledger_entries_pending ON ledger_entries (pending_id);

CREATE FUNCTION ledger_pending_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF EXISTS (SELECT 1 FROM ledger_entries WHERE pending_id = OLD.id AND org_id = OLD.org_id) THEN
      RETURN OLD;
    END IF;
    RAISE EXCEPTION 'ledger_pending: DELETE refused, event % is not in the chain yet', OLD.id;
  END IF;
  RAISE EXCEPTION 'ledger_pending: % refused (a pending event leaves only by being chained)', TG_OP;
END;
$$;
CREATE TRIGGER ledger_pending_guard_rows BEFORE UPDATE OR DELETE ON ledger_pending
  FOR EACH ROW EXECUTE FUNCTION ledger_pending_guard();
CREATE TRIGGER ledger_pending_no_truncate BEFORE TRUNCATE ON ledger_pending
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_pending_guard();
