namespace Ombaro.Tests.Features.Therapists;

[Collection(ApiCollection.Name)]
public sealed class LocationTests(ApiFixture api)
{
    IDatabase State => api.Redis;
    NpgsqlDataSource Db => api.Services.GetRequiredService<NpgsqlDataSource>();

    [Fact]
    public async Task a_fix_is_stored_in_the_hash_geo_set_and_seen_set_and_the_hash_expires_in_five_minutes()
    {
        var therapist = await api.Host.SignInAsync(Roles.Therapist);
        var at = TimeProvider.System.GetUtcNow().AddSeconds(-2);
        await Fix(therapist, 12.5, 77.5, at);

        var hash = (await State.HashGetAllAsync(RedisKeys.TherapistLocation(therapist.Id))).ToDictionary(e => e.Name.ToString(), e => e.Value.ToString());
        Assert.Equal(("12.5", "77.5", at.ToUnixTimeMilliseconds().ToString()), (hash["lat"], hash["lng"], hash["timestamp"]));
        Assert.InRange((await State.KeyTimeToLiveAsync(RedisKeys.TherapistLocation(therapist.Id)))!.Value, TimeSpan.FromMinutes(4.9), TimeSpan.FromMinutes(5));
        Assert.NotNull(await State.GeoPositionAsync(RedisKeys.GeoTherapists, therapist.Id.ToString()));
        Assert.NotNull(await State.SortedSetScoreAsync(RedisKeys.GeoTherapistsSeen, therapist.Id.ToString()));   // its time: LocationClockTests
    }

