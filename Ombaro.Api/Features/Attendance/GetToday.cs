using Ombaro.Api.Features.Desks;

namespace Ombaro.Api.Features.Attendance;

/// <summary>
/// <c>GET /api/v1/attendance/today</c>: the employee's state for their local date, from the Redis day
/// hash, or from PostgreSQL (and put back in Redis) when the hash is gone.
/// </summary>
public sealed class GetToday : ICarterModule
{
    public const string NotCheckedIn = "not_checked_in";

    public sealed record Response(DateOnly Date, string Status, AttendanceRecord? Record);

    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapAttendanceApi().RequireAuthorization(Roles.Employee)
            .MapGet("/today", Handle)
            .WithName("GetAttendanceToday").WithSummary("The employee's attendance for their local date: not checked in, checked in or checked out.");

    static async Task<Ok<Response>> Handle(ClaimsPrincipal user, NpgsqlDataSource db, [FromKeyedServices(RedisRole.State)] RedisStore state,
        IOptions<AttendanceOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var employeeId = user.UserId();
        var today = clock.Today(options.Value.TimeZone);
        var record = await AttendanceState.ReadAsync(state, employeeId, today);
        if (record is null)
        {
            await using var conn = await db.OpenConnectionAsync(ct);
            record = (await conn.QuerySingleOrDefaultAsync<AttendanceRecord.Row>(new CommandDefinition(
                $"SELECT {AttendanceRecord.Columns} FROM attendance WHERE employee_id = @employeeId AND work_date = @today",
                new { employeeId, today }, cancellationToken: ct)))?.ToRecord();
            if (record is not null) await AttendanceState.SaveAsync(state, record);
        }
        return TypedResults.Ok(new Response(today, record?.Status ?? NotCheckedIn, record));
    }
}
