-- Demo data for Development: idempotent (fixed ids, ON CONFLICT DO NOTHING). One user per role on
-- test mobiles (+91 90000 0000N), and twelve verified vendors around Bengaluru (12.97, 77.59), each
-- with opening hours, services and two therapists, so search and booking can be tried at once.

INSERT INTO users (id, mobile, role, name) VALUES
    ('00000000-0000-4000-8000-000000000001', '+919000000001', 'admin',     'Asha Admin'),
    ('00000000-0000-4000-8000-000000000002', '+919000000002', 'vendor',    'Vikram Vendor'),
    ('00000000-0000-4000-8000-000000000003', '+919000000003', 'employee',  'Esha Employee'),
    ('00000000-0000-4000-8000-000000000004', '+919000000004', 'therapist', 'Tara Therapist'),
    ('00000000-0000-4000-8000-000000000005', '+919000000005', 'customer',  'Chetan Customer')
ON CONFLICT DO NOTHING;

INSERT INTO admin_profiles (user_id, full_name) VALUES ('00000000-0000-4000-8000-000000000001', 'Asha Admin') ON CONFLICT DO NOTHING;
INSERT INTO vendor_profiles (user_id, business_name, contact_name) VALUES ('00000000-0000-4000-8000-000000000002', 'Indiranagar Wellness', 'Vikram Vendor') ON CONFLICT DO NOTHING;
INSERT INTO employee_profiles (user_id, full_name, employee_code, territory) VALUES ('00000000-0000-4000-8000-000000000003', 'Esha Employee', 'EMP-001', 'Bengaluru') ON CONFLICT DO NOTHING;
INSERT INTO therapist_profiles (user_id, full_name, gender) VALUES ('00000000-0000-4000-8000-000000000004', 'Tara Therapist', 'female') ON CONFLICT DO NOTHING;
INSERT INTO customer_profiles (user_id, full_name) VALUES ('00000000-0000-4000-8000-000000000005', 'Chetan Customer') ON CONFLICT DO NOTHING;

-- Owners of vendors 2..12 and therapists beyond the demo one.
INSERT INTO users (id, mobile, role, name)
SELECT md5('demo-vendor-owner-' || i)::uuid, '+9190000001' || lpad(i::text, 2, '0'), 'vendor', 'Owner ' || i
FROM generate_series(2, 12) i
ON CONFLICT DO NOTHING;

INSERT INTO users (id, mobile, role, name)
SELECT md5('demo-therapist-' || i)::uuid, '+9190000002' || lpad(i::text, 2, '0'), 'therapist', 'Therapist ' || i
FROM generate_series(2, 24) i
ON CONFLICT DO NOTHING;

WITH v(i, name, area, lat, lng, types) AS (VALUES
    (1,  'Indiranagar Wellness',   'Indiranagar',     12.9784, 77.6408, ARRAY['massage', 'spa']),
    (2,  'MG Road Spa',            'MG Road',         12.9756, 77.6050, ARRAY['spa']),
    (3,  'Koramangala Touch',      'Koramangala',     12.9352, 77.6245, ARRAY['massage', 'ayurveda']),
    (4,  'Jayanagar Ayurveda',     'Jayanagar',       12.9250, 77.5938, ARRAY['ayurveda', 'massage']),
    (5,  'Malleshwaram Calm',      'Malleshwaram',    13.0035, 77.5710, ARRAY['massage']),
    (6,  'Whitefield Retreat',     'Whitefield',      12.9698, 77.7500, ARRAY['spa', 'wellness']),
    (7,  'HSR Body Works',         'HSR Layout',      12.9116, 77.6474, ARRAY['physiotherapy', 'massage']),
    (8,  'Hebbal Lakeside Spa',    'Hebbal',          13.0358, 77.5970, ARRAY['spa', 'salon']),
    (9,  'Basavanagudi Heritage',  'Basavanagudi',    12.9422, 77.5736, ARRAY['ayurveda']),
    (10, 'Electronic City Relax',  'Electronic City', 12.8452, 77.6602, ARRAY['massage', 'salon']),
    (11, 'Cubbon Park Studio',     'Cubbon Park',     12.9763, 77.5929, ARRAY['massage', 'wellness']),
    (12, 'Rajajinagar Glow',       'Rajajinagar',     12.9910, 77.5560, ARRAY['salon', 'spa']))
INSERT INTO vendors (id, owner_user_id, name, address, city, latitude, longitude, service_types, status, verified_at, verified_by, rating, rating_count)
SELECT CASE WHEN i = 1 THEN '00000000-0000-4000-8000-0000000000a1'::uuid ELSE md5('demo-vendor-' || i)::uuid END,
       CASE WHEN i = 1 THEN '00000000-0000-4000-8000-000000000002'::uuid ELSE md5('demo-vendor-owner-' || i)::uuid END,
       name, area || ', Bengaluru', 'Bengaluru', lat, lng, types, 'active', now(),
       '00000000-0000-4000-8000-000000000001', round((3.8 + (i % 12) * 0.1)::numeric, 1), 20 + i * 3
FROM v
ON CONFLICT DO NOTHING;

-- Every day 09:00-21:00.
INSERT INTO vendor_opening_hours (vendor_id, weekday, opens, closes)
SELECT v.id, d, '09:00', '21:00'
FROM vendors v CROSS JOIN generate_series(0, 6) d
WHERE v.owner_user_id IN (SELECT id FROM users WHERE mobile LIKE '+91900000%')
ON CONFLICT DO NOTHING;

-- Services: one per service type of the vendor, at 60 and 90 minutes.
INSERT INTO services (id, vendor_id, name, service_type, price, duration_minutes)
SELECT md5(v.id::text || t || m)::uuid, v.id,
       initcap(t) || ' ' || m || ' min', t, CASE m WHEN 60 THEN 1499 ELSE 2199 END + 100 * (ascii(t) % 5), m
FROM vendors v CROSS JOIN LATERAL unnest(v.service_types) t CROSS JOIN (VALUES (60), (90)) AS durations(m)
WHERE v.owner_user_id IN (SELECT id FROM users WHERE mobile LIKE '+91900000%')
ON CONFLICT DO NOTHING;

-- Two therapists per vendor; the demo therapist works at vendor 1.
INSERT INTO vendor_therapists (vendor_id, therapist_id)
SELECT '00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-000000000004'
UNION ALL
SELECT CASE WHEN i = 1 THEN '00000000-0000-4000-8000-0000000000a1'::uuid ELSE md5('demo-vendor-' || i)::uuid END,
       md5('demo-therapist-' || (2 * i))::uuid
FROM generate_series(1, 12) i
UNION ALL
SELECT md5('demo-vendor-' || i)::uuid, md5('demo-therapist-' || (2 * i - 1))::uuid
FROM generate_series(2, 12) i
ON CONFLICT DO NOTHING;

INSERT INTO therapist_profiles (user_id, full_name, gender)
SELECT id, name, CASE WHEN right(mobile, 1)::int % 2 = 0 THEN 'female' ELSE 'male' END
FROM users WHERE role = 'therapist' AND mobile LIKE '+91900000%'
ON CONFLICT DO NOTHING;
