namespace Ombaro.Api.Features.Attendance;

public sealed record Position(double Latitude, double Longitude);

/// <summary>One employee's attendance for one local work date, as the API shows it.</summary>
public sealed record AttendanceRecord(Guid Id, Guid EmployeeId, DateOnly WorkDate, string Status,
    DateTimeOffset CheckInAt, Position CheckIn, DateTimeOffset? CheckOutAt, Position? CheckOut)
{
    public const string CheckedIn = "checked_in";
    public const string CheckedOut = "checked_out";

    /// <summary>The columns <see cref="Row"/> reads, for every attendance query.</summary>
    public const string Columns = """
        id, employee_id AS EmployeeId, work_date AS WorkDate, check_in_at AS CheckInAt, check_in_lat AS CheckInLat,
        check_in_lng AS CheckInLng, check_out_at AS CheckOutAt, check_out_lat AS CheckOutLat, check_out_lng AS CheckOutLng
        """;

    public sealed record Row(Guid Id, Guid EmployeeId, DateOnly WorkDate, DateTime CheckInAt, double CheckInLat, double CheckInLng,
        DateTime? CheckOutAt, double? CheckOutLat, double? CheckOutLng)
    {
        public AttendanceRecord ToRecord() => new(Id, EmployeeId, WorkDate,
            CheckOutAt is null ? CheckedIn : CheckedOut, Utc(CheckInAt), new Position(CheckInLat, CheckInLng),
            CheckOutAt is { } o ? Utc(o) : null, CheckOutLat is { } lat && CheckOutLng is { } lng ? new Position(lat, lng) : null);

        static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));
    }
}

/// <summary><c>{latitude, longitude}</c> of a check-in or check-out.</summary>
public sealed record PositionRequest(double? Latitude = null, double? Longitude = null)
{
    public sealed class Validator : AbstractValidator<PositionRequest>
    {
        public Validator()
        {
            RuleFor(r => r.Latitude).NotNull().InclusiveBetween(-90, 90);
            RuleFor(r => r.Longitude).NotNull().InclusiveBetween(-180, 180);
        }
    }
}

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
