-- Dispatch reconciliation looks for confirmed bookings still waiting for a therapist; keep that
-- a small index scan however many bookings the table holds.
CREATE INDEX bookings_awaiting_dispatch ON bookings (starts_at) WHERE status = 'confirmed' AND therapist_id IS NULL;
