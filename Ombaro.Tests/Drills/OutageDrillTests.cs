using System.Diagnostics.Metrics;
using Ombaro.Api.Infrastructure.RateLimiting;

namespace Ombaro.Tests.Drills;

/// <summary>
/// Outage drills: a part is stopped while traffic runs (<see cref="DrillRoutes.For"/>), every answer is
/// checked against what its route declares, nothing answers 500, and the same host recovers once the
/// part is back. Each drill has servers of its own; the shared ones are never stopped.
/// </summary>
public sealed class OutageDrillTests
{
    [Fact]
    public async Task redis_state_down_authenticated_calls_are_503_and_an_empty_restart_recovers_without_a_restart()
    {
        await using var state = await RedisServerProcess.StartAsync();
        // Its own host: on a state Redis of its own, which the drill stops.
        await using var host = await ApiFixture.StartHostAsync(DrillWorld.Settings("REDIS_URL", state.Url));
        await using var drill = new OutageDrill(host, Part.RedisState);
        using var failOpen = new FailOpenCounter(host);
        await drill.StartAsync();
        var world = drill.World;
        Assert.True(await StateDb(host).KeyExistsAsync(RedisKeys.GeoVendorsBuilt));

        await state.StopAsync();
        await drill.AssertDegradedAsync("redis-state");
        Assert.True(failOpen.Count > 0, "the rate limiter let requests through without Redis and counted them");

        await state.RestartAsync();                       // empty: no persistence in the drill's Redis
        await drill.AssertRecoveredAsync(sessionsLost: true);

        // The geo indexes were rebuilt from PostgreSQL: a search no one made before finds the vendor through them.
        var found = await host.SearchAsync(Catalog.Query(world.VendorAt, "&type=massage&radiusKm=7.5"));
        Assert.Contains(world.VendorId, found.Ids());
        Assert.True(await StateDb(host).KeyExistsAsync(RedisKeys.GeoVendorsBuilt));
        Assert.NotNull(await StateDb(host).GeoPositionAsync(RedisKeys.GeoVendors("massage"), world.VendorId.ToString()));

        // Nothing written before the outage is lost: PostgreSQL holds it, read back through the API.
        var customer = await host.SignInAgainAsync(world.Bookings.Customer);
        var booking = await host.Scenario(s => { s.Get.Url($"/api/v1/bookings/{world.BookingId}"); s.As(customer); s.StatusCodeShouldBeOk(); });
        Assert.Equal(world.BookingId, (await booking.ReadAsJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        var employee = await host.SignInAgainAsync(world.Employee);
        var today = await host.Scenario(s => { s.Get.Url("/api/v1/attendance/today"); s.As(employee); s.StatusCodeShouldBeOk(); });
        var day = await today.ReadAsJsonAsync<JsonElement>();
        Assert.Equal(("checked_in", world.AttendanceId), (day.GetProperty("status").GetString(), day.GetProperty("record").GetProperty("id").GetGuid()));
    }

    static IDatabase StateDb(IAlbaHost host) => host.Services.GetRequiredService<RedisConnections>().StateDb;

    /// <summary>The rate limiter's "let through without Redis" count (meter <c>Ombaro.RateLimiting</c>) of one host.</summary>
    sealed class FailOpenCounter : IDisposable
    {
        readonly MeterListener listener = new();
        long count;

        public FailOpenCounter(IAlbaHost host)
        {
            var meters = host.Services.GetRequiredService<IMeterFactory>();
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == meters && instrument.Meter.Name == RateLimitMetrics.MeterName && instrument.Name == "ombaro.ratelimit.unavailable")
                    l.EnableMeasurementEvents(instrument);
            };
            listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                    if (tag is { Key: "outcome", Value: "open" }) Interlocked.Add(ref count, value);
            });
            listener.Start();
        }

        public long Count => Interlocked.Read(ref count);

        public void Dispose() => listener.Dispose();
    }

    [Fact]
    public async Task redis_cache_down_everything_keeps_working_from_postgres()
    {
        await using var cacheRedis = await RedisServerProcess.StartAsync();
        // Its own host: on a cache Redis of its own, which the drill stops.
        await using var host = await ApiFixture.StartHostAsync(DrillWorld.Settings("REDIS_CACHE_URL", cacheRedis.Url));
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
        await using var cacheRedis = await RedisServerProcess.StartAsync();   // primed search entries: no other test bumps their generation
        var settings = DrillWorld.Settings("DATABASE_URL", postgres.DatabaseUrl);
        settings["REDIS_CACHE_URL"] = cacheRedis.Url;
        // Its own host: on a PostgreSQL of its own, which the drill stops.
        await using var host = await ApiFixture.StartHostAsync(settings);
        await using var drill = new OutageDrill(host, Part.Postgres);
        await drill.StartAsync();

        await postgres.StopAsync();
        await drill.AssertDegradedAsync("postgres");

        await postgres.RestartAsync();
        await drill.AssertRecoveredAsync(sessionsLost: false);
    }
}
