using Ombaro.Api.Features.Desks;

namespace Ombaro.Api.Features.Attendance;

/// <summary>
/// <c>POST /api/v1/attendance/check-out {latitude, longitude}</c>: closes today's record — or yesterday's
/// when today has none, so a shift that crosses midnight closes where it began. 409 without a check-in,
/// 409 when already checked out.
/// </summary>
public sealed class CheckOut : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapAttendanceApi().RequireAuthorization(Roles.Employee)
            .MapPost("/check-out", Handle).Validate<PositionRequest>()
            .WithName("CheckOut").WithSummary("Checks the employee out of the open work date; 409 when not checked in.");

    static async Task<Results<Ok<AttendanceRecord>, ValidationProblem, ConflictProblem>> Handle(
        PositionRequest request, ClaimsPrincipal user, NpgsqlDataSource db, [FromKeyedServices(RedisRole.State)] RedisStore state,
        CacheAside cache, IOptions<AttendanceOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var today = LocalCalendar.LocalDate(now, options.Value.TimeZone);
        var args = new { EmployeeId = user.UserId(), Today = today, Yesterday = today.AddDays(-1), Now = now, request.Latitude, request.Longitude };

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var open = await conn.QueryFirstOrDefaultAsync<AttendanceRecord.Row>(new CommandDefinition($"""
            SELECT {AttendanceRecord.Columns} FROM attendance
            WHERE employee_id = @EmployeeId AND work_date IN (@Today, @Yesterday)
            ORDER BY work_date DESC LIMIT 1 FOR UPDATE
            """, args, tx, cancellationToken: ct));
        if (open is null)
            return Problems.Conflict("Not checked in", "Check in before checking out.");
        if (open.CheckOutAt is not null)
            return Problems.Conflict("Already checked out",
                $"Work date {open.WorkDate.Iso()} was already checked out.");

        var record = (await conn.QuerySingleAsync<AttendanceRecord.Row>(new CommandDefinition($"""
            UPDATE attendance SET check_out_at = @Now, check_out_lat = @Latitude, check_out_lng = @Longitude
            WHERE id = @Id RETURNING {AttendanceRecord.Columns}
            """, new { open.Id, args.Now, args.Latitude, args.Longitude }, tx, cancellationToken: ct))).ToRecord();
        await tx.CommitAsync(ct);

        await AttendanceState.SaveAsync(state, record);
        await cache.BumpGenerationAsync(DeskCaches.EmployeeReports(record.EmployeeId));
        return TypedResults.Ok(record);
    }
}
