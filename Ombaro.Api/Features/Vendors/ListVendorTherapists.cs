using Ombaro.Api.Features.Desks;

namespace Ombaro.Api.Features.Vendors;

/// <summary>
/// <c>GET /api/v1/vendors/{id}/therapists</c>: the vendor's roster from PostgreSQL (cached), each
/// therapist marked live when the location set saw them in the last five minutes (read fresh).
/// </summary>
public sealed class ListVendorTherapists : ICarterModule
{
    public sealed record Member(Guid TherapistId, string? Name, string Mobile, bool Active, DateTime JoinedAt);

    public sealed record Roster(IReadOnlyList<Member> Members);

    public sealed record Therapist(Guid TherapistId, string? Name, string Mobile, bool Active, DateTimeOffset JoinedAt,
        bool Live, DateTimeOffset? LastSeenAt);

    public sealed record Response(Guid VendorId, int Live, IReadOnlyList<Therapist> Therapists);

    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapVendorsApi().RequireAuthorization(p => p.RequireRole(Roles.Vendor, Roles.Admin))
            .MapGet("/{id:guid}/therapists", Handle)
            .WithName("ListVendorTherapists").WithSummary("The vendor's therapists, each live or offline (owner or admin).");

    static async Task<Results<Ok<Response>, NotFoundProblem, ForbiddenProblem>> Handle(Guid id, ClaimsPrincipal user, NpgsqlDataSource db,
        CacheAside cache, RedisConnections redis, TimeProvider clock, CancellationToken ct)
    {
        await using (var conn = await db.OpenConnectionAsync(ct))
        {
            switch (await VendorAccess.DenyUnlessOwnerOrAdminAsync(conn, id, user, ct))
            {
                case NotFoundProblem missing: return missing;
                case ForbiddenProblem forbidden: return forbidden;
            }
        }
        var roster = await cache.GetOrLoadAsync("vendor-therapists", DeskCaches.VendorRoster(id), DeskCaches.Long, async token =>
        {
            await using var conn = await db.OpenConnectionAsync(token);
            var members = await conn.QueryAsync<Member>(new CommandDefinition("""
                SELECT u.id AS TherapistId, u.name, u.mobile, vt.active, vt.joined_at AS JoinedAt
                FROM vendor_therapists vt JOIN users u ON u.id = vt.therapist_id
                WHERE vt.vendor_id = @id
                ORDER BY vt.active DESC, u.name, u.id
                """, new { id }, cancellationToken: token));
            return new Roster(members.ToList());
        }, ct);

        var seen = await LastSeenAsync(redis, roster!.Members.Select(m => m.TherapistId).ToList());
        var liveSince = clock.GetUtcNow() - Therapists.LiveLocations.LiveWindow;
        var therapists = roster.Members.Select((m, i) => new Therapist(m.TherapistId, m.Name, m.Mobile, m.Active,
            new DateTimeOffset(DateTime.SpecifyKind(m.JoinedAt, DateTimeKind.Utc)), m.Active && seen[i] >= liveSince, seen[i])).ToList();
        return TypedResults.Ok(new Response(id, therapists.Count(t => t.Live), therapists));
    }

    /// <summary>Last-seen times from the companion set of the therapist geo index (scores are unix milliseconds).</summary>
    static async Task<DateTimeOffset?[]> LastSeenAsync(RedisConnections redis, IReadOnlyList<Guid> therapists)
    {
        if (therapists.Count == 0) return [];
        var scores = await redis.StateDb.SortedSetScoresAsync(RedisKeys.GeoTherapistsSeen, therapists.Select(t => (StackExchange.Redis.RedisValue)t.ToString()).ToArray());
        return scores.Select(s => s is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds((long)ms) : (DateTimeOffset?)null).ToArray();
    }
}
