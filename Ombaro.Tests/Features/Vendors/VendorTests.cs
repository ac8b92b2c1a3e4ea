namespace Ombaro.Tests.Features.Vendors;

[Collection(ApiCollection.Name)]
public sealed class VendorTests(ApiFixture api)
{
    IDatabase State => api.Redis;
    IDatabase CacheDb => api.Services.GetRequiredService<RedisConnections>().CacheDb;

    [Fact]
    public async Task a_new_listing_is_pending_and_only_its_owner_and_staff_can_see_it()
    {
        var owner = await api.Host.SignInAsync(Roles.Vendor);
        var id = await api.Host.CreateVendorAsync(owner, Catalog.Listing(10, 10));

        foreach (var role in new[] { Roles.Admin, Roles.Employee })
        {
            var staff = await api.Host.SignInAsync(role);
            await api.Host.Scenario(s => { s.Get.Url($"/api/v1/vendors/{id}"); s.As(staff); s.StatusCodeShouldBeOk(); });
        }
        var mine = await api.Host.Scenario(s => { s.Get.Url($"/api/v1/vendors/{id}"); s.As(owner); s.StatusCodeShouldBeOk(); });
        Assert.Equal("pending", (await mine.ReadAsJsonAsync<JsonElement>()).GetProperty("status").GetString());

        await api.Host.Scenario(s => { s.Get.Url($"/api/v1/vendors/{id}"); s.StatusCodeShouldBe(HttpStatusCode.NotFound); });
        var stranger = await api.Host.SignInAsync(Roles.Vendor);
        await api.Host.Scenario(s => { s.Get.Url($"/api/v1/vendors/{id}"); s.As(stranger); s.StatusCodeShouldBe(HttpStatusCode.NotFound); });
        await api.Host.Scenario(s => { s.Put.Json(Catalog.Listing(10, 10)).ToUrl($"/api/v1/vendors/{id}"); s.As(stranger); s.StatusCodeShouldBe(HttpStatusCode.NotFound); });
    }

    [Fact]
    public async Task verification_lists_the_vendor_writes_the_audit_log_and_deactivation_delists_it_at_once()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var employee = await api.Host.SignInAsync(Roles.Employee);
        var area = Catalog.NewArea();
        var owner = await api.Host.SignInAsync(Roles.Vendor);
        var id = await api.Host.CreateVendorAsync(owner, Catalog.Listing(area.Lat, area.Lng, ["spa", "salon"]));
        Assert.Empty((await api.Host.SearchAsync(Catalog.Query(area))).Ids());

        await api.Host.VerifyAsync(id, employee);
        Assert.NotNull(await State.GeoPositionAsync(RedisKeys.GeoVendors("spa"), id.ToString()));
        Assert.NotNull(await State.GeoPositionAsync(RedisKeys.GeoVendors("all"), id.ToString()));
        Assert.Null(await State.GeoPositionAsync(RedisKeys.GeoVendors("massage"), id.ToString()));
        Assert.Equal([id], (await api.Host.SearchAsync(Catalog.Query(area))).Ids());
        await api.Host.Scenario(s => { s.Get.Url($"/api/v1/vendors/{id}"); s.StatusCodeShouldBeOk(); });

        await api.Host.Scenario(s => { s.Post.Json(new { reason = "closed" }).ToUrl($"/api/v1/vendors/{id}/deactivate"); s.As(admin); s.StatusCodeShouldBeOk(); });
        Assert.Null(await State.GeoPositionAsync(RedisKeys.GeoVendors("spa"), id.ToString()));
        Assert.Null(await State.GeoPositionAsync(RedisKeys.GeoVendors("all"), id.ToString()));
        Assert.Empty((await api.Host.SearchAsync(Catalog.Query(area))).Ids());
        await api.Host.Scenario(s => { s.Get.Url($"/api/v1/vendors/{id}"); s.StatusCodeShouldBe(HttpStatusCode.NotFound); });

