namespace Ombaro.Api.Features.Admin;

/// <summary>
/// <c>PUT /api/v1/admin/employees/{id}/territory {territory}</c>: assigns a field employee's territory (a
/// city); the change is in the audit log with the territory before and after.
/// </summary>
public sealed class AssignTerritory : ICarterModule
{
    public sealed record Request(string Territory);

    public sealed record Response(Guid EmployeeId, string Territory);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator() => RuleFor(r => r.Territory).NotEmpty().MaximumLength(100).Must(t => t == t?.Trim())
            .WithMessage("territory must not start or end with spaces.");
    }

    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapAdminApi()
            .MapPut("/employees/{id:guid}/territory", Handle).Validate<Request>()
            .WithName("AssignTerritory").WithSummary("Assigns the employee's territory (a city); audited.");

    static async Task<Results<Ok<Response>, ValidationProblem, NotFoundProblem>> Handle(Guid id, Request request, HttpContext http,
        NpgsqlDataSource db, UserCaches users, TimeProvider clock, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var isEmployee = await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM users WHERE id = @id AND role = 'employee' FOR UPDATE)", new { id }, tx, cancellationToken: ct));
        if (!isEmployee) return Problems.NotFound("Employee not found", $"No employee {id}.");

        var before = await conn.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT territory FROM employee_profiles WHERE user_id = @id FOR UPDATE", new { id }, tx, cancellationToken: ct));
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO employee_profiles (user_id, territory, updated_at) VALUES (@id, @Territory, @now)
            ON CONFLICT (user_id) DO UPDATE SET territory = excluded.territory, updated_at = excluded.updated_at
            """, new { id, request.Territory, now = clock.GetUtcNow() }, tx, cancellationToken: ct));
        await AuditLog.WriteAsync(tx, http.User, http.ClientIp(), "employee.territory.assign", "user", id,
            new { territory = before }, new { territory = request.Territory }, ct);
        await tx.CommitAsync(ct);
        await users.ProfileChangedAsync(id, Roles.Employee, listed: false);   // the territory is part of the employee's profile
        return TypedResults.Ok(new Response(id, request.Territory));
    }
}
