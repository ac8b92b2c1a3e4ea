using Ombaro.Api.Features.Vendors;

namespace Ombaro.Tests.Features.Vendors;

[Collection(ApiCollection.Name)]
public sealed class SearchVendorsTests(ApiFixture api)
{
    IDatabase CacheDb => api.Services.GetRequiredService<RedisConnections>().CacheDb;
    CacheMetrics Metrics => api.Services.GetRequiredService<CacheMetrics>();

    /// <summary>
    /// Great-circle distance written independently of the API's (atan2 form of the haversine), on Redis' earth
    /// radius (6372.7976 km, what GEOSEARCH measures with): 1/111.2° of latitude is 1.000236 km.
    /// </summary>
    static double Km((double Lat, double Lng) a, (double Lat, double Lng) b)
    {
        const double radius = 6372.7976, toRad = Math.PI / 180;
        var dLat = (b.Lat - a.Lat) * toRad;
        var dLng = (b.Lng - a.Lng) * toRad;
        var h = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) + Math.Cos(a.Lat * toRad) * Math.Cos(b.Lat * toRad) * Math.Sin(dLng / 2) * Math.Sin(dLng / 2);
        return radius * 2 * Math.Atan2(Math.Sqrt(h), Math.Sqrt(1 - h));
    }

    [Fact]
    public async Task results_match_an_independent_haversine_over_generated_vendors()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var center = Catalog.NewArea();
        var vendors = new List<(Guid Id, (double Lat, double Lng) At, string[] Types)>();
        for (var i = 0; i < 30; i++)
        {
            var at = Catalog.Offset(center, Random.Shared.NextDouble() * 40 - 20, Random.Shared.NextDouble() * 40 - 20);
            string[] types = i % 3 == 0 ? ["massage", "spa"] : ["spa"];
            var (_, id) = await api.Host.ListedVendorAsync(admin, at, types, $"Vendor {i}");
            vendors.Add((id, at, types));
        }

        foreach (var (radius, limit, type) in new[] { (5.0, 50, (string?)null), (12.5, 50, null), (30.0, 7, null), (25.0, 50, "massage"), (50.0, 50, "spa") })
        {
            var from = Catalog.Offset(center, Random.Shared.NextDouble() * 10 - 5, Random.Shared.NextDouble() * 10 - 5);
            var expected = vendors.Where(v => type is null || v.Types.Contains(type))
                .Select(v => (v.Id, Km: Km(from, v.At)))
                .Where(v => v.Km <= radius).OrderBy(v => v.Km).Take(limit).ToList();
            var found = await api.Host.SearchAsync(Catalog.Query(from,
                FormattableString.Invariant($"&radiusKm={radius}&limit={limit}") + (type is null ? "" : "&type=" + type)));

            var borderline = vendors.Where(v => Math.Abs(Km(from, v.At) - radius) < 0.001).Select(v => v.Id);
            Assert.Equal(expected.Select(e => e.Id).Except(borderline), found.Ids().Except(borderline));
            foreach (var (result, want) in found.EnumerateArray().Zip(expected))
                Assert.Equal(want.Km, result.GetProperty("distanceKm").GetDouble(), 0.0006);
        }
    }

    [Fact]
    public async Task a_vendor_just_inside_the_radius_is_found_and_one_just_outside_is_not()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var from = Catalog.NewArea();
        var (_, inside) = await api.Host.ListedVendorAsync(admin, Catalog.Offset(from, 4.98, 0));    // 4.981 km
        var (_, outside) = await api.Host.ListedVendorAsync(admin, Catalog.Offset(from, -5.01, 0));  // 5.011 km
        var (_, near) = await api.Host.ListedVendorAsync(admin, Catalog.Offset(from, 0, 1));         // 1.000 km east

        var found = await api.Host.SearchAsync(Catalog.Query(from, "&radiusKm=5"));

        Assert.Equal([near, inside], found.Ids());
        Assert.DoesNotContain(outside, found.Ids());
        Assert.Equal(1.000, found[0].GetProperty("distanceKm").GetDouble(), 0.0006);
        Assert.Equal(4.981, found[1].GetProperty("distanceKm").GetDouble(), 0.0006);
        Assert.Equal([near, inside, outside], (await api.Host.SearchAsync(Catalog.Query(from, "&radiusKm=5.02"))).Ids());
    }

    /// <summary>
    /// A cell caches only the 100 vendors nearest its centre. Here 100 sit 3 km north of the centre and one 3.02 km
    /// south, so the cell leaves that one out; yet from a point 33 m south of the centre it is the nearest of all.
    /// </summary>
    [Fact]
    public async Task in_a_crowded_cell_a_vendor_beyond_the_cells_hundred_is_found_by_the_re_query()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var area = Catalog.NewArea();
        var cell = (Lat: Math.Round(area.Lat, 3), Lng: Math.Round(area.Lng, 3));
        var crowd = Catalog.Offset(cell, 3, 0);
        var owner = await api.Host.UserAsync(Roles.Vendor);
        await using (var conn = await api.Host.Db().OpenConnectionAsync())
        {
            var ids = (await conn.QueryAsync<Guid>("""
                INSERT INTO vendors (owner_user_id, name, address, city, latitude, longitude, service_types, status, verified_at)
                SELECT @owner, 'Crowd ' || i, '1 Test Street', 'Testville', @lat, @lng + i * 0.000001, ARRAY['massage'], 'active', now()
                FROM generate_series(1, 100) i RETURNING id
                """, new { owner, lat = crowd.Lat, lng = crowd.Lng })).ToList();
            var index = api.Services.GetRequiredService<VendorGeoIndex>();
            await Task.WhenAll(ids.Select((id, i) => index.SyncAsync(new VendorGeoIndex.Entry(id, crowd.Lat, crowd.Lng + (i + 1) * 0.000001, ["massage"]))));
        }
        var (_, beyond) = await api.Host.ListedVendorAsync(admin, Catalog.Offset(cell, -3.02, 0));   // also a new search generation
        var from = (cell.Lat - 0.0003, cell.Lng);

        var found = await api.Host.SearchAsync(Catalog.Query(from, "&limit=50"));

        Assert.Equal(50, found.GetArrayLength());
        Assert.Equal(beyond, found.Ids()[0]);
        Assert.Equal(Km(from, Catalog.Offset(cell, -3.02, 0)), found[0].GetProperty("distanceKm").GetDouble(), 0.0006);
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

        var generation = await api.Services.GetRequiredService<CacheAside>().GenerationAsync(Api.Features.Vendors.VendorCatalog.SearchFamily);
        var key = RedisKeys.VendorSearch(Text(cell.Lat), Text(cell.Lng), "all", "5", generation);
        var first = await api.Host.SearchAsync(Catalog.Query(a));
        Assert.True(await CacheDb.KeyExistsAsync(key), $"{key} not written");
        var hits = Metrics.Snapshot[SearchVendors.CacheName].L1Hits;

        var second = await api.Host.SearchAsync(Catalog.Query(b));

        Assert.Equal(hits + 1, Metrics.Snapshot[SearchVendors.CacheName].L1Hits);   // the entry this instance keeps (L1)
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
    public async Task a_search_near_the_pole_beyond_the_geo_index_range_finds_a_vendor_inside_it()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var lng = Math.Round(Random.Shared.NextDouble() * 340 - 170, 4);
        var (_, id) = await api.Host.ListedVendorAsync(admin, (85.0, lng));   // in the geo index (GEOADD takes up to 85.0511°)

        var found = await api.Host.SearchAsync(Catalog.Query((85.2, lng), "&radiusKm=50"));   // beyond it: PostgreSQL

        Assert.Equal([id], found.Ids());
        Assert.Equal(Km((85.2, lng), (85.0, lng)), found[0].GetProperty("distanceKm").GetDouble(), 0.0006);
        Assert.Empty((await api.Host.SearchAsync(FormattableString.Invariant($"lat=89.9&lng={lng}&radiusKm=50"))).Ids());
    }

    static string Text(double v) => v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
}
