namespace Ombaro.Api.Features.Ops;

/// <summary>
/// <c>GET /api/v1/admin/ops/redis</c>: the health of each Redis role (the state and cache servers, or
/// the one server both share; on a Redis Cluster one entry per master node of each role), the app's own view of it (latency of its calls, hit rate per cache)
/// and alerts against the seed's targets. Feeds the ops page at <c>/ops</c>.
/// </summary>
public sealed class GetRedisOps : ICarterModule
{
    /// <summary>Application-side figures of one cache name (counted by <see cref="CacheAside"/> since the process started).</summary>
    public sealed record CacheFigures(string Name, long Hits, long Misses, long Fallbacks, long Lookups, double HitRate);

    public sealed record Response(
        DateTimeOffset GeneratedAt, bool SameServer, IReadOnlyList<RedisServerReport.Server> Servers,
        IReadOnlyList<CacheFigures> Caches, CacheFigures CacheTotal, string Notes, IReadOnlyList<RedisAlerts.Alert> Alerts);

    const string Notes =
        "caches / cacheTotal: the app's own cache-aside hit rate per cache name, counted by this API instance since it started. " +
        "servers[].info.keyspaceHitRate: Redis's server-wide keyspace_hits/misses, polluted by OTP, session and rate-limit lookups (state role) " +
        "and by other instances; do not read it as the cache hit rate. servers[].latency: the app's own Redis calls over the last 1-2 minutes. " +
        "evictionRate: evicted / (evicted + expired) keys since the server started. keys: a bounded SCAN sample, scaled to DBSIZE when incomplete.";

    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapOpsApi()
            .MapGet("/redis", Handle).WithName("GetRedisOps")
            .WithSummary("Redis health per role (memory, evictions, clients, ops/s, slow log, the app's latency and hit rates, key counts) with alerts.");

    static async Task<Ok<Response>> Handle(RedisConnections redis, ConnectionSettings settings, CacheMetrics metrics, SmsBudget sms, TimeProvider clock,
        CancellationToken ct)
    {
        var same = ReferenceEquals(redis.State, redis.Cache);
        var servers = same
            ? await RedisServerReport.ReadAsync([RedisRole.State, RedisRole.Cache], settings.RedisState.ToString(), redis.State, settings.RedisState.Database, ct)
            : (await Task.WhenAll(
                RedisServerReport.ReadAsync([RedisRole.State], settings.RedisState.ToString(), redis.State, settings.RedisState.Database, ct),
                RedisServerReport.ReadAsync([RedisRole.Cache], settings.RedisCache.ToString(), redis.Cache, settings.RedisCache.Database, ct)))
                .SelectMany(s => s).ToList();

        var caches = metrics.Snapshot
            .Select(c => Figures(c.Key, c.Value.Hits, c.Value.Misses, c.Value.Fallbacks))
            .OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        var total = Figures("all", caches.Sum(c => c.Hits), caches.Sum(c => c.Misses), caches.Sum(c => c.Fallbacks));
        var alerts = RedisAlerts.Check(servers, caches).ToList();
        if (RedisAlerts.SmsBudget(await SmsUsed(sms), sms.Limit) is { } smsAlert) alerts.Add(smsAlert);
        return TypedResults.Ok(new Response(clock.GetUtcNow(), same, servers, caches, total, Notes, alerts));
    }

    /// <summary>SMS of the last minute; 0 when the state Redis does not answer (that has its own alert).</summary>
    static async Task<long> SmsUsed(SmsBudget sms)
    {
        try { return await sms.UsedAsync().WaitAsync(TimeSpan.FromSeconds(1)); }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException) { return 0; }
    }

    static CacheFigures Figures(string name, long hits, long misses, long fallbacks)
    {
        var lookups = hits + misses + fallbacks;
        return new CacheFigures(name, hits, misses, fallbacks, lookups, lookups > 0 ? (double)hits / lookups : 0);
    }
}
