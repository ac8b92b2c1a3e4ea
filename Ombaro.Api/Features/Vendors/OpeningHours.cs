namespace Ombaro.Api.Features.Vendors;

/// <summary>One opening interval in the vendor's own time zone; weekday 0 = Sunday; times as <c>HH:mm</c>.</summary>
public sealed record Hours(int Weekday, string Opens, string Closes);

/// <summary>Open now (and until when), or when it next opens, as instants with the vendor's UTC offset.</summary>
public sealed record OpenState(bool OpenNow, DateTimeOffset? ClosesAt, DateTimeOffset? NextOpenAt);

public static class OpeningHours
{
    public static bool TryParse(string? text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    public static string Format(TimeSpan time) => TimeOnly.FromTimeSpan(time).ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>Where the vendor stands at <paramref name="now"/>, looking up to a week ahead.</summary>
    public static OpenState At(IReadOnlyCollection<Hours> hours, string timeZone, DateTimeOffset now)
    {
        if (hours.Count == 0 || !TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone)) return new OpenState(false, null, null);
        var today = TimeZoneInfo.ConvertTime(now, zone).Date;
        for (var day = 0; day <= 7; day++)
        {
            var date = today.AddDays(day);
            foreach (var h in hours.Where(h => h.Weekday == (int)date.DayOfWeek).OrderBy(h => h.Opens, StringComparer.Ordinal))
            {
                if (!TryParse(h.Opens, out var opens) || !TryParse(h.Closes, out var closes)) continue;
                var start = Instant(date + opens.ToTimeSpan(), zone);
                var end = Instant(date + closes.ToTimeSpan(), zone);
                if (start <= now && now < end) return new OpenState(true, end, null);
                if (start > now) return new OpenState(false, null, start);
            }
        }
        return new OpenState(false, null, null);
    }

    static DateTimeOffset Instant(DateTime local, TimeZoneInfo zone) => new(local, zone.GetUtcOffset(local));
}
