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
