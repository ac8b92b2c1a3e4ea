using Ombaro.Api.Features.Desks;

namespace Ombaro.Api.Features.Attendance;

/// <summary>
/// <c>POST /api/v1/attendance/check-in {latitude, longitude}</c>: starts the employee's work date (their
/// local date in <c>Attendance:TimeZone</c>). The record goes to PostgreSQL (one per employee and date), the
/// day's state to Redis. Idempotent: a second check-in the same day answers 200 with the same record.
/// </summary>
public sealed class CheckIn : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapAttendanceApi().RequireAuthorization(Roles.Employee)
            .MapPost("/check-in", Handle).Validate<PositionRequest>()
            .WithName("CheckIn").WithSummary("Checks the employee in for their local date; a repeat answers the same record.");

    static async Task<Results<Created<AttendanceRecord>, Ok<AttendanceRecord>, ValidationProblem>> Handle(
        PositionRequest request, ClaimsPrincipal user, NpgsqlDataSource db, [FromKeyedServices(RedisRole.State)] RedisStore state,
        CacheAside cache, IOptions<AttendanceOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var args = new
        {
            EmployeeId = user.UserId(), WorkDate = LocalCalendar.LocalDate(now, options.Value.TimeZone), Now = now,
            request.Latitude, request.Longitude,
        };
        await using var conn = await db.OpenConnectionAsync(ct);
        var inserted = await conn.QuerySingleOrDefaultAsync<AttendanceRecord.Row>(new CommandDefinition($"""
            INSERT INTO attendance (employee_id, work_date, check_in_at, check_in_lat, check_in_lng)
            VALUES (@EmployeeId, @WorkDate, @Now, @Latitude, @Longitude)
            ON CONFLICT (employee_id, work_date) DO NOTHING
            RETURNING {AttendanceRecord.Columns}
            """, args, cancellationToken: ct));
        var record = (inserted ?? await conn.QuerySingleAsync<AttendanceRecord.Row>(new CommandDefinition(
            $"SELECT {AttendanceRecord.Columns} FROM attendance WHERE employee_id = @EmployeeId AND work_date = @WorkDate",
            args, cancellationToken: ct))).ToRecord();

        await AttendanceState.SaveAsync(state, record);
        if (inserted is null) return TypedResults.Ok(record);
        await cache.BumpGenerationAsync(DeskCaches.EmployeeReports(record.EmployeeId));
        return TypedResults.Created($"/api/v1/attendance/today", record);
    }
}
