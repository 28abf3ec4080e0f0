-- Guards on what enters the chain. seq starts at 1 (the chainer numbers from the head, 0 when the
-- organisation has no entry; the first entry's prev_hash is the genesis hash, not an entry of seq 0).
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_seq_positive CHECK (seq > 0);

-- An entry that names a pending row must come from that row, still in ledger_pending (the chainer
-- inserts the entry before deleting the row, in one transaction), with the same organisation and
-- content: so pending_id, which the delete guard of 0170 trusts, cannot be set to let an unrelated
-- pending event be deleted unchained. occurred_at is compared to the millisecond, the precision the
-- chainer hashes and writes (the outbox is written with milliseconds; a finer value would otherwise
-- stop the chain). Entries without pending_id (appended before 0170) are not checked here.
CREATE FUNCTION ledger_entries_pending_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.pending_id IS NULL THEN
    RETURN NEW;
  END IF;
  IF NOT EXISTS (
    SELECT 1 FROM ledger_pending p
    WHERE p.id = NEW.pending_id
      AND p.org_id = NEW.org_id
      AND p.event_type = NEW.event_type
      AND p.case_ref IS NOT DISTINCT FROM NEW.case_ref
      AND p.actor = NEW.actor
      AND date_trunc('milliseconds', p.occurred_at) = NEW.occurred_at
      AND p.payload = NEW.payload
  ) THEN
    RAISE EXCEPTION 'ledger_entries: INSERT refused, pending event % does not exist or differs from the entry',
      NEW.pending_id;
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER ledger_entries_pending_check BEFORE INSERT ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION ledger_entries_pending_guard();

-- When a pending row was written (its transaction's start, database clock), so that a verifier can see
-- a stalled chainer: occurred_at is the event's own time (faked in tests, rounded to the hour for an
-- anonymous reporter), not when it entered the outbox. Adding the column fires no row trigger.
ALTER TABLE ledger_pending ADD COLUMN written_at timestamptz NOT NULL DEFAULT now();