    [Fact]
    public async Task an_out_of_order_fix_is_a_conflict()
    {
        var therapist = await api.Host.SignInAsync(Roles.Therapist);
        var now = TimeProvider.System.GetUtcNow();
        await Fix(therapist, 12.5, 77.5, now);
        var result = await api.Host.Scenario(s =>
        {
            s.Put.Json(new { latitude = 12.6, longitude = 77.6, accuracy = 5, timestamp = now.AddSeconds(-10) }).ToUrl("/api/v1/therapists/me/location");
            s.As(therapist);
            s.StatusCodeShouldBe(HttpStatusCode.Conflict);
        });
        Assert.Equal("Out-of-order location fix", (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("title").GetString());
        Assert.Equal("12.5", (string?)await State.HashGetAsync(RedisKeys.TherapistLocation(therapist.Id), "lat"));
    }

    [Fact]
    public async Task the_same_fix_sent_again_is_a_retry_answered_like_the_first_and_not_stored_again()
    {
        // A client that lost the answer (or a Redis command resent after a failover) sends the stored fix once more.
        var therapist = await api.Host.SignInAsync(Roles.Therapist);
        var at = TimeProvider.System.GetUtcNow().AddSeconds(-1);
        await Fix(therapist, 12.5, 77.5, at);
        var key = RedisKeys.TherapistLocation(therapist.Id);
        await State.HashSetAsync(key, "received", 1);   // a marker: a second write would restamp it
        var again = await Fix(therapist, 12.5, 77.5, at);
        Assert.Equal(at.ToUnixTimeMilliseconds(), (await again.ReadAsJsonAsync<JsonElement>()).GetProperty("timestamp").GetDateTimeOffset().ToUnixTimeMilliseconds());
        Assert.Equal("1", (string?)await State.HashGetAsync(key, "received"));

        var moved = await api.Host.Scenario(s =>   // the same instant at another place is no retry
        {
            s.Put.Json(new { latitude = 12.6, longitude = 77.5, accuracy = 5, timestamp = at }).ToUrl("/api/v1/therapists/me/location");
            s.As(therapist);
            s.StatusCodeShouldBe(HttpStatusCode.Conflict);
        });
        Assert.Equal("Out-of-order location fix", (await moved.ReadAsJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }

    [Theory]
    [InlineData(91, 77.5, 0, "latitude")]
    [InlineData(86, 77.5, 0, "latitude")]
    [InlineData(12.5, -181, 0, "longitude")]
    [InlineData(12.5, 77.5, 120, "timestamp")]     // two minutes in the future
    public async Task out_of_range_coordinates_and_future_fixes_are_rejected(double lat, double lng, int secondsAhead, string field)
    {
        var therapist = await api.Host.SignInAsync(Roles.Therapist);
        var result = await api.Host.Scenario(s =>
        {
            s.Put.Json(new { latitude = lat, longitude = lng, accuracy = 5, timestamp = TimeProvider.System.GetUtcNow().AddSeconds(secondsAhead) }).ToUrl("/api/v1/therapists/me/location");
            s.As(therapist);
            s.StatusCodeShouldBe(HttpStatusCode.BadRequest);
        });
        Assert.True((await result.ReadAsJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
        Assert.False(await State.KeyExistsAsync(RedisKeys.TherapistLocation(therapist.Id)));
    }

    [Fact]
    public async Task nearby_shows_a_vendor_its_own_live_therapists_and_prunes_one_silent_for_five_minutes()
    {
        var area = Catalog.NewArea();
        var (vendor, vendorId) = await VendorWithListingAsync(area);
        var live = await TherapistOfAsync(vendorId);
        var silent = await TherapistOfAsync(vendorId);
        var stranger = await api.Host.SignInAsync(Roles.Therapist);
        await Fix(live, area.Lat, area.Lng + 0.01, TimeProvider.System.GetUtcNow());
        await Fix(silent, area.Lat, area.Lng + 0.02, TimeProvider.System.GetUtcNow());
        await Fix(stranger, area.Lat, area.Lng, TimeProvider.System.GetUtcNow());
        // silent's last fix was 5 minutes and a second ago (as if the clock had moved on)
        await State.SortedSetAddAsync(RedisKeys.GeoTherapistsSeen, silent.Id.ToString(), TimeProvider.System.GetUtcNow().AddMinutes(-5).AddSeconds(-1).ToUnixTimeMilliseconds());

        var mine = await Nearby(vendor, area);
        Assert.Equal([live.Id], mine);
        Assert.Null(await State.SortedSetScoreAsync(RedisKeys.GeoTherapistsSeen, silent.Id.ToString()));
        Assert.Null(await State.GeoPositionAsync(RedisKeys.GeoTherapists, silent.Id.ToString()));

        var all = await Nearby(await api.Host.SignInAsync(Roles.Admin), area);
        Assert.Equal([stranger.Id, live.Id], all);
    }

    [Fact]
    public async Task the_location_is_readable_by_the_therapist_their_vendor_an_admin_and_a_customer_they_serve_only()
    {
        var area = Catalog.NewArea();
        var (vendor, vendorId) = await VendorWithListingAsync(area);
        var therapist = await TherapistOfAsync(vendorId);
        await Fix(therapist, area.Lat, area.Lng, TimeProvider.System.GetUtcNow());
        var served = await api.Host.SignInAsync(Roles.Customer);
        var servedBefore = await api.Host.SignInAsync(Roles.Customer);
        await BookingAsync(served, vendorId, therapist, "assigned");
        await BookingAsync(servedBefore, vendorId, therapist, "completed", minutesFromNow: -24 * 60);

        foreach (var reader in new[] { therapist, vendor, await api.Host.SignInAsync(Roles.Admin), served })
        {
            var result = await api.Host.Scenario(s => { s.Get.Url($"/api/v1/therapists/{therapist.Id}/location"); s.As(reader); s.StatusCodeShouldBeOk(); });
            Assert.Equal(area.Lat, (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("latitude").GetDouble(), 6);
        }
        foreach (var reader in new[] { servedBefore, await api.Host.SignInAsync(Roles.Customer), await api.Host.SignInAsync(Roles.Vendor),
                     await api.Host.SignInAsync(Roles.Employee), await api.Host.SignInAsync(Roles.Therapist) })
            await api.Host.Scenario(s =>
            {
                s.Get.Url($"/api/v1/therapists/{therapist.Id}/location");
                s.As(reader);
                s.StatusCodeShouldBe(HttpStatusCode.NotFound);
                s.ContentTypeShouldBe("application/problem+json");
            });
        await api.Host.Scenario(s => { s.Get.Url($"/api/v1/therapists/{therapist.Id}/location"); s.StatusCodeShouldBe(HttpStatusCode.Unauthorized); });
    }

    [Theory]
    [InlineData("PUT", "/api/v1/therapists/me/location", new[] { Roles.Therapist })]
    [InlineData("GET", "/api/v1/therapists/nearby?lat=10&lng=10", new[] { Roles.Vendor, Roles.Admin })]
    public async Task role_restricted_routes_reject_every_other_role_and_anonymous_callers(string method, string url, string[] allowed)
    {
        var body = new { latitude = 10, longitude = 10, accuracy = 5, timestamp = TimeProvider.System.GetUtcNow() };
        await api.Host.Scenario(s =>
        {
            if (method == "PUT") s.Put.Json(body).ToUrl(url); else s.Get.Url(url);
            s.StatusCodeShouldBe(HttpStatusCode.Unauthorized);
        });
        foreach (var role in Roles.All.Except(allowed))
        {
            var user = await api.Host.SignInAsync(role);
            await api.Host.Scenario(s =>
            {
                if (method == "PUT") s.Put.Json(body).ToUrl(url); else s.Get.Url(url);
                s.As(user);
                s.StatusCodeShouldBe(HttpStatusCode.Forbidden);
                s.ContentTypeShouldBe("application/problem+json");
            });
        }
    }

    Task<IScenarioResult> Fix(TestUser therapist, double lat, double lng, DateTimeOffset at) =>
        api.Host.Scenario(s =>
        {
            s.Put.Json(new { latitude = lat, longitude = lng, accuracy = 8.5, timestamp = at }).ToUrl("/api/v1/therapists/me/location");
            s.As(therapist);
            s.StatusCodeShouldBeOk();
        });

    async Task<List<Guid>> Nearby(TestUser caller, (double Lat, double Lng) at)
    {
        var result = await api.Host.Scenario(s => { s.Get.Url("/api/v1/therapists/nearby?" + Catalog.Query(at, "&radiusKm=10")); s.As(caller); s.StatusCodeShouldBeOk(); });
        return (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("therapists").EnumerateArray().Select(t => t.GetProperty("therapistId").GetGuid()).ToList();
    }

    async Task<(TestUser Owner, Guid Id)> VendorWithListingAsync((double Lat, double Lng) at)
    {
        var owner = await api.Host.SignInAsync(Roles.Vendor);
        return (owner, await api.Host.CreateVendorAsync(owner, Catalog.Listing(at.Lat, at.Lng)));
    }

    async Task<TestUser> TherapistOfAsync(Guid vendorId)
    {
        var therapist = await api.Host.SignInAsync(Roles.Therapist);
        await using var conn = await Db.OpenConnectionAsync();
        await conn.ExecuteAsync("INSERT INTO vendor_therapists (vendor_id, therapist_id) VALUES (@vendorId, @id)", new { vendorId, id = therapist.Id });
        return therapist;
    }

    async Task BookingAsync(TestUser customer, Guid vendorId, TestUser therapist, string status, int minutesFromNow = 30)
    {
        await using var conn = await Db.OpenConnectionAsync();
        var serviceId = await conn.ExecuteScalarAsync<Guid>(
            "INSERT INTO services (vendor_id, name, service_type, price, duration_minutes) VALUES (@vendorId, 'Massage', 'massage', 1000, 60) RETURNING id", new { vendorId });
        // Within the hour before its start: a customer may follow the therapist from then (LocationWindowTests has the edges).
        var starts = TimeProvider.System.GetUtcNow().AddMinutes(minutesFromNow);
        await conn.ExecuteAsync("""
            INSERT INTO bookings (customer_id, vendor_id, service_id, therapist_id, status, starts_at, ends_at, address, price)
            VALUES (@customer, @vendorId, @serviceId, @therapist, @status, @starts, @ends, 'Home', 1000)
            """, new { customer = customer.Id, vendorId, serviceId, therapist = therapist.Id, status, starts = starts.UtcDateTime, ends = starts.AddHours(1).UtcDateTime });
    }
}

/// <summary>
/// The location rules that read the clock (one fix a second, last seen) use Redis' TIME, so API instances with skewed
/// clocks agree. Redis' clock cannot be faked, so the stored "received" time is moved instead: into the future (a fix
/// is refused however long the request takes) or a second back (a fix is taken, since time only moves on).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class LocationClockTests(ApiFixture api)
{
    [Fact]
    public async Task fixes_are_one_a_second_by_redis_time_and_stamp_last_seen_with_it()
    {
        var therapist = await api.Host.SignInAsync(Roles.Therapist);
        var state = api.Redis;
        var key = RedisKeys.TherapistLocation(therapist.Id);
        var at = TimeProvider.System.GetUtcNow().AddSeconds(-5);
        Task<IScenarioResult> Fix(double lat, int n, int status) => api.Host.Scenario(s =>
        {
            s.Put.Json(new { latitude = lat, longitude = 77.5, accuracy = 5, timestamp = at.AddMilliseconds(n) }).ToUrl("/api/v1/therapists/me/location");
            s.As(therapist);
            s.StatusCodeShouldBe(status);
        });
        async Task<long> RedisNow()
        {
            var time = (RedisResult[])(await state.ExecuteAsync("TIME"))!;
            return (long)time[0] * 1000 + (long)time[1] / 1000;
        }

        var before = await RedisNow();
        await Fix(12.5, 0, 200);
        var after = await RedisNow();
        var received = (long)await state.HashGetAsync(key, "received");
        Assert.InRange(received, before, after);
        Assert.Equal(received, await state.SortedSetScoreAsync(RedisKeys.GeoTherapistsSeen, therapist.Id.ToString()));

        await state.HashSetAsync(key, "received", await RedisNow() + 60_000);
        var limited = await Fix(12.6, 1, 429);
        Assert.Equal("Too many location updates", (await limited.ReadAsJsonAsync<JsonElement>()).GetProperty("title").GetString());
        Assert.Equal("12.5", (string?)await state.HashGetAsync(key, "lat"));

        await state.HashSetAsync(key, "received", await RedisNow() - 1000);
        await Fix(12.75, 2, 200);
        Assert.Equal("12.75", (string?)await state.HashGetAsync(key, "lat"));
    }
}
