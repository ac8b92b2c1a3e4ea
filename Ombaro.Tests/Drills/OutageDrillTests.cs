using Alba;
using Microsoft.Extensions.DependencyInjection;
using Ombaro.Api.Infrastructure.Caching;
using Ombaro.Api.Infrastructure.Redis;
using Ombaro.Tests.Support;

namespace Ombaro.Tests.Drills;

/// <summary>
/// Outage drills: a part is stopped while traffic runs (<see cref="DrillRoutes.All"/>), every answer is
/// checked against what its route declares, nothing answers 500, and the same host recovers once the
/// part is back. Each drill has servers of its own; the shared ones are never stopped.
/// </summary>
public sealed class OutageDrillTests
{
    [Fact]
    public async Task redis_state_down_authenticated_calls_are_503_and_an_empty_restart_recovers_without_a_restart()
    {
        await using var state = await RedisServerProcess.StartAsync();
        await using var host = await ApiFixture.StartHostAsync(new Dictionary<string, string?> { ["REDIS_URL"] = state.Url });
        await using var drill = new OutageDrill(host, Part.RedisState);
        await drill.StartAsync();

        await state.StopAsync();
        await drill.AssertDegradedAsync("redis-state");

        await state.RestartAsync();                       // empty: no persistence in the drill's Redis
        await drill.AssertRecoveredAsync(sessionsLost: true);
    }

    [Fact]
    public async Task redis_cache_down_everything_keeps_working_from_postgres()
    {
        await using var cacheRedis = await RedisServerProcess.StartAsync();
        await using var host = await ApiFixture.StartHostAsync(new Dictionary<string, string?> { ["REDIS_CACHE_URL"] = cacheRedis.Url });
        await using var drill = new OutageDrill(host, Part.RedisCache);
        await drill.StartAsync();
        var cache = host.Services.GetRequiredService<CacheAside>();
        var metrics = host.Services.GetRequiredService<CacheMetrics>();
        var key = RedisKeys.Cache("drill", Guid.NewGuid());

        await cacheRedis.StopAsync();
        await drill.AssertDegradedAsync("redis-cache");
        var value = await cache.GetOrLoadAsync("drill", key, TimeSpan.FromMinutes(1), _ => Task.FromResult<string?>("from postgres"), default);
        Assert.Equal("from postgres", value);
        Assert.Equal(1, metrics.Snapshot["drill"].Fallbacks);

        await cacheRedis.RestartAsync();
        await drill.AssertRecoveredAsync(sessionsLost: false);
        await RedisServerProcess.WaitUntil(async () =>
        {
            await cache.GetOrLoadAsync("drill", key, TimeSpan.FromMinutes(1), _ => Task.FromResult<string?>("from postgres"), default);
            return metrics.Snapshot["drill"].Hits > 0;     // written back and read from Redis again
        });
    }

    [Fact]
    public async Task postgres_down_its_routes_are_503_ready_names_it_and_it_recovers_without_a_restart()
    {
        await using var postgres = await PostgresServerProcess.StartAsync();
        await using var host = await ApiFixture.StartHostAsync(new Dictionary<string, string?> { ["DATABASE_URL"] = postgres.DatabaseUrl });
        await using var drill = new OutageDrill(host, Part.Postgres);
        await drill.StartAsync();

        await postgres.StopAsync();
        await drill.AssertDegradedAsync("postgres");

        await postgres.RestartAsync();
        await drill.AssertRecoveredAsync(sessionsLost: false);
    }
}
