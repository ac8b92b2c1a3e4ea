namespace Ombaro.Api.Features.Admin;

/// <summary>
/// <c>PATCH /api/v1/admin/users/{id}</c>: an admin changes a user's role or status (audited). Every call, a
/// retried one with nothing left to change included, bumps the user's snapshot generation (authentication
/// refuses the old role or status at once, on every instance), signs them out everywhere and drops the cached
/// profile; when Redis fails after the commit the call fails and a retry finishes the job.
/// </summary>
public sealed class UpdateUser : ICarterModule
{

    public sealed record Request(string? Role = null, string? Status = null);
    public sealed record Response(Guid Id, string Mobile, string Role, string Status, string? Name, int RevokedSessions);
    sealed record Row(Guid Id, string Mobile, string Role, string Status, string? Name);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r).Must(r => r.Role is not null || r.Status is not null).WithName("body").WithMessage("Give a role, a status, or both.");
            RuleFor(r => r.Role).Must(Roles.IsValid).When(r => r.Role is not null).WithMessage("Role must be customer, therapist, vendor, employee or admin.");
            RuleFor(r => r.Status).Must(UserStatus.All.Contains!).When(r => r.Status is not null).WithMessage("Status must be active, suspended or deactivated.");
        }
    }

    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapAdminApi()
            .MapPatch("/users/{id:guid}", Handle).Validate<Request>()
            .WithName("UpdateUser").WithSummary("Change a user's role or status; signs them out everywhere (audited).");

    static async Task<Results<Ok<Response>, NotFoundProblem, ConflictProblem>> Handle(
        Guid id, Request request, ClaimsPrincipal admin, HttpContext http, SessionStore sessions, [AsParameters] UserWrites writes,
        CancellationToken ct)
    {
        var (db, users, clock) = writes;
        if (id == admin.UserId())
            return Problems.Conflict("Cannot change yourself", "Admins cannot change their own role or status; ask another admin.");

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var before = await conn.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            "SELECT id, mobile, role, status, name FROM users WHERE id = @id FOR UPDATE", new { id }, tx, cancellationToken: ct));
        if (before is null)
            return Problems.NotFound("Not found", "No user has this id.");

        var after = before with { Role = request.Role ?? before.Role, Status = request.Status ?? before.Status };
        if (after != before)
        {
            await conn.ExecuteAsync(new CommandDefinition(
                "UPDATE users SET role = @Role, status = @Status, updated_at = @now WHERE id = @Id",
                new { after.Role, after.Status, after.Id, now = clock.GetUtcNow() }, tx, cancellationToken: ct));
            if (after.Role != before.Role) await UserAccounts.CreateProfileAsync(conn, tx, id, after.Role, ct);
            await AuditLog.WriteAsync(tx, admin, http.ClientIp(), "user.update", "user", id,
                new { before.Role, before.Status }, new { after.Role, after.Status }, ct);
        }
        await tx.CommitAsync(ct);

        // Even with nothing changed: a retry after a Redis failure must finish what the first call committed.
        await users.AccessChangedAsync(id, before.Role, after.Role);
        var revoked = await sessions.RevokeAllAsync(id);
        return TypedResults.Ok(ToResponse(after, revoked));
    }

    static Response ToResponse(Row r, int revoked) => new(r.Id, r.Mobile, r.Role, r.Status, r.Name, revoked);
}
