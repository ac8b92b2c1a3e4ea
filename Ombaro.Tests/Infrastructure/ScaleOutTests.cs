namespace Ombaro.Tests.Infrastructure;

/// <summary>
/// Two stateless API hosts on one Redis Cluster (both roles on a 3-master cluster of the class's own) and one
/// PostgreSQL, as behind a load balancer: what one host does, the other sees at once. This class runs in the
/// standalone suite too, so the cluster is always exercised.
/// </summary>
public sealed class ScaleOutTests(ScaleOutTests.Hosts hosts) : IClassFixture<ScaleOutTests.Hosts>
{
    public const string Policy = "scaleout";
    public const int Limit = 6;

    public sealed class Hosts : IAsyncLifetime
    {
        RedisClusterProcess cluster = null!;
        public IAlbaHost One { get; private set; } = null!;
        public IAlbaHost Two { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            cluster = await RedisClusterProcess.StartAsync(masters: 3);
            var settings = new Dictionary<string, string?>
            {
                ["REDIS_URL"] = cluster.Url,
                ["REDIS_CACHE_URL"] = cluster.Url,
                [$"RateLimiting:Policies:{Policy}:PermitLimit"] = Limit.ToString(),
                [$"RateLimiting:Policies:{Policy}:Window"] = "00:01:00",
                [$"RateLimiting:Policies:{Policy}:Partition"] = "user",
                [$"RateLimiting:Policies:{Policy}:Endpoints:0"] = "GetMe",
                ["RateLimiting:RedisTimeout"] = "00:00:05",
                ["Cache:L1Ttl"] = "00:01:00",   // what a host sees fresh within the test came by pub/sub, not by the L1 TTL
            };
            // Two hosts of their own: two instances sharing one Redis Cluster, with a rate limit of the test.
            One = await ApiFixture.StartHostAsync(settings);
            Two = await ApiFixture.StartHostAsync(settings);
        }

        public async Task DisposeAsync()
        {
            await One.DisposeAsync();
            await Two.DisposeAsync();
            await cluster.DisposeAsync();
        }
    }

    static Task<IScenarioResult> Me(IAlbaHost host, string token, int status) => host.Scenario(s =>
    {
        s.Get.Url("/api/v1/auth/me");
        s.WithBearerToken(token);
        s.StatusCodeShouldBe(status);
    });

    [Fact]
    public async Task a_logout_on_one_host_ends_the_session_on_the_other_at_once()
    {
        var user = await hosts.One.SignInAsync(Roles.Customer);
        await Me(hosts.Two, user.Token, 200);

        await hosts.Two.Scenario(s => { s.Post.Url("/api/v1/auth/logout"); s.WithBearerToken(user.Token); s.StatusCodeShouldBe(204); });

        await Me(hosts.One, user.Token, 401);
    }

    [Fact]
    public async Task the_rate_limit_is_one_budget_across_both_hosts()
    {
        var user = await hosts.One.SignInAsync(Roles.Customer);
        var clients = new[] { hosts.One.Server.CreateClient(), hosts.Two.Server.CreateClient() };
        foreach (var client in clients) client.DefaultRequestHeaders.Authorization = new("Bearer", user.Token);

        var responses = await Task.WhenAll(Enumerable.Range(0, 4 * Limit).Select(i => clients[i % 2].GetAsync("/api/v1/auth/me")));

        Assert.Equal(Limit, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        foreach (var client in clients) client.Dispose();
    }

    [Fact]
    public async Task a_hold_taken_on_one_host_is_taken_for_the_other()
    {
        var world = await BookingWorld.CreateAsync(hosts.One, therapists: 1);
        var other = (await BookingWorld.SignInManyAsync(hosts.One, 1))[0];
        await world.HoldTokenAsync(world.Customer, world.Service60, BookingWorld.FutureDate, "10:00");

        var refused = await world.On(hosts.Two).HoldAsync(other, world.Service60, BookingWorld.FutureDate, "10:00");

        Assert.Equal("Fully booked", (await refused.ProblemAsync(HttpStatusCode.Conflict)).GetProperty("title").GetString());
    }

    [Fact]
    public async Task an_edit_on_one_host_is_visible_there_at_once_and_on_the_other_hosts_l1_within_100_ms()
    {
        var admin = await hosts.One.SignInAsync(Roles.Admin);
        var owner = await hosts.One.SignInAsync(Roles.Vendor);
        var area = Catalog.NewArea();
        var created = await hosts.One.Scenario(s => { s.Post.Json(Catalog.Listing(area.Lat, area.Lng)).ToUrl("/api/v1/vendors"); s.As(owner); s.StatusCodeShouldBe(201); });
        var id = (await created.ReadAsJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await hosts.One.Scenario(s => { s.Post.Url($"/api/v1/vendors/{id}/verify"); s.As(admin); s.StatusCodeShouldBeOk(); });
        Assert.Equal("Test Spa", await Name(hosts.Two, id));   // cached on the cluster and in both hosts' L1 now
        Assert.Equal("Test Spa", await Name(hosts.One, id));

        await hosts.One.Scenario(s => { s.Put.Json(Catalog.Listing(area.Lat, area.Lng, name: "Test Spa Renamed")).ToUrl($"/api/v1/vendors/{id}"); s.As(admin); s.StatusCodeShouldBeOk(); });
        var edited = Stopwatch.StartNew();

        Assert.Equal("Test Spa Renamed", await Name(hosts.One, id));
        while (await Name(hosts.Two, id) != "Test Spa Renamed")
            Assert.True(edited.Elapsed < TimeSpan.FromSeconds(2), "host Two still serves the old name from its L1");
        Assert.InRange(edited.ElapsedMilliseconds, 0, 100);
    }

    static async Task<string?> Name(IAlbaHost host, Guid id)
    {
        var result = await host.Scenario(s => { s.Get.Url($"/api/v1/vendors/{id}"); s.StatusCodeShouldBeOk(); });
        return (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("name").GetString();
    }
}
