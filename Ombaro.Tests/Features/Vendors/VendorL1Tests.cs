using System.Globalization;
using Microsoft.AspNetCore.Http.Json;
using Ombaro.Api.Features.Vendors;

namespace Ombaro.Tests.Features.Vendors;

/// <summary>
/// The in-process L1 in front of the cached vendor detail and search (<see cref="L1Cache"/>): the shared host writes, a
/// second host reads, on a fake clock whose L1 keeps values 10 minutes, so what it serves fresh came by pub/sub. In the
/// api collection: its edits bump the shared search generation, which other tests of the collection count hits on.
/// Two hosts on a Redis Cluster: <c>ScaleOutTests</c>.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class VendorL1Tests(ApiFixture api, VendorL1Tests.Reader reader) : IClassFixture<VendorL1Tests.Reader>
{
    public sealed class Reader : IAsyncLifetime
    {
        /// <summary>Thursday 2033-07-14 17:30 in Asia/Kolkata; only ever advanced by minutes.</summary>
        public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2033, 7, 14, 12, 0, 0, TimeSpan.Zero));
        public IAlbaHost Host { get; private set; } = null!;

        public async Task InitializeAsync() => Host = await ApiFixture.StartHostAsync(
            new Dictionary<string, string?> { ["Cache:L1Ttl"] = "00:10:00" }, s => s.AddSingleton<TimeProvider>(Clock));

        public async Task DisposeAsync() => await Host.DisposeAsync();
    }

    long L1Hits(string cache) => reader.Host.Services.GetRequiredService<CacheMetrics>().Snapshot.TryGetValue(cache, out var t) ? t.L1Hits : 0;

    [Fact]
    public async Task a_detail_hit_writes_the_json_the_record_would_with_open_computed_for_the_clock()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var local = TimeZoneInfo.ConvertTime(reader.Clock.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata"));
        var closes = local.AddMinutes(2).ToString("HH:mm", CultureInfo.InvariantCulture);
        var owner = await api.Host.SignInAsync(Roles.Vendor);
        var id = await api.Host.CreateVendorAsync(owner, Catalog.Listing(10, 10, name: "Clock Spa",
            hours: [new { weekday = (int)local.DayOfWeek, opens = "00:00", closes }]));
        await api.Host.VerifyAsync(id, admin);
        await KeptAsync(VendorCatalog.DetailCache, () => Read(id));   // once the writes' invalidations have reached the reader
        var hits = L1Hits(VendorCatalog.DetailCache);

        var open = await Read(id);
        reader.Clock.Advance(TimeSpan.FromMinutes(3));    // past closing time, well within the L1 TTL
        var closed = await Read(id);

        Assert.Equal(hits + 2, L1Hits(VendorCatalog.DetailCache));
        Assert.Equal(open.Expected, open.Body);
        Assert.Equal(closed.Expected, closed.Body);
        var (openState, closedState) = (JsonDocument.Parse(open.Body).RootElement.GetProperty("open"), JsonDocument.Parse(closed.Body).RootElement.GetProperty("open"));
        Assert.True(openState.GetProperty("openNow").GetBoolean());
        Assert.EndsWith($"T{closes}:00+05:30", openState.GetProperty("closesAt").GetString());
        Assert.False(closedState.GetProperty("openNow").GetBoolean());
        Assert.EndsWith("T00:00:00+05:30", closedState.GetProperty("nextOpenAt").GetString());
    }

    /// <summary>Reads until a read is an L1 hit: invalidations of earlier writes may still arrive and drop what a read keeps.</summary>
    Task KeptAsync(string cache, Func<Task> read) => RedisServerProcess.WaitUntil(async () =>
    {
        var before = L1Hits(cache);
        await read();
        return L1Hits(cache) > before;
    }, seconds: 5);

    /// <summary>The body the reader answers, and what <c>Ok(vendor with { Open = ... })</c> wrote for it before the L1.</summary>
    async Task<(string Body, string Expected)> Read(Guid id)
    {
        var result = await reader.Host.Scenario(s => { s.Get.Url($"/api/v1/vendors/{id}"); s.StatusCodeShouldBeOk(); });
        Assert.Equal("application/json; charset=utf-8", result.Context.Response.ContentType);
        var vendor = (await VendorCatalog.LoadAsync(reader.Host.Services.GetRequiredService<NpgsqlDataSource>(), id, CancellationToken.None))!;
        var json = reader.Host.Services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var expected = JsonSerializer.Serialize(vendor with { Open = OpeningHours.At(vendor.OpeningHours, vendor.TimeZone, reader.Clock.GetUtcNow()) }, json);
        return (await result.ReadAsTextAsync(), expected);
    }

    [Fact]
    public async Task a_search_cell_kept_in_l1_is_ranked_from_each_callers_own_point()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var area = Catalog.NewArea();
        var cell = (Lat: Math.Round(area.Lat, 3), Lng: Math.Round(area.Lng, 3));
        var (_, north) = await api.Host.ListedVendorAsync(admin, Catalog.Offset(cell, 1, 0), name: "North Spa");
        var (_, south) = await api.Host.ListedVendorAsync(admin, Catalog.Offset(cell, -1, 0), name: "South Spa");
        var (a, b) = ((cell.Lat + 0.0004, cell.Lng), (cell.Lat - 0.0004, cell.Lng));   // 89 m apart, one 0.001° cell
        var fromA = default(JsonElement);
        await KeptAsync(SearchVendors.CacheName, async () => fromA = await reader.Host.SearchAsync(Catalog.Query(a)));
        var hits = L1Hits(SearchVendors.CacheName);

        var fromB = await reader.Host.SearchAsync(Catalog.Query(b));

        Assert.Equal(hits + 1, L1Hits(SearchVendors.CacheName));
        Assert.Equal([north, south], fromA.Ids());
        Assert.Equal([south, north], fromB.Ids());
        Assert.True(fromA[0].GetProperty("distanceKm").GetDouble() < fromB[1].GetProperty("distanceKm").GetDouble());
    }

    [Fact]
    public async Task an_instance_that_lost_the_invalidation_serves_the_old_detail_until_its_l1_ttl_passes_on_its_clock()
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var deaf = await ApiFixture.StartHostAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        await deaf.Services.GetRequiredService<RedisConnections>().Cache.GetSubscriber().UnsubscribeAsync(RedisKeys.L1Invalidations);
        var ttl = deaf.Services.GetRequiredService<IOptions<CacheOptions>>().Value.L1Ttl;
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var area = Catalog.NewArea();
        var (_, id) = await api.Host.ListedVendorAsync(admin, area, name: "Before Spa");
        Assert.Equal("Before Spa", await Name(deaf, id));
        Assert.Equal("Before Spa", await Name(reader.Host, id));

        await api.Host.Scenario(s => { s.Put.Json(Catalog.Listing(area.Lat, area.Lng, name: "After Spa")).ToUrl($"/api/v1/vendors/{id}"); s.As(admin); s.StatusCodeShouldBeOk(); });

        Assert.Equal("After Spa", await Name(api.Host, id));
        await RedisServerProcess.WaitUntil(async () => await Name(reader.Host, id) == "After Spa", seconds: 5);   // the message went out
        Assert.Equal("Before Spa", await Name(deaf, id));
        clock.Advance(ttl - TimeSpan.FromMilliseconds(1));
        Assert.Equal("Before Spa", await Name(deaf, id));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("After Spa", await Name(deaf, id));
    }

    [Fact]
    public async Task an_instance_drops_its_l1_when_its_cache_redis_connection_comes_back()
    {
        await using var cacheRedis = await RedisServerProcess.StartAsync();   // the shared host's invalidations never reach it
        await using var alone = await ApiFixture.StartHostAsync(
            new Dictionary<string, string?> { ["REDIS_CACHE_URL"] = cacheRedis.Url, ["Cache:L1Ttl"] = "00:10:00" },
            s => s.AddSingleton<TimeProvider>(new FakeTimeProvider(TimeProvider.System.GetUtcNow())));
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var area = Catalog.NewArea();
        var (_, id) = await api.Host.ListedVendorAsync(admin, area, name: "Before Spa");
        Assert.Equal("Before Spa", await Name(alone, id));
        await api.Host.Scenario(s => { s.Put.Json(Catalog.Listing(area.Lat, area.Lng, name: "After Spa")).ToUrl($"/api/v1/vendors/{id}"); s.As(admin); s.StatusCodeShouldBeOk(); });
        Assert.Equal("Before Spa", await Name(alone, id));

        await cacheRedis.StopAsync();
        Assert.Equal("Before Spa", await Name(alone, id));   // while it is away the L1 serves within its TTL
        await cacheRedis.RestartAsync();                    // back, empty: what was missed meanwhile is unknown

        await RedisServerProcess.WaitUntil(async () => await Name(alone, id) == "After Spa", seconds: 10);
    }

    [Fact]
    public async Task a_full_l1_keeps_no_new_value_until_an_entry_expires()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++) ids.Add((await api.Host.ListedVendorAsync(admin, Catalog.NewArea(), name: $"Spa {i}")).Id);
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());   // started after the writes: none of their messages reach it
        await using var small = await ApiFixture.StartHostAsync(new Dictionary<string, string?> { ["Cache:L1MaxEntries"] = "2" },
            s => s.AddSingleton<TimeProvider>(clock));
        var (l1, metrics) = (small.Services.GetRequiredService<L1Cache>(), small.Services.GetRequiredService<CacheMetrics>());
        long Misses() => metrics.Snapshot[VendorCatalog.DetailCache].L1Misses;

        foreach (var id in ids) await Name(small, id);
        var misses = Misses();
        foreach (var id in ids) await Name(small, id);

        Assert.Equal(2, l1.Weight);
        Assert.Equal(misses + 1, Misses());                 // the third was served, not kept
        clock.Advance(small.Services.GetRequiredService<IOptions<CacheOptions>>().Value.L1Ttl);
        await Name(small, ids[2]);
        Assert.Equal(1, l1.Weight);                         // the expired two were swept, the third kept
    }

    static async Task<string?> Name(IAlbaHost host, Guid id)
    {
        var result = await host.Scenario(s => { s.Get.Url($"/api/v1/vendors/{id}"); s.StatusCodeShouldBeOk(); });
        return (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("name").GetString();
    }
}
