-- The access gate reads a case's chat participants on every case request (conflict exclusion):
-- acquisitions by case (acquisitions_case) -> exports by acquisition (this index) -> participants (their
-- primary key starts with export_id). Without it each case read scanned every export.
CREATE INDEX chat_exports_acquisition ON chat_exports (acquisition_id);
