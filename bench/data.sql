-- The benchmark data set, generated in PostgreSQL: 100 000 customers, 10 000 active vendors around
-- Bengaluru (12.97, 77.59; within about 20 km) with 1-3 services each, and 30 000 therapists: the first
-- 5 000 each on the roster of a vendor (at most one per vendor), the other 25 000 on no roster (only their
-- location fixes are benchmarked). Idempotent per run: the bench database is new every time.
\set ON_ERROR_STOP on
BEGIN;

INSERT INTO users (id, mobile, role, name)
SELECT md5('customer' || i)::uuid, '+9170' || lpad(i::text, 8, '0'), 'customer', 'Customer ' || i
FROM generate_series(1, 100000) AS i;
INSERT INTO customer_profiles (user_id, full_name)
SELECT md5('customer' || i)::uuid, 'Customer ' || i FROM generate_series(1, 100000) AS i;

INSERT INTO users (id, mobile, role, name)
SELECT md5('owner' || i)::uuid, '+9171' || lpad(i::text, 8, '0'), 'vendor', 'Owner ' || i
FROM generate_series(1, 10000) AS i;
INSERT INTO vendor_profiles (user_id, business_name)
SELECT md5('owner' || i)::uuid, 'Spa ' || i FROM generate_series(1, 10000) AS i;

-- setseed makes the positions the same on every run
SELECT setseed(0.42);
INSERT INTO vendors (id, owner_user_id, name, address, city, latitude, longitude, service_types, status, verified_at, rating, rating_count)
SELECT md5('vendor' || i)::uuid, md5('owner' || i)::uuid, 'Spa ' || i, i || ' Bench Road', 'Bengaluru',
       12.97 + (random() - 0.5) * 0.36, 77.59 + (random() - 0.5) * 0.36,
       CASE i % 5 WHEN 0 THEN ARRAY['massage'] WHEN 1 THEN ARRAY['spa', 'massage'] WHEN 2 THEN ARRAY['ayurveda', 'massage']
                  WHEN 3 THEN ARRAY['salon', 'spa'] ELSE ARRAY['wellness', 'physiotherapy'] END,
       'active', now(), round((3 + random() * 2)::numeric, 1), (random() * 500)::int
FROM generate_series(1, 10000) AS i;
INSERT INTO vendor_opening_hours (vendor_id, weekday, opens, closes)
SELECT md5('vendor' || i)::uuid, d, '09:00', '21:00' FROM generate_series(1, 10000) AS i, generate_series(0, 6) AS d;
INSERT INTO services (vendor_id, name, service_type, price, duration_minutes)
SELECT md5('vendor' || i)::uuid, 'Service ' || s, 'massage', 800 + s * 400, 30 + s * 30
FROM generate_series(1, 10000) AS i, generate_series(1, 3) AS s WHERE s <= 1 + i % 3;

INSERT INTO users (id, mobile, role, name)
SELECT md5('therapist' || i)::uuid, '+9172' || lpad(i::text, 8, '0'), 'therapist', 'Therapist ' || i
FROM generate_series(1, 30000) AS i;
INSERT INTO therapist_profiles (user_id, full_name, gender, years_experience)
SELECT md5('therapist' || i)::uuid, 'Therapist ' || i, (ARRAY['female', 'male'])[1 + i % 2], i % 20 FROM generate_series(1, 30000) AS i;
INSERT INTO vendor_therapists (vendor_id, therapist_id)
SELECT md5('vendor' || (1 + (i * 7) % 10000))::uuid, md5('therapist' || i)::uuid FROM generate_series(1, 5000) AS i;

COMMIT;
ANALYZE users, customer_profiles, vendor_profiles, vendors, vendor_opening_hours, services, therapist_profiles, vendor_therapists;
