namespace Ombaro.Api.Features.Attendance;

/// <summary>The day's attendance state in Redis: <c>ombaro:attendance:{user_id}:{date}</c>, a hash with a 24 h TTL.</summary>
public static class AttendanceState
{
    public static readonly TimeSpan Ttl = TimeSpan.FromHours(24);

    public static Task SaveAsync(RedisStore state, AttendanceRecord r) =>
        state.SetHashAsync(RedisKeys.Attendance(r.EmployeeId, r.WorkDate), new Dictionary<string, string>
        {
            ["id"] = r.Id.ToString(),
            ["status"] = r.Status,
            ["check_in_at"] = Format(r.CheckInAt),
            ["check_in_lat"] = Format(r.CheckIn.Latitude),
            ["check_in_lng"] = Format(r.CheckIn.Longitude),
            ["check_out_at"] = r.CheckOutAt is { } at ? Format(at) : "",
            ["check_out_lat"] = r.CheckOut is { } p ? Format(p.Latitude) : "",
            ["check_out_lng"] = r.CheckOut is { } q ? Format(q.Longitude) : "",
        }, Ttl);

    public static async Task<AttendanceRecord?> ReadAsync(RedisStore state, Guid employeeId, DateOnly day)
    {
        var h = await state.GetHashAsync(RedisKeys.Attendance(employeeId, day));
        if (!h.TryGetValue("id", out var id) || !Guid.TryParse(id, out var recordId)) return null;
        var checkedOut = h.GetValueOrDefault("check_out_at") is { Length: > 0 };
        return new AttendanceRecord(recordId, employeeId, day, h["status"],
            DateTimeOffset.Parse(h["check_in_at"], CultureInfo.InvariantCulture),
            new Position(double.Parse(h["check_in_lat"], CultureInfo.InvariantCulture), double.Parse(h["check_in_lng"], CultureInfo.InvariantCulture)),
            checkedOut ? DateTimeOffset.Parse(h["check_out_at"], CultureInfo.InvariantCulture) : null,
            checkedOut ? new Position(double.Parse(h["check_out_lat"], CultureInfo.InvariantCulture), double.Parse(h["check_out_lng"], CultureInfo.InvariantCulture)) : null);
    }

    static string Format(DateTimeOffset t) => t.ToString("O", CultureInfo.InvariantCulture);
    static string Format(double d) => d.ToString("R", CultureInfo.InvariantCulture);
}
