-- Capacity is a PostgreSQL guarantee: every live, unfinished booking (pending, confirmed, assigned, in_progress) names the
-- therapist whose time it takes, so the exclusion constraint bookings_no_therapist_overlap covers all of them and a vendor
-- can never have more overlapping live bookings than therapists.
--
-- Existing rows that break the rule (a live, unfinished booking with therapist_id NULL) are handled in start order:
--   * FIXED: given the first therapist of the booking's vendor (roster order: joined_at, id) who is active and has no live
--     booking overlapping it by then. Such a therapist really was free, so this only makes the reservation explicit.
--   * CANCELLED: the rest, those for which no therapist of the vendor is free (they were the overbooking), with
--     cancel_reason 'Overbooked: no therapist free for this time (migration 004)'.
-- Completed bookings are left as they are, even without a therapist: who served them is history that cannot be invented,
-- and their time is over. No code path can complete a booking without a therapist (completion needs a started one).
DO $$
DECLARE
    b record;
    free uuid;
BEGIN
    FOR b IN SELECT id, vendor_id, starts_at, ends_at FROM bookings
             WHERE therapist_id IS NULL AND status IN ('pending', 'confirmed', 'assigned', 'in_progress')
             ORDER BY starts_at, created_at, id
    LOOP
        SELECT vt.therapist_id INTO free
        FROM vendor_therapists vt JOIN users u ON u.id = vt.therapist_id AND u.status = 'active'
        WHERE vt.vendor_id = b.vendor_id AND vt.active
          AND NOT EXISTS (SELECT 1 FROM bookings o
                          WHERE o.therapist_id = vt.therapist_id AND o.status NOT IN ('cancelled', 'no_show')
                            AND o.starts_at < b.ends_at AND b.starts_at < o.ends_at)
        ORDER BY vt.joined_at, vt.therapist_id
        LIMIT 1;
        IF free IS NOT NULL THEN
            UPDATE bookings SET therapist_id = free, updated_at = now() WHERE id = b.id;
        ELSE
            UPDATE bookings SET status = 'cancelled', cancel_reason = 'Overbooked: no therapist free for this time (migration 004)',
                                updated_at = now()
            WHERE id = b.id;
        END IF;
    END LOOP;
END $$;

-- (Re-runnable as a whole, so the data fix can be tested on rows written without the constraint.)
ALTER TABLE bookings DROP CONSTRAINT IF EXISTS bookings_live_has_therapist;
ALTER TABLE bookings ADD CONSTRAINT bookings_live_has_therapist
    CHECK (therapist_id IS NOT NULL OR status NOT IN ('pending', 'confirmed', 'assigned', 'in_progress'));

-- Dispatch now waits on every confirmed booking (it has a reserved therapist and may be moved to the nearest live one).
DROP INDEX IF EXISTS bookings_awaiting_dispatch;
CREATE INDEX bookings_awaiting_dispatch ON bookings (starts_at) WHERE status = 'confirmed';

-- The abuse limit on pending future bookings counts a customer's pending bookings.
CREATE INDEX IF NOT EXISTS bookings_customer_pending ON bookings (customer_id, starts_at) WHERE status = 'pending';
