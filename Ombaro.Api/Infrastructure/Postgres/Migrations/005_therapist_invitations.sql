-- A vendor invites a therapist by mobile; the therapist accepts after signing in (nobody is added to a
-- roster, or created, without their consent). One pending invitation per vendor and mobile.
CREATE TABLE therapist_invitations (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    vendor_id     uuid NOT NULL REFERENCES vendors (id) ON DELETE CASCADE,
    mobile        text NOT NULL,
    name          text NOT NULL,
    invited_by    uuid REFERENCES users (id) ON DELETE SET NULL,
    status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    accepted_by   uuid REFERENCES users (id) ON DELETE SET NULL,
    accepted_at   timestamptz
);
CREATE UNIQUE INDEX therapist_invitations_one_pending ON therapist_invitations (vendor_id, mobile) WHERE status = 'pending';
CREATE INDEX therapist_invitations_by_mobile ON therapist_invitations (mobile, expires_at) WHERE status = 'pending';
