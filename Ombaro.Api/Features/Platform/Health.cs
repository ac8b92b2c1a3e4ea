namespace Ombaro.Api.Features.Platform;

/// <summary><c>/health/live</c>: the process answers. <c>/health/ready</c>: Redis (both roles) and PostgreSQL answer.</summary>
public sealed class Health : ICarterModule
{
    public sealed record Check(string Name, bool Healthy, double Milliseconds, string? Error);
    public sealed record Response(string Status, IReadOnlyList<Check> Checks);

    static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);

    public void AddRoutes(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/health").WithTags("Platform").AllowAnonymous();
        group.MapGet("/live", () => TypedResults.Ok(new Response("live", [])))
            .WithName("Live").WithSummary("The process is up (no dependencies checked).");
        group.MapGet("/ready", Ready)
            .WithName("Ready").WithSummary("Redis state, Redis cache and PostgreSQL all answer; 503 naming the failed ones otherwise.");
    }

    static async Task<Results<Ok<Response>, ServiceUnavailableProblem>> Ready(
        RedisConnections redis, NpgsqlDataSource postgres, TimeProvider clock, CancellationToken ct)
    {
        var checks = await Task.WhenAll(
            Probe("redis-state", clock, () => redis.StateDb.PingAsync()),
            Probe("redis-cache", clock, () => redis.CacheDb.PingAsync()),
            Probe("postgres", clock, async () =>
            {
                await using var cmd = postgres.CreateCommand("SELECT 1");
                await cmd.ExecuteScalarAsync(ct);
            }));
        var failed = checks.Where(c => !c.Healthy).Select(c => c.Name).ToList();
        if (failed.Count == 0) return TypedResults.Ok(new Response("ready", checks));
        return Problems.ServiceUnavailable("Not ready", $"Unavailable: {string.Join(", ", failed)}",
            new Dictionary<string, object?> { ["failed"] = failed, ["checks"] = checks });
    }

    static async Task<Check> Probe(string name, TimeProvider clock, Func<Task> probe)
    {
        var start = clock.GetTimestamp();
        try
        {
            await probe().WaitAsync(Budget);
            return new Check(name, true, clock.GetElapsedTime(start).TotalMilliseconds, null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new Check(name, false, clock.GetElapsedTime(start).TotalMilliseconds, e.GetType().Name);
        }
    }
}
