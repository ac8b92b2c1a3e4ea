using System.Net;
using System.Text.Json;
using Alba;
using Microsoft.Extensions.DependencyInjection;
using Ombaro.Api.Features.Vendors;
using Ombaro.Api.Infrastructure.Auth;
using Ombaro.Api.Infrastructure.Caching;
using Ombaro.Api.Infrastructure.Redis;
using Ombaro.Tests.Support;
using StackExchange.Redis;

namespace Ombaro.Tests.Features.Vendors;

[Collection(ApiCollection.Name)]
public sealed class SearchVendorsTests(ApiFixture api)
{
    IDatabase CacheDb => api.Services.GetRequiredService<RedisConnections>().CacheDb;
    CacheMetrics Metrics => api.Services.GetRequiredService<CacheMetrics>();

    [Fact]
    public async Task results_match_a_brute_force_haversine_over_generated_vendors()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var center = Catalog.NewArea();
        var vendors = new List<(Guid Id, double Lat, double Lng, string[] Types)>();
        for (var i = 0; i < 30; i++)
        {
            var at = Catalog.Offset(center, Random.Shared.NextDouble() * 40 - 20, Random.Shared.NextDouble() * 40 - 20);
            string[] types = i % 3 == 0 ? ["massage", "spa"] : ["spa"];
            var (_, id) = await api.Host.ListedVendorAsync(admin, at, types, $"Vendor {i}");
            vendors.Add((id, at.Lat, at.Lng, types));
        }