        await using var conn = await api.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        var actions = (await conn.QueryAsync<(string Action, Guid Actor)>(
            "SELECT action, actor_id FROM audit_log WHERE entity = 'vendor' AND entity_id = @id ORDER BY id", new { id = id.ToString() })).ToList();
        Assert.Equal([("vendor.created", owner.Id), ("vendor.verified", employee.Id), ("vendor.deactivated", admin.Id)], actions);
    }

    [Fact]
    public async Task a_type_change_moves_the_vendor_between_geo_sets_and_only_owner_or_admin_may_edit()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var area = Catalog.NewArea();
        var (owner, id) = await api.Host.ListedVendorAsync(admin, area, ["massage", "spa"]);

        var other = await api.Host.SignInAsync(Roles.Vendor);
        var forbidden = await api.Host.Scenario(s =>
        {
            s.Put.Json(Catalog.Listing(area.Lat, area.Lng, ["spa"])).ToUrl($"/api/v1/vendors/{id}");
            s.As(other);
            s.StatusCodeShouldBe(HttpStatusCode.Forbidden);
        });
        Assert.Equal(403, (await forbidden.ReadAsJsonAsync<JsonElement>()).GetProperty("status").GetInt32());

        await api.Host.Scenario(s => { s.Put.Json(Catalog.Listing(area.Lat, area.Lng, ["spa"])).ToUrl($"/api/v1/vendors/{id}"); s.As(owner); s.StatusCodeShouldBeOk(); });
        Assert.Null(await State.GeoPositionAsync(RedisKeys.GeoVendors("massage"), id.ToString()));
        Assert.NotNull(await State.GeoPositionAsync(RedisKeys.GeoVendors("spa"), id.ToString()));
        Assert.Empty((await api.Host.SearchAsync(Catalog.Query(area, "&type=massage"))).Ids());

        await api.Host.Scenario(s => { s.Put.Json(Catalog.Listing(area.Lat, area.Lng, ["spa"], "By Admin")).ToUrl($"/api/v1/vendors/{id}"); s.As(admin); s.StatusCodeShouldBeOk(); });
    }

    [Theory]
    [InlineData("name")]
    [InlineData("address")]
    [InlineData("coordinates")]
    public async Task a_verified_vendor_that_renames_or_moves_itself_goes_back_to_pending_until_verified_again(string change)
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var area = Catalog.NewArea();
        var (owner, id) = await api.Host.ListedVendorAsync(admin, area, ["massage"]);
        await api.Host.Scenario(s => { s.Get.Url($"/api/v1/vendors/{id}"); s.StatusCodeShouldBeOk(); });   // cached as public
        var moved = Catalog.Offset(area, 0.5, 0);
        var listing = change switch
        {
            "name" => Catalog.Listing(area.Lat, area.Lng, name: "Renamed Spa"),
            "address" => JsonSerializer.SerializeToElement(Catalog.Listing(area.Lat, area.Lng), JsonSerializerOptions.Web).Edit("address", "2 Other Street"),
            _ => Catalog.Listing(moved.Lat, moved.Lng),
        };

        var updated = await api.Host.Scenario(s => { s.Put.Json(listing).ToUrl($"/api/v1/vendors/{id}"); s.As(owner); s.StatusCodeShouldBeOk(); });

        var body = await updated.ReadAsJsonAsync<JsonElement>();
        Assert.Equal(("pending", JsonValueKind.Null), (body.GetProperty("status").GetString(), body.GetProperty("verifiedAt").ValueKind));
        Assert.Empty((await api.Host.SearchAsync(Catalog.Query(change == "coordinates" ? moved : area))).Ids());
        Assert.Null(await State.GeoPositionAsync(RedisKeys.GeoVendors("all"), id.ToString()));
        await api.Host.Scenario(s => { s.Get.Url($"/api/v1/vendors/{id}"); s.StatusCodeShouldBe(HttpStatusCode.NotFound); });
        Assert.Equal(1, await api.Host.ScalarAsync<int>(
            "SELECT count(*)::int FROM audit_log WHERE entity_id = @id AND action = 'vendor.reverification-required' AND actor_id = @owner",
            new { id = id.ToString(), owner = owner.Id }));

        await api.Host.VerifyAsync(id, admin);
        Assert.Equal([id], (await api.Host.SearchAsync(Catalog.Query(change == "coordinates" ? moved : area))).Ids());
    }

    [Fact]
    public async Task other_edits_by_the_owner_and_any_edit_by_an_admin_keep_the_verification()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var area = Catalog.NewArea();
        var (owner, id) = await api.Host.ListedVendorAsync(admin, area, ["massage"]);

        await api.Host.Scenario(s => { s.Put.Json(Catalog.Listing(area.Lat, area.Lng, ["massage", "spa"])).ToUrl($"/api/v1/vendors/{id}"); s.As(owner); s.StatusCodeShouldBeOk(); });
        await api.Host.Scenario(s => { s.Put.Json(Catalog.Listing(area.Lat, area.Lng, ["massage"], "Admin Named")).ToUrl($"/api/v1/vendors/{id}"); s.As(admin); s.StatusCodeShouldBeOk(); });

        Assert.Equal([id], (await api.Host.SearchAsync(Catalog.Query(area))).Ids());
        Assert.Equal("Admin Named", await api.Host.ScalarAsync<string>("SELECT name FROM vendors WHERE id = @id AND status = 'active' AND verified_at IS NOT NULL", new { id }));
    }

    [Fact]
    public async Task detail_is_cached_ten_minutes_and_a_new_service_shows_at_once_with_its_price_range()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var (owner, id) = await api.Host.ListedVendorAsync(admin, Catalog.NewArea(), ["massage"]);
        await api.Host.Scenario(s => { s.Get.Url($"/api/v1/vendors/{id}"); s.StatusCodeShouldBeOk(); });
        var ttl = await CacheDb.KeyTimeToLiveAsync(RedisKeys.VendorDetail(id));
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(9.9), TimeSpan.FromMinutes(11.1));

        await api.Host.Scenario(s =>
        {
            s.Post.Json(new { name = "Deep tissue 60", serviceType = "massage", price = 1999.00, durationMinutes = 60 }).ToUrl($"/api/v1/vendors/{id}/services");
            s.As(owner);
            s.StatusCodeShouldBe(201);
        });
        await api.Host.Scenario(s =>
        {
            s.Post.Json(new { name = "Deep tissue 90", serviceType = "massage", price = 2499.50, durationMinutes = 90 }).ToUrl($"/api/v1/vendors/{id}/services");
            s.As(admin);
            s.StatusCodeShouldBe(201);
        });

        var detail = await (await api.Host.Scenario(s => { s.Get.Url($"/api/v1/vendors/{id}"); s.StatusCodeShouldBeOk(); })).ReadAsJsonAsync<JsonElement>();
        Assert.Equal(2, detail.GetProperty("services").GetArrayLength());
        Assert.Equal((1999m, 2499.5m, "INR"), (detail.GetProperty("priceRange").GetProperty("min").GetDecimal(),
            detail.GetProperty("priceRange").GetProperty("max").GetDecimal(), detail.GetProperty("priceRange").GetProperty("currency").GetString()));
        Assert.True(detail.GetProperty("open").GetProperty("openNow").GetBoolean() || detail.GetProperty("open").TryGetProperty("nextOpenAt", out _));
    }

    [Fact]
    public async Task a_service_of_a_type_the_vendor_does_not_offer_is_rejected()
    {
        var owner = await api.Host.SignInAsync(Roles.Vendor);
        var id = await api.Host.CreateVendorAsync(owner, Catalog.Listing(10, 10, ["spa"]));
        var result = await api.Host.Scenario(s =>
        {
            s.Post.Json(new { name = "Haircut", serviceType = "salon", price = 500, durationMinutes = 30 }).ToUrl($"/api/v1/vendors/{id}/services");
            s.As(owner);
            s.StatusCodeShouldBe(HttpStatusCode.BadRequest);
        });
        Assert.True((await result.ReadAsJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("serviceType", out _));
        var bad = await api.Host.Scenario(s =>
        {
            s.Post.Json(new { name = "Odd", serviceType = "spa", price = -1, durationMinutes = 20 }).ToUrl($"/api/v1/vendors/{id}/services");
            s.As(owner);
            s.StatusCodeShouldBe(HttpStatusCode.BadRequest);
        });
        var errors = (await bad.ReadAsJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("price", out _) && errors.TryGetProperty("durationMinutes", out _), errors.ToString());
    }

    [Fact]
    public async Task an_invalid_listing_is_a_validation_problem_naming_each_field()
    {
        var owner = await api.Host.SignInAsync(Roles.Vendor);
        var result = await api.Host.Scenario(s =>
        {
            s.Post.Json(new
            {
                name = "X", address = "1 Test Street", city = "Testville", latitude = 95.0, longitude = 10.0, serviceTypes = new[] { "karate" },
                timeZone = "Mars/Olympus", openingHours = new[] { new { weekday = 7, opens = "18:00", closes = "09:00" } },
            }).ToUrl("/api/v1/vendors");
            s.As(owner);
            s.StatusCodeShouldBe(HttpStatusCode.BadRequest);
        });
        var errors = (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "name", "latitude", "serviceTypes[0]", "timeZone", "openingHours[0].weekday", "openingHours[0].closes" })
            Assert.True(errors.TryGetProperty(field, out _), $"{field} missing in {errors}");
    }

    public static TheoryData<string, string, string[]> RestrictedRoutes => new()
    {
        { "POST", "/api/v1/vendors", [Roles.Vendor] },
        { "PUT", "/api/v1/vendors/{id}", [Roles.Vendor, Roles.Admin] },
        { "POST", "/api/v1/vendors/{id}/services", [Roles.Vendor, Roles.Admin] },
        { "POST", "/api/v1/vendors/{id}/verify", [Roles.Admin, Roles.Employee] },
        { "POST", "/api/v1/vendors/{id}/deactivate", [Roles.Admin, Roles.Employee] },
    };

    [Theory]
    [MemberData(nameof(RestrictedRoutes))]
    public async Task role_restricted_routes_reject_every_other_role_and_anonymous_callers(string method, string route, string[] allowed)
    {
        var url = route.Replace("{id}", Guid.NewGuid().ToString());
        await api.Host.Scenario(s => { Send(s, method, url); s.StatusCodeShouldBe(HttpStatusCode.Unauthorized); });
        foreach (var role in Roles.All.Except(allowed))
        {
            var user = await api.Host.SignInAsync(role);
            var result = await api.Host.Scenario(s => { Send(s, method, url); s.As(user); s.StatusCodeShouldBe(HttpStatusCode.Forbidden); });
            Assert.Equal(403, (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("status").GetInt32());
        }
    }

    static void Send(Scenario s, string method, string url)
    {
        var body = Catalog.Listing(10, 10);
        if (method == "POST") s.Post.Json(body).ToUrl(url);
        else s.Put.Json(body).ToUrl(url);
    }
}

static class JsonEdits
{
    /// <summary>A copy of a JSON object with one property replaced.</summary>
    public static Dictionary<string, object?> Edit(this JsonElement e, string name, object? value)
    {
        var copy = e.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value);
        copy[name] = value;
        return copy;
    }
}
