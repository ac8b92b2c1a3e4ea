using Ombaro.Api.Features.Attendance;
using Ombaro.Api.Features.Desks;

namespace Ombaro.Api.Features.Employee;

/// <summary>
/// <c>POST /api/v1/employee/visits {vendorId, latitude, longitude, notes}</c>: records a visit to a vendor
/// of the employee's territory during an open check-in (the visits of the employee reports).
/// </summary>
public sealed class RecordVisit : ICarterModule
{
    public sealed record Request(Guid VendorId, double? Latitude = null, double? Longitude = null, string? Notes = null);

    public sealed record Response(Guid Id, Guid VendorId, DateOnly WorkDate, DateTimeOffset VisitedAt, double Latitude, double Longitude, string? Notes);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.VendorId).NotEmpty();
            RuleFor(r => r.Latitude).NotNull().InclusiveBetween(-90, 90);
            RuleFor(r => r.Longitude).NotNull().InclusiveBetween(-180, 180);
            RuleFor(r => r.Notes).MaximumLength(1000);
        }
    }

    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapEmployeeApi()
            .MapPost("/visits", Handle).Validate<Request>()
            .WithName("RecordVisit").WithSummary("Records a visit to a vendor of the employee's territory; requires an open check-in.");

    static async Task<Results<Created<Response>, ValidationProblem, NotFoundProblem, ConflictProblem>> Handle(Request request, ClaimsPrincipal user,
        NpgsqlDataSource db, CacheAside cache, IOptions<AttendanceOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var employeeId = user.UserId();
        var now = clock.GetUtcNow();
        var today = LocalCalendar.LocalDate(now, options.Value.TimeZone);
        await using var conn = await db.OpenConnectionAsync(ct);
        var territory = await Territory.OfAsync(conn, employeeId, ct);
        var inTerritory = territory is not null && await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
            $"SELECT EXISTS (SELECT 1 FROM vendors v WHERE v.id = @VendorId AND {Territory.Contains})",
            new { request.VendorId, Territory = territory }, cancellationToken: ct));
        if (!inTerritory)
            return Problems.NotFound("Vendor not found", "No such vendor in your territory.");

        // The visit belongs to the open work date: today's, or yesterday's when a shift crosses midnight.
        var visit = (await conn.QueryAsync<(Guid Id, DateOnly WorkDate)>(new CommandDefinition("""
            INSERT INTO vendor_visits (employee_id, vendor_id, work_date, visited_at, latitude, longitude, notes)
            SELECT @EmployeeId, @VendorId, a.work_date, @Now, @Latitude, @Longitude, @Notes
            FROM (SELECT work_date, check_out_at FROM attendance
                  WHERE employee_id = @EmployeeId AND work_date IN (@Today, @Yesterday)
                  ORDER BY work_date DESC LIMIT 1) a
            WHERE a.check_out_at IS NULL
            RETURNING id, work_date
            """, new { employeeId, request.VendorId, Now = now, request.Latitude, request.Longitude, request.Notes, Today = today, Yesterday = today.AddDays(-1) },
            cancellationToken: ct))).SingleOrDefault();
        if (visit.Id == Guid.Empty) return Problems.Conflict("Not checked in", "Check in before recording a visit.");

        await cache.BumpGenerationAsync(DeskCaches.EmployeeReports(employeeId));
        return TypedResults.Created($"/api/v1/employee/reports",
            new Response(visit.Id, request.VendorId, visit.WorkDate, now, request.Latitude!.Value, request.Longitude!.Value, request.Notes));
    }
}
