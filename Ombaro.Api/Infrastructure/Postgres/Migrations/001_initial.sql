-- The first schema: users and their per-role profiles, vendors with hours and services, the
-- vendor-therapist roster, bookings (no overlapping active bookings per therapist), attendance and
-- the audit log. PostgreSQL is the system of record; Redis only caches or indexes what is here.

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE users (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    mobile      text NOT NULL UNIQUE CHECK (mobile ~ '^\+[1-9][0-9]{6,14}$'),   -- E.164
    role        text NOT NULL CHECK (role IN ('customer', 'therapist', 'vendor', 'employee', 'admin')),
    status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'deactivated')),
    name        text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_role_status ON users (role, status);

CREATE TABLE customer_profiles (
    user_id          uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    full_name        text,
    email            text,
    gender           text CHECK (gender IN ('female', 'male', 'other')),
    date_of_birth    date,
    default_address  text,
    updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE therapist_profiles (
    user_id            uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    full_name          text,
    email              text,
    gender             text CHECK (gender IN ('female', 'male', 'other')),
    gender_preference  text NOT NULL DEFAULT 'any' CHECK (gender_preference IN ('any', 'female', 'male')),
    bio                text,
    specialities       text[] NOT NULL DEFAULT '{}',
    years_experience   int CHECK (years_experience BETWEEN 0 AND 60),
    updated_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE vendor_profiles (
    user_id        uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    business_name  text,
    contact_name   text,
    email          text,
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE employee_profiles (
    user_id        uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    full_name      text,
    email          text,
    employee_code  text UNIQUE,
    territory      text,           -- a city, assigned by an admin
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE admin_profiles (
    user_id     uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    full_name   text,
    email       text,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE vendors (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    owner_user_id  uuid NOT NULL REFERENCES users (id),
    name           text NOT NULL,
    description    text,
    address        text NOT NULL,
    city           text NOT NULL,
    latitude       double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
    longitude      double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180),
    service_types  text[] NOT NULL CHECK (cardinality(service_types) > 0
                       AND service_types <@ ARRAY['massage', 'spa', 'salon', 'ayurveda', 'physiotherapy', 'wellness']),
    time_zone      text NOT NULL DEFAULT 'Asia/Kolkata',
    status         text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'active', 'inactive')),
    verified_at    timestamptz,
    verified_by    uuid REFERENCES users (id),
    rating         numeric(2, 1) CHECK (rating BETWEEN 1 AND 5),
    rating_count   int NOT NULL DEFAULT 0,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX vendors_owner ON vendors (owner_user_id);
CREATE INDEX vendors_city_status ON vendors (city, status);

-- Opening hours in the vendor's own time zone; weekday 0 = Sunday (as PostgreSQL's extract(dow)).
CREATE TABLE vendor_opening_hours (
    vendor_id  uuid NOT NULL REFERENCES vendors (id) ON DELETE CASCADE,
    weekday    smallint NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    opens      time NOT NULL,
    closes     time NOT NULL CHECK (closes > opens),
    PRIMARY KEY (vendor_id, weekday, opens)
);

CREATE TABLE services (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    vendor_id         uuid NOT NULL REFERENCES vendors (id) ON DELETE CASCADE,
    name              text NOT NULL,
    service_type      text NOT NULL,
    description       text,
    price             numeric(10, 2) NOT NULL CHECK (price >= 0),
    currency          text NOT NULL DEFAULT 'INR',
    duration_minutes  int NOT NULL CHECK (duration_minutes BETWEEN 15 AND 480 AND duration_minutes % 15 = 0),
    active            boolean NOT NULL DEFAULT true,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX services_vendor ON services (vendor_id) WHERE active;

-- A therapist works for one vendor at a time.
CREATE TABLE vendor_therapists (
    vendor_id     uuid NOT NULL REFERENCES vendors (id) ON DELETE CASCADE,
    therapist_id  uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    active        boolean NOT NULL DEFAULT true,
    joined_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (vendor_id, therapist_id)
);
CREATE UNIQUE INDEX vendor_therapists_one_active_vendor ON vendor_therapists (therapist_id) WHERE active;

CREATE TABLE bookings (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    customer_id      uuid NOT NULL REFERENCES users (id),
    vendor_id        uuid NOT NULL REFERENCES vendors (id),
    service_id       uuid NOT NULL REFERENCES services (id),
    therapist_id     uuid REFERENCES users (id),
    status           text NOT NULL DEFAULT 'pending'
                         CHECK (status IN ('pending', 'confirmed', 'assigned', 'in_progress', 'completed', 'cancelled', 'no_show')),
    starts_at        timestamptz NOT NULL,
    ends_at          timestamptz NOT NULL CHECK (ends_at > starts_at),
    address          text NOT NULL,
    notes            text,
    price            numeric(10, 2) NOT NULL,
    currency         text NOT NULL DEFAULT 'INR',
    idempotency_key  text,
    cancel_reason    text,
    cancelled_by     uuid REFERENCES users (id),
    rating           smallint CHECK (rating BETWEEN 1 AND 5),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    completed_at     timestamptz,
    UNIQUE (customer_id, idempotency_key),
    -- The real guard against double booking: one therapist, no two live bookings that overlap.
    CONSTRAINT bookings_no_therapist_overlap EXCLUDE USING gist (
        therapist_id WITH =,
        tstzrange(starts_at, ends_at, '[)') WITH &&
    ) WHERE (therapist_id IS NOT NULL AND status NOT IN ('cancelled', 'no_show'))
);
CREATE INDEX bookings_customer ON bookings (customer_id, starts_at DESC);
CREATE INDEX bookings_vendor ON bookings (vendor_id, starts_at DESC);
CREATE INDEX bookings_therapist ON bookings (therapist_id, starts_at DESC) WHERE therapist_id IS NOT NULL;

CREATE TABLE attendance (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    employee_id     uuid NOT NULL REFERENCES users (id),
    work_date       date NOT NULL,             -- the employee's local date
    check_in_at     timestamptz NOT NULL,
    check_in_lat    double precision NOT NULL CHECK (check_in_lat BETWEEN -90 AND 90),
    check_in_lng    double precision NOT NULL CHECK (check_in_lng BETWEEN -180 AND 180),
    check_out_at    timestamptz CHECK (check_out_at >= check_in_at),
    check_out_lat   double precision CHECK (check_out_lat BETWEEN -90 AND 90),
    check_out_lng   double precision CHECK (check_out_lng BETWEEN -180 AND 180),
    UNIQUE (employee_id, work_date)
);

CREATE TABLE audit_log (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT now(),
    actor_id     uuid REFERENCES users (id),
    actor_role   text,
    action       text NOT NULL,
    entity       text NOT NULL,
    entity_id    text NOT NULL,
    ip_address   text,
    before       jsonb,
    after        jsonb
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, at DESC);
CREATE INDEX audit_log_actor ON audit_log (actor_id, at DESC);
