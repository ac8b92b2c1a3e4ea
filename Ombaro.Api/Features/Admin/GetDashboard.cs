using Ombaro.Api.Features.Desks;

namespace Ombaro.Api.Features.Admin;

/// <summary>
/// <c>GET /api/v1/admin/dashboard</c>: users by role and status, bookings and revenue today (platform
/// zone, <c>Reporting:TimeZone</c>) from PostgreSQL, cached and bumped by user and booking changes; active
/// therapists now (the live location set) and this instance's cache hit rates, read fresh.
/// </summary>
public sealed class GetDashboard : ICarterModule
{
    public sealed record Counts(IReadOnlyDictionary<string, int> UsersByRole, IReadOnlyDictionary<string, int> UsersByStatus,
        IReadOnlyDictionary<string, int> BookingsTodayByStatus, int BookingsToday, int CompletedToday, decimal RevenueToday, string Currency);

    public sealed record CacheStats(long Hits, long Misses, long Fallbacks, double HitRate);

    public sealed record Response(DateOnly Date, string TimeZone, Counts Totals, int ActiveTherapists,
        CacheStats Cache, IReadOnlyDictionary<string, CacheStats> Caches);

    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapAdminApi()
            .MapGet("/dashboard", Handle)
            .WithName("GetAdminDashboard").WithSummary("Users by role, bookings and revenue today, active therapists now and the cache hit rate.");

    static async Task<Ok<Response>> Handle(NpgsqlDataSource db, CacheAside cache, CacheMetrics metrics, RedisConnections redis,
        IOptions<ReportingOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var zone = options.Value.TimeZone;
        var today = clock.Today(zone);
        var key = await cache.KeyAsync("admin-dashboard", DeskCaches.AdminDashboard, today.Iso());
        var counts = await cache.GetOrLoadAsync("admin-dashboard", key, DeskCaches.Short, token => LoadAsync(db, zone, today, token), ct);

        var liveSince = clock.GetUtcNow() - Therapists.LiveLocations.LiveWindow;
        var active = await redis.StateDb.SortedSetLengthAsync(RedisKeys.GeoTherapistsSeen, liveSince.ToUnixTimeMilliseconds());

        var perCache = metrics.Snapshot.ToDictionary(c => c.Key, c => new CacheStats(c.Value.Hits, c.Value.Misses, c.Value.Fallbacks, Math.Round(c.Value.HitRate, 4)));
        var (hits, misses, fallbacks) = (perCache.Values.Sum(c => c.Hits), perCache.Values.Sum(c => c.Misses), perCache.Values.Sum(c => c.Fallbacks));
        var all = hits + misses + fallbacks;
        return TypedResults.Ok(new Response(today, zone, counts!, (int)active,
            new CacheStats(hits, misses, fallbacks, all == 0 ? 0 : Math.Round((double)hits / all, 4)), perCache));
    }

    static async Task<Counts?> LoadAsync(NpgsqlDataSource db, string zone, DateOnly today, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var results = await conn.QueryMultipleAsync(new CommandDefinition("""
            SELECT role AS key, count(*)::int AS count FROM users GROUP BY role;
            SELECT status AS key, count(*)::int AS count FROM users GROUP BY status;
            SELECT status AS key, count(*)::int AS count FROM bookings
            WHERE starts_at >= (@Today::timestamp AT TIME ZONE @Zone) AND starts_at < (@Tomorrow::timestamp AT TIME ZONE @Zone)
            GROUP BY status;
            SELECT count(*)::int AS completed, coalesce(sum(price), 0) AS revenue, coalesce(min(currency), 'INR') AS currency FROM bookings
            WHERE status = 'completed'
              AND completed_at >= (@Today::timestamp AT TIME ZONE @Zone) AND completed_at < (@Tomorrow::timestamp AT TIME ZONE @Zone);
            """, new { Zone = zone, Today = today, Tomorrow = today.AddDays(1) }, cancellationToken: ct));
        var byRole = await ReadCounts(results);
        var byStatus = await ReadCounts(results);
        var bookings = await ReadCounts(results);
        var completed = await results.ReadSingleAsync<(int Completed, decimal Revenue, string Currency)>();
        return new Counts(Roles.All.ToDictionary(r => r, r => byRole.GetValueOrDefault(r)), byStatus,
            bookings, bookings.Values.Sum(), completed.Completed, completed.Revenue, completed.Currency);
    }

    static async Task<Dictionary<string, int>> ReadCounts(SqlMapper.GridReader results) =>
        (await results.ReadAsync<(string Key, int Count)>()).ToDictionary(r => r.Key, r => r.Count);
}
