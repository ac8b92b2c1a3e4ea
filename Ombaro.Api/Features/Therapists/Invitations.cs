using Ombaro.Api.Features.Admin;
using Ombaro.Api.Features.Vendors;

namespace Ombaro.Api.Features.Therapists;

/// <summary>
/// A vendor's invitations to the signed-in mobile (<c>GET /api/v1/therapists/me/invitations</c>) and their
/// acceptance (<c>POST .../{id}/accept</c>), by a therapist or a customer (who then becomes a therapist and gets
/// a new session: the old one carries the old role). Only pending, unexpired invitations to the caller's own
/// mobile exist for the caller; anything else is 404.
/// </summary>
public sealed class Invitations : ICarterModule
{
    public sealed record Invitation(Guid Id, Guid VendorId, string VendorName, string Name, DateTime CreatedAt, DateTime ExpiresAt);
    public sealed record ListResponse(IReadOnlyList<Invitation> Invitations);
    public sealed record AcceptResponse(Guid VendorId, Guid TherapistId, string Role, string? Token, DateTimeOffset? ExpiresAt);

    public void AddRoutes(IEndpointRouteBuilder app)
    {
        var group = app.MapTherapistsApi().MapGroup("/me/invitations").RequireAuthorization(p => p.RequireRole(Roles.Therapist, Roles.Customer));
        group.MapGet("", List).WithName("ListTherapistInvitations").WithSummary("Pending invitations to your mobile (therapist or customer).");
        group.MapPost("/{id:guid}/accept", Accept).WithName("AcceptTherapistInvitation")
            .WithSummary("Join the inviting vendor's roster; a customer becomes a therapist and gets a new token.");
    }

    const string Pending = """
        SELECT i.id, i.vendor_id AS VendorId, v.name AS VendorName, i.name, i.created_at AS CreatedAt, i.expires_at AS ExpiresAt
        FROM therapist_invitations i JOIN vendors v ON v.id = i.vendor_id JOIN users u ON u.mobile = i.mobile
        WHERE u.id = @userId AND i.status = 'pending' AND i.expires_at > @now
        """;

    static async Task<Ok<ListResponse>> List(ClaimsPrincipal user, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<Invitation>(new CommandDefinition(Pending + " ORDER BY i.created_at DESC",
            new { userId = user.UserId(), now = clock.GetUtcNow() }, cancellationToken: ct));
        return TypedResults.Ok(new ListResponse(rows.ToList()));
    }

    static async Task<Results<Ok<AcceptResponse>, NotFoundProblem, ConflictProblem>> Accept(
        Guid id, ClaimsPrincipal user, HttpContext http, SessionStore sessions, VendorCaches vendors, [AsParameters] UserWrites writes,
        CancellationToken ct)
    {
        var (db, users, clock) = writes;
        var (userId, now) = (user.UserId(), clock.GetUtcNow());
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var role = await conn.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT role FROM users WHERE id = @userId FOR UPDATE", new { userId }, tx, cancellationToken: ct));
        var invitation = await conn.QuerySingleOrDefaultAsync<Invitation>(new CommandDefinition(Pending + " AND i.id = @id FOR UPDATE OF i",
            new { userId, id, now }, tx, cancellationToken: ct));
        if (invitation is null || role is not (Roles.Therapist or Roles.Customer))
            return Problems.NotFound("Invitation not found", "No pending invitation with this id for your mobile.");

        var current = await conn.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            "SELECT vendor_id FROM vendor_therapists WHERE therapist_id = @userId AND active", new { userId }, tx, cancellationToken: ct));
        if (current is { } other && other != invitation.VendorId)
            return Problems.Conflict("You work elsewhere", "You are on another vendor's roster; leave it first.");

        if (role == Roles.Customer)
        {
            await conn.ExecuteAsync(new CommandDefinition("UPDATE users SET role = 'therapist', updated_at = @now WHERE id = @userId",
                new { userId, now }, tx, cancellationToken: ct));
            await conn.ExecuteAsync(new CommandDefinition(
                "INSERT INTO therapist_profiles (user_id, full_name) VALUES (@userId, @Name) ON CONFLICT DO NOTHING",
                new { userId, invitation.Name }, tx, cancellationToken: ct));
        }
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO vendor_therapists (vendor_id, therapist_id, joined_at) VALUES (@VendorId, @userId, @now)
            ON CONFLICT (vendor_id, therapist_id) DO UPDATE SET active = true, joined_at = excluded.joined_at
            """, new { invitation.VendorId, userId, now }, tx, cancellationToken: ct));
        await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE therapist_invitations SET status = 'accepted', accepted_by = @userId, accepted_at = @now WHERE id = @id",
            new { id, userId, now }, tx, cancellationToken: ct));
        await AuditLog.WriteAsync(tx, user, http.ClientIp(), "vendor.therapist.accept", "vendor", invitation.VendorId,
            new { role }, new { invitationId = id, therapistId = userId, role = Roles.Therapist }, ct);
        await tx.CommitAsync(ct);

        await vendors.RosterChangedAsync(invitation.VendorId);
        if (role == Roles.Therapist) return TypedResults.Ok(new AcceptResponse(invitation.VendorId, userId, Roles.Therapist, null, null));

        // a new role: the customer sessions stop working (the snapshot's role changed), a therapist session replaces them
        await users.AccessChangedAsync(userId, Roles.Customer, Roles.Therapist);
        await sessions.RevokeAllAsync(userId);
        var session = await sessions.CreateAsync(userId, Roles.Therapist, http.ClientIp(), http.Request.Headers.UserAgent.ToString());
        return TypedResults.Ok(new AcceptResponse(invitation.VendorId, userId, Roles.Therapist, session.Token, session.ExpiresAt));
    }
}
