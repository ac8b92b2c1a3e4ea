-- Vendors' time zones are IANA ids as PostgreSQL spells them (issue 11): a differently cased id takes PostgreSQL's
-- spelling; an id PostgreSQL does not know (a Windows id such as 'India Standard Time', accepted before) made the
-- vendor's dashboard and earnings fail, and becomes the column's default, Asia/Kolkata (the vendor can correct it).
UPDATE vendors v SET time_zone = z.name, updated_at = now()
FROM (SELECT DISTINCT ON (lower(name)) name FROM pg_timezone_names ORDER BY lower(name), name) z
WHERE lower(v.time_zone) = lower(z.name) AND v.time_zone <> z.name;

UPDATE vendors SET time_zone = 'Asia/Kolkata', updated_at = now()
WHERE time_zone NOT IN (SELECT name FROM pg_timezone_names);