        foreach (var (radius, limit, type) in new[] { (5.0, 50, (string?)null), (12.5, 50, null), (30.0, 7, null), (25.0, 50, "massage"), (50.0, 50, "spa") })
        {
            var from = Catalog.Offset(center, Random.Shared.NextDouble() * 10 - 5, Random.Shared.NextDouble() * 10 - 5);
            var expected = vendors.Where(v => type is null || v.Types.Contains(type))
                .Select(v => (v.Id, Km: SearchCandidates.DistanceKm(from.Lat, from.Lng, v.Lat, v.Lng)))
                .Where(v => v.Km <= radius).OrderBy(v => v.Km).Take(limit).ToList();
            var found = await api.Host.SearchAsync(Catalog.Query(from,
                FormattableString.Invariant($"&radiusKm={radius}&limit={limit}") + (type is null ? "" : "&type=" + type)));

            var borderline = vendors.Where(v => Math.Abs(SearchCandidates.DistanceKm(from.Lat, from.Lng, v.Lat, v.Lng) - radius) < 0.01).Select(v => v.Id);
            Assert.Equal(expected.Select(e => e.Id).Except(borderline), found.Ids().Except(borderline));
            foreach (var (result, want) in found.EnumerateArray().Zip(expected))
                Assert.Equal(want.Km, result.GetProperty("distanceKm").GetDouble(), 0.01);
        }
    }

    [Fact]
    public async Task results_show_rating_price_range_and_the_next_opening_in_the_vendors_time_zone()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var area = Catalog.NewArea();
        var tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        var inTwoDays = TimeZoneInfo.ConvertTime(TimeProvider.System.GetUtcNow(), tokyo).Date.AddDays(2);
        var owner = await api.Host.SignInAsync(Roles.Vendor);
        var id = await api.Host.CreateVendorAsync(owner, Catalog.Listing(area.Lat, area.Lng, ["spa"], "Tokyo Spa",
            [new { weekday = (int)inTwoDays.DayOfWeek, opens = "10:00", closes = "11:00" }], "Asia/Tokyo"));
        await api.Host.Scenario(s =>
        {
            s.Post.Json(new { name = "Onsen", serviceType = "spa", price = 3000, durationMinutes = 60 }).ToUrl($"/api/v1/vendors/{id}/services");
            s.As(owner);
            s.StatusCodeShouldBe(201);
        });
        await api.Host.VerifyAsync(id, admin);

        var vendor = (await api.Host.SearchAsync(Catalog.Query(area))).EnumerateArray().Single();
        Assert.Equal(JsonValueKind.Null, vendor.GetProperty("rating").ValueKind);
        Assert.Equal(3000m, vendor.GetProperty("priceRange").GetProperty("min").GetDecimal());
        Assert.False(vendor.GetProperty("open").GetProperty("openNow").GetBoolean());
        Assert.Equal(new DateTimeOffset(inTwoDays.AddHours(10), TimeSpan.FromHours(9)), vendor.GetProperty("open").GetProperty("nextOpenAt").GetDateTimeOffset());
        Assert.EndsWith("+09:00", vendor.GetProperty("open").GetProperty("nextOpenAt").GetString());
    }

    [Fact]
    public async Task neighbours_fifty_metres_apart_share_one_cache_entry_with_their_own_distances()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var area = Catalog.NewArea();
        var cell = (Lat: Math.Round(area.Lat, 3), Lng: Math.Round(area.Lng, 3));
        var (_, id) = await api.Host.ListedVendorAsync(admin, Catalog.Offset(cell, 1, 1));
        var a = (cell.Lat - 0.0002, cell.Lng);
        var b = (cell.Lat + 0.00025, cell.Lng);                    // 50 m north of a, same 0.001° cell

        var generation = await api.Services.GetRequiredService<CacheAside>().GenerationAsync(Api.Features.Vendors.Vendors.SearchFamily);
        var key = RedisKeys.VendorSearch(Text(cell.Lat), Text(cell.Lng), "all", "5", generation);
        var first = await api.Host.SearchAsync(Catalog.Query(a));
        Assert.True(await CacheDb.KeyExistsAsync(key), $"{key} not written");
        var hits = Metrics.Snapshot[SearchVendors.CacheName].Hits;

        var second = await api.Host.SearchAsync(Catalog.Query(b));

        Assert.Equal(hits + 1, Metrics.Snapshot[SearchVendors.CacheName].Hits);
        Assert.Equal([id], first.Ids());
        Assert.Equal([id], second.Ids());
        Assert.NotEqual(first[0].GetProperty("distanceKm").GetDouble(), second[0].GetProperty("distanceKm").GetDouble());
        var ttl = await CacheDb.KeyTimeToLiveAsync(key);
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(4.9), TimeSpan.FromMinutes(5.6));
    }

    [Fact]
    public async Task a_vendor_edit_is_visible_in_search_at_once()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var area = Catalog.NewArea();
        var (_, id) = await api.Host.ListedVendorAsync(admin, area, ["spa"], "Old Name");
        Assert.Equal("Old Name", (await api.Host.SearchAsync(Catalog.Query(area)))[0].GetProperty("name").GetString());

        // an admin's rename (an owner's would need verifying again: VendorTests)
        await api.Host.Scenario(s => { s.Put.Json(Catalog.Listing(area.Lat, area.Lng, ["spa"], "New Name")).ToUrl($"/api/v1/vendors/{id}"); s.As(admin); s.StatusCodeShouldBeOk(); });

        Assert.Equal("New Name", (await api.Host.SearchAsync(Catalog.Query(area)))[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task a_missing_geo_index_is_answered_from_postgres_while_another_instance_rebuilds_it()
    {
        // A state Redis of its own: the index keys are global, and hosts of other test classes run in parallel.
        await using var redis = await RedisServerProcess.StartAsync();
        await using var host = await ApiFixture.StartHostAsync(new Dictionary<string, string?> { ["REDIS_URL"] = redis.Url });
        var admin = await host.SignInAsync(Roles.Admin);
        var area = Catalog.NewArea();
        var (_, id) = await host.ListedVendorAsync(admin, area, ["wellness"]);
        var state = host.Services.GetRequiredService<RedisConnections>().StateDb;
        await state.KeyDeleteAsync([RedisKeys.GeoVendorsBuilt, RedisKeys.GeoVendors("wellness"), RedisKeys.GeoVendors("all")]);
        await state.StringSetAsync(RedisKeys.GeoVendorsRebuilding, "another-instance", TimeSpan.FromSeconds(30));

        Assert.Equal([id], (await host.SearchAsync(Catalog.Query(area, "&type=wellness"))).Ids());
        Assert.False(await state.KeyExistsAsync(RedisKeys.GeoVendorsBuilt));

        await state.KeyDeleteAsync(RedisKeys.GeoVendorsRebuilding);   // the other instance is gone
        Assert.Equal([id], (await host.SearchAsync(Catalog.Query(Catalog.Offset(area, 0.5, 0), "&type=wellness"))).Ids());
        Assert.True(await state.KeyExistsAsync(RedisKeys.GeoVendorsBuilt));
        Assert.NotNull(await state.GeoPositionAsync(RedisKeys.GeoVendors("wellness"), id.ToString()));
        Assert.Null(await state.KeyTimeToLiveAsync(RedisKeys.GeoVendorsBuilt));   // an index: no TTL
    }

    [Fact]
    public async Task an_empty_state_redis_gets_the_geo_index_rebuilt_at_start_up()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var (_, id) = await api.Host.ListedVendorAsync(admin, Catalog.NewArea(), ["physiotherapy"]);
        await using var empty = await RedisServerProcess.StartAsync();
        await using var host = await ApiFixture.StartHostAsync(new Dictionary<string, string?> { ["REDIS_URL"] = empty.Url });

        var db = host.Services.GetRequiredService<RedisConnections>().StateDb;
        Assert.True(await db.KeyExistsAsync(RedisKeys.GeoVendorsBuilt));
        Assert.NotNull(await db.GeoPositionAsync(RedisKeys.GeoVendors("physiotherapy"), id.ToString()));
    }

    [Theory]
    [InlineData("lat=91&lng=10", "lat")]
    [InlineData("lat=-90.5&lng=10", "lat")]
    [InlineData("lat=10&lng=180.1", "lng")]
    [InlineData("lng=10", "lat")]
    [InlineData("lat=10&lng=10&radiusKm=51", "radiusKm")]
    [InlineData("lat=10&lng=10&radiusKm=0", "radiusKm")]
    [InlineData("lat=10&lng=10&limit=51", "limit")]
    [InlineData("lat=10&lng=10&limit=0", "limit")]
    [InlineData("lat=10&lng=10&type=karate", "type")]
    public async Task out_of_bounds_queries_are_validation_problems(string query, string field)
    {
        var result = await api.Host.Scenario(s => { s.Get.Url("/api/v1/vendors/search?" + query); s.StatusCodeShouldBe(HttpStatusCode.BadRequest); });
        var problem = await result.ReadAsJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task a_search_near_the_pole_beyond_the_geo_index_range_answers_from_postgres()
    {
        Assert.Empty((await api.Host.SearchAsync("lat=89.9&lng=0&radiusKm=50")).Ids());
    }

    static string Text(double v) => v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
}
