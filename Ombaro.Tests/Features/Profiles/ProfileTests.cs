namespace Ombaro.Tests.Features.Profiles;

[Collection(ApiCollection.Name)]
public sealed class ProfileTests(ApiFixture api)
{
    IDatabase CacheDb => api.Services.GetRequiredService<RedisConnections>().CacheDb;

    public static TheoryData<string, object> ValidUpdates => new()
    {
        { Roles.Customer, new { fullName = "Chitra Customer", email = "chitra@example.com", gender = "female", dateOfBirth = "1990-04-01", defaultAddress = "12 MG Road" } },
        { Roles.Therapist, new { fullName = "Tanvi Therapist", gender = "female", genderPreference = "female", bio = "Deep tissue", specialities = new[] { "deep tissue", "ayurveda" }, yearsExperience = 6 } },
        { Roles.Vendor, new { businessName = "Calm Spa", contactName = "Vivek Vendor", email = "owner@calm.example" } },
        { Roles.Employee, new { fullName = "Ekta Employee", email = "ekta@ombaro.example" } },
        { Roles.Admin, new { fullName = "Arun Admin" } },
    };

    [Theory]
    [MemberData(nameof(ValidUpdates))]
    public async Task every_role_reads_and_updates_its_own_profile_and_the_next_read_is_fresh(string role, object update)
    {
        var user = await api.Host.SignInAsync(role);
        var before = await Read(user);                       // now cached
        Assert.Equal(role, before.GetProperty("role").GetString());
        Assert.True(await CacheDb.KeyExistsAsync(RedisKeys.Profile(role, user.Id)));

        await api.Host.Scenario(s => { s.Put.Json(update).ToUrl("/api/v1/profile"); s.As(user); s.StatusCodeShouldBeOk(); });
        Assert.False(await CacheDb.KeyExistsAsync(RedisKeys.Profile(role, user.Id)));

        var after = await Read(user);
        foreach (var field in JsonSerializer.SerializeToElement(update, JsonSerializerOptions.Web).EnumerateObject())
            Assert.Equal(field.Value.ToString(), after.GetProperty(field.Name).ToString());
        var ttl = await CacheDb.KeyTimeToLiveAsync(RedisKeys.Profile(role, user.Id));
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(4.9), TimeSpan.FromMinutes(5.6));
    }

    [Fact]
    public async Task the_cached_value_is_plain_json_and_an_update_also_drops_the_user_snapshot()
    {
        var user = await api.Host.SignInAsync(Roles.Customer);
        await Read(user);
        Assert.Contains("\"role\":\"customer\"", (string?)await CacheDb.StringGetAsync(RedisKeys.Profile(Roles.Customer, user.Id)));
        Assert.True(await CacheDb.KeyExistsAsync(RedisKeys.User(user.Id)));   // every authenticated request reads the snapshot

        await api.Host.Scenario(s => { s.Put.Json(new { fullName = "New Name" }).ToUrl("/api/v1/profile"); s.As(user); s.StatusCodeShouldBeOk(); });

        Assert.False(await CacheDb.KeyExistsAsync(RedisKeys.User(user.Id)));
        Assert.Equal("New Name", (await Read(user)).GetProperty("fullName").GetString());
    }

    [Fact]
    public async Task a_hundred_parallel_reads_of_an_uncached_profile_load_it_from_postgres_once()
    {
        var user = await api.Host.SignInAsync(Roles.Therapist);
        var metrics = api.Services.GetRequiredService<CacheMetrics>();
        await CacheDb.KeyDeleteAsync(RedisKeys.Profile(Roles.Therapist, user.Id));
        var loadsBefore = metrics.Snapshot.TryGetValue("profile", out var t) ? t.Loads : 0;

        var clients = Enumerable.Range(0, 100).Select(_ =>
        {
            var client = api.Host.Server.CreateClient();
            client.DefaultRequestHeaders.Authorization = new("Bearer", user.Token);
            return client;
        }).ToList();
        var responses = await Task.WhenAll(clients.Select(c => c.GetAsync("/api/v1/profile")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, metrics.Snapshot["profile"].Loads - loadsBefore);
    }

    [Theory]
    [InlineData(Roles.Customer, "{\"fullName\":\"Ann\",\"businessName\":\"Spa\"}", "businessName")]
    [InlineData(Roles.Vendor, "{\"businessName\":\"Spa\"}", "contactName")]
    [InlineData(Roles.Therapist, "{\"fullName\":\"Tom\",\"genderPreference\":\"robots\"}", "genderPreference")]
    [InlineData(Roles.Customer, "{\"fullName\":\"Ann\",\"genderPreference\":\"female\"}", "genderPreference")]
    [InlineData(Roles.Customer, "{\"fullName\":\"Ann\",\"email\":\"not-an-email\"}", "email")]
    [InlineData(Roles.Customer, "{\"fullName\":\"Ann\",\"dateOfBirth\":\"2024-01-01\"}", "dateOfBirth")]
    [InlineData(Roles.Employee, "{\"fullName\":\"Emma\",\"territory\":\"Mysuru\"}", "territory")]
    [InlineData(Roles.Admin, "{\"email\":\"a@b.example\"}", "fullName")]
    [InlineData(Roles.Therapist, "{\"fullName\":\"Tom\",\"yearsExperience\":99}", "yearsExperience")]
    public async Task invalid_updates_are_rejected_per_role_with_field_errors(string role, string body, string field)
    {
        var user = await api.Host.SignInAsync(role);
        var result = await api.Host.Scenario(s =>
        {
            s.Put.Text(body).ToUrl("/api/v1/profile");
            s.WithRequestHeader("Content-Type", "application/json");
            s.As(user);
            s.StatusCodeShouldBe(HttpStatusCode.BadRequest);
        });
        var problem = await result.ReadAsJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task anonymous_callers_get_401()
    {
        await api.Host.Scenario(s => { s.Get.Url("/api/v1/profile"); s.StatusCodeShouldBe(HttpStatusCode.Unauthorized); });
        await api.Host.Scenario(s => { s.Put.Json(new { fullName = "X Y" }).ToUrl("/api/v1/profile"); s.StatusCodeShouldBe(HttpStatusCode.Unauthorized); });
    }

    async Task<JsonElement> Read(TestUser user)
    {
        var result = await api.Host.Scenario(s => { s.Get.Url("/api/v1/profile"); s.As(user); s.StatusCodeShouldBeOk(); });
        return await result.ReadAsJsonAsync<JsonElement>();
    }
}
