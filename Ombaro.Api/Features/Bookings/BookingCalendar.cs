namespace Ombaro.Api.Features.Bookings;

/// <summary>Opening hours, time zones and therapist calendars from PostgreSQL.</summary>
public sealed class BookingCalendar(NpgsqlDataSource db)
{
    public const int GridMinutes = 30;

    /// <summary>The day of an active vendor's active service; null when there is no such vendor or service.</summary>
    public async Task<ServiceDay?> LoadDayAsync(Guid vendorId, Guid serviceId, DateOnly date, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var service = await conn.QuerySingleOrDefaultAsync<(string TimeZone, int Duration)?>(new CommandDefinition("""
            SELECT v.time_zone, s.duration_minutes FROM vendors v JOIN services s ON s.vendor_id = v.id
            WHERE v.id = @vendorId AND v.status = 'active' AND s.id = @serviceId AND s.active
            """, new { vendorId, serviceId }, cancellationToken: ct));
        if (service is not { } s) return null;
        var hours = await conn.QueryAsync<(TimeSpan Opens, TimeSpan Closes)>(new CommandDefinition(
            "SELECT opens, closes FROM vendor_opening_hours WHERE vendor_id = @vendorId AND weekday = @weekday ORDER BY opens",
            new { vendorId, weekday = (short)date.DayOfWeek }, cancellationToken: ct));
        var zone = TimeZoneInfo.FindSystemTimeZoneById(s.TimeZone);
        return new ServiceDay(vendorId, serviceId, date, s.TimeZone, s.Duration, Grid(date, zone, s.Duration, hours).ToList());
    }

    static IEnumerable<ServiceSlot> Grid(DateOnly date, TimeZoneInfo zone, int duration, IEnumerable<(TimeSpan Opens, TimeSpan Closes)> hours)
    {
        var length = TimeSpan.FromMinutes(duration);
        var step = TimeSpan.FromMinutes(GridMinutes);
        foreach (var (opens, closes) in hours)
        {
            for (var start = opens; start + length <= closes; start += step)
            {
                var local = date.ToDateTime(TimeOnly.FromTimeSpan(start));
                if (zone.IsInvalidTime(local)) continue;                   // skipped by a DST change
                var startsAt = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone));
                var spans = new List<TimeOnly>();
                for (var t = start; t < start + length; t += step) spans.Add(TimeOnly.FromTimeSpan(t));
                yield return new ServiceSlot(TimeOnly.FromTimeSpan(start), startsAt, startsAt + length, spans);
            }
        }
    }

    /// <summary>The vendor's active therapists and their live (not cancelled, not no-show) bookings overlapping [from, to).</summary>
    public async Task<TherapistSchedule> ScheduleAsync(Guid vendorId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<(Guid Therapist, DateTime? StartsAt, DateTime? EndsAt)>(new CommandDefinition("""
            SELECT vt.therapist_id, b.starts_at, b.ends_at
            FROM vendor_therapists vt
            JOIN users u ON u.id = vt.therapist_id AND u.status = 'active'
            LEFT JOIN bookings b ON b.therapist_id = vt.therapist_id AND b.status NOT IN ('cancelled', 'no_show')
                                AND b.starts_at < @to AND b.ends_at > @from
            WHERE vt.vendor_id = @vendorId AND vt.active
            ORDER BY vt.joined_at, vt.therapist_id
            """, new { vendorId, from, to }, cancellationToken: ct));
        var therapists = new List<(Guid, List<(DateTimeOffset, DateTimeOffset)>)>();
        foreach (var row in rows)
        {
            if (therapists.Count == 0 || therapists[^1].Item1 != row.Therapist) therapists.Add((row.Therapist, []));
            if (row.StartsAt is { } s && row.EndsAt is { } e) therapists[^1].Item2.Add((BookingReader.Utc(s), BookingReader.Utc(e)));
        }
        return new TherapistSchedule(therapists);
    }
}
