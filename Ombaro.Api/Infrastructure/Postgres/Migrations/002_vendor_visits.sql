-- Field employees' vendor visits (the "visits" of the employee reports) and the indexes the role
-- desks' aggregates read: completed bookings by completion time, attendance by date.

CREATE TABLE vendor_visits (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    employee_id  uuid NOT NULL REFERENCES users (id),
    vendor_id    uuid NOT NULL REFERENCES vendors (id),
    work_date    date NOT NULL,             -- the employee's local date, as attendance.work_date
    visited_at   timestamptz NOT NULL,
    latitude     double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
    longitude    double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180),
    notes        text CHECK (length(notes) <= 1000)
);
CREATE INDEX vendor_visits_employee_date ON vendor_visits (employee_id, work_date);

CREATE INDEX bookings_completed_at ON bookings (completed_at) WHERE status = 'completed';
CREATE INDEX bookings_therapist_completed_at ON bookings (therapist_id, completed_at) WHERE status = 'completed';
CREATE INDEX attendance_work_date ON attendance (work_date);
