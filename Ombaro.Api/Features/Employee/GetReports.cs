using Ombaro.Api.Features.Attendance;
using Ombaro.Api.Features.Desks;

namespace Ombaro.Api.Features.Employee;

/// <summary>
/// <c>GET /api/v1/employee/reports?from&amp;to</c>: per work date, check-in and check-out, hours checked in
/// (closed days only) and vendor visits. Defaults to the last 7 days; at most 92. Cached per employee;
/// check-in, check-out and visits bump it.
/// </summary>
public sealed class GetReports : ICarterModule
{
    public const int MaxDays = 92;

    public sealed record Query(DateOnly? From, DateOnly? To);

    public sealed record Day(DateOnly Date, DateTimeOffset? CheckInAt, DateTimeOffset? CheckOutAt, decimal? Hours, int Visits, int VendorsVisited);

    public sealed record Response(DateOnly From, DateOnly To, int DaysPresent, decimal Hours, int Visits, IReadOnlyList<Day> Days);

    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapEmployeeApi()
            .MapGet("/reports", Handle)
            .WithName("GetEmployeeReports").WithSummary("Visits and checked-in hours per day of the employee, for a date range.");

    sealed record Row(DateOnly WorkDate, DateTime? CheckInAt, DateTime? CheckOutAt, int Visits, int VendorsVisited);

    static async Task<Results<Ok<Response>, ValidationProblem>> Handle([AsParameters] Query query, ClaimsPrincipal user,
        NpgsqlDataSource db, CacheAside cache, IOptions<AttendanceOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var employeeId = user.UserId();
        var (from, to, invalid) = Ranges.Dates(query.From, query.To, clock.Today(options.Value.TimeZone), defaultDays: 7, MaxDays);
        if (invalid is not null) return invalid;

        var key = await cache.KeyAsync("employee-reports", DeskCaches.EmployeeReports(employeeId), employeeId, from.Iso(), to.Iso());
        var response = await cache.GetOrLoadAsync("employee-reports", key, DeskCaches.Long, async token =>
        {
            await using var conn = await db.OpenConnectionAsync(token);
            var rows = (await conn.QueryAsync<Row>(new CommandDefinition("""
                WITH days AS (
                    SELECT work_date FROM attendance WHERE employee_id = @employeeId AND work_date BETWEEN @from AND @to
                    UNION
                    SELECT work_date FROM vendor_visits WHERE employee_id = @employeeId AND work_date BETWEEN @from AND @to)
                SELECT d.work_date AS WorkDate, a.check_in_at AS CheckInAt, a.check_out_at AS CheckOutAt,
                       (SELECT count(*)::int FROM vendor_visits v WHERE v.employee_id = @employeeId AND v.work_date = d.work_date) AS Visits,
                       (SELECT count(DISTINCT v.vendor_id)::int FROM vendor_visits v WHERE v.employee_id = @employeeId AND v.work_date = d.work_date) AS VendorsVisited
                FROM days d LEFT JOIN attendance a ON a.employee_id = @employeeId AND a.work_date = d.work_date
                """, new { employeeId, from, to }, cancellationToken: token))).ToDictionary(r => r.WorkDate);
            var days = LocalCalendar.Days(from, to).Select(d => rows.TryGetValue(d, out var r)
                ? new Day(d, Utc(r.CheckInAt), Utc(r.CheckOutAt), HoursBetween(r.CheckInAt, r.CheckOutAt), r.Visits, r.VendorsVisited)
                : new Day(d, null, null, null, 0, 0)).ToList();
            return new Response(from, to, days.Count(d => d.CheckInAt is not null), days.Sum(d => d.Hours ?? 0), days.Sum(d => d.Visits), days);
        }, ct);
        return TypedResults.Ok(response!);
    }

    /// <summary>Hours of a closed day, to two decimals; an open day has none yet.</summary>
    internal static decimal? HoursBetween(DateTime? checkIn, DateTime? checkOut) =>
        checkIn is { } i && checkOut is { } o ? Math.Round((decimal)(o - i).TotalHours, 2, MidpointRounding.AwayFromZero) : null;

    static DateTimeOffset? Utc(DateTime? t) => t is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;
}
