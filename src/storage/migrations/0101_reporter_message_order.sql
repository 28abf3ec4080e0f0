-- An anonymous reporter's message times are stored to the hour only, so the inbox is ordered by an
-- insertion sequence instead of by time.
ALTER TABLE reporter_messages ADD COLUMN seq bigserial;
CREATE INDEX reporter_messages_report_seq ON reporter_messages (report_id, seq);
