using Ombaro.Api.Features.Desks;

namespace Ombaro.Api.Features.Attendance;

/// <summary>
/// <c>GET /api/v1/attendance?from&amp;to&amp;employeeId</c>: attendance records by work date, newest first.
/// Employees see their own; admins any employee's (or everyone's without <c>employeeId</c>).
/// Defaults to the last 30 days; at most 366 days.
/// </summary>
public sealed class ListAttendance : ICarterModule
{
    public const int MaxDays = 366;

    public sealed record Query(DateOnly? From, DateOnly? To, Guid? EmployeeId);

    public sealed record Response(DateOnly From, DateOnly To, IReadOnlyList<AttendanceRecord> Records);

    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapAttendanceApi().RequireAuthorization(p => p.RequireRole(Roles.Employee, Roles.Admin))
            .MapGet("/", Handle)
            .WithName("ListAttendance").WithSummary("Attendance records in a date range: the caller's own, or (admins) any employee's.");

    static async Task<Results<Ok<Response>, ValidationProblem, ForbiddenProblem>> Handle([AsParameters] Query query, ClaimsPrincipal user,
        NpgsqlDataSource db, IOptions<AttendanceOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var isAdmin = user.Role() == Roles.Admin;
        if (!isAdmin && query.EmployeeId is { } other && other != user.UserId())
            return Problems.Forbidden("Forbidden", "Employees see only their own attendance.");
        var (from, to, invalid) = Ranges.Dates(query.From, query.To, clock.Today(options.Value.TimeZone), defaultDays: 30, MaxDays);
        if (invalid is not null) return invalid;
        var employeeId = isAdmin ? query.EmployeeId : user.UserId();

        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<AttendanceRecord.Row>(new CommandDefinition($"""
            SELECT {AttendanceRecord.Columns} FROM attendance
            WHERE work_date BETWEEN @from AND @to AND (@employeeId::uuid IS NULL OR employee_id = @employeeId)
            ORDER BY work_date DESC, employee_id
            LIMIT 5000
            """, new { from, to, employeeId }, cancellationToken: ct));
        return TypedResults.Ok(new Response(from, to, rows.Select(r => r.ToRecord()).ToList()));
    }
}
