namespace Ombaro.Api.Infrastructure.Time;

/// <summary>
/// Local dates and periods in a named (IANA) time zone. Dates go to PostgreSQL as local dates and are
/// turned into instants there (<c>@day::timestamp AT TIME ZONE @zone</c>), so DST is PostgreSQL's concern.
/// </summary>
public static class LocalCalendar
{
    public static bool IsKnownZone(string? id) => id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);

    public static DateOnly Today(this TimeProvider clock, string zone) => LocalDate(clock.GetUtcNow(), zone);

    public static DateOnly LocalDate(DateTimeOffset instant, string zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, TimeZoneInfo.FindSystemTimeZoneById(zone)).DateTime);

    /// <summary>Weeks start on Monday (ISO 8601).</summary>
    public static DateOnly StartOfWeek(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    public static DateOnly StartOfMonth(DateOnly day) => new(day.Year, day.Month, 1);

    /// <summary>Every day from <paramref name="from"/> up to and including <paramref name="to"/>.</summary>
    public static IEnumerable<DateOnly> Days(DateOnly from, DateOnly to)
    {
        for (var d = from; d <= to; d = d.AddDays(1)) yield return d;
    }

    /// <summary>The form dates take in cache keys and JSON: <c>yyyy-MM-dd</c>.</summary>
    public static string Iso(this DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
