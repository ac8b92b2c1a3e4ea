using System.Text.RegularExpressions;

namespace Ombaro.Tests.Infrastructure;

/// <summary>The Redis rate limiter, on hosts of their own with tight policies named uniquely per test.</summary>
public sealed partial class RateLimitingTests
{
    const int N = 5;

    static Dictionary<string, string?> Policy(string name, int limit, string window = "00:01:00", string partition = "ip", string? endpoint = null)
    {
        var settings = new Dictionary<string, string?>
        {
            [$"RateLimiting:Policies:{name}:PermitLimit"] = limit.ToString(),
            [$"RateLimiting:Policies:{name}:Window"] = window,
            [$"RateLimiting:Policies:{name}:Partition"] = partition,
            // exactness is the script's business: a test machine under load must not make checks time out and fail open
            ["RateLimiting:RedisTimeout"] = "00:00:05",
        };
        if (endpoint is not null) settings[$"RateLimiting:Policies:{name}:Endpoints:0"] = endpoint;
        return settings;
    }

    static string NewName() => "t" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task with_a_limit_of_n_4n_parallel_requests_give_exactly_n_and_consistent_headers()
    {
        var name = NewName();
        await using var host = await Warm(await ApiFixture.StartHostAsync(Policy(name, N)));
        using var client = host.Server.CreateClient();
        var rejected = Meters.Count(host, "ombaro.ratelimit.rejected", name);

        var responses = await Task.WhenAll(Enumerable.Range(0, 4 * N).Select(_ => Task.Run(() => client.GetAsync("/api/v1/auth/me"))));

        var admitted = responses.Where(r => r.StatusCode != HttpStatusCode.TooManyRequests).ToList();
        var limited = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(N, admitted.Count);
        Assert.Equal(3 * N, rejected());
        Assert.All(admitted, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));   // admitted, then anonymous
        Assert.Equal(Enumerable.Range(0, N).Select(i => (long)i).Order(), admitted.Select(r => Remaining(r, name)).Order());
        Assert.All(responses, r => Assert.Contains($"\"{name}\";q={N};w=60", Header(r, "RateLimit-Policy")));
        foreach (var r in limited)
        {
            Assert.Equal(0, Remaining(r, name));
            var retryAfter = int.Parse(Header(r, "Retry-After"));
            Assert.InRange(retryAfter, 1, 60);
            Assert.Equal(retryAfter, Reset(r, name));
            var problem = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(("Too many requests", name), (problem.GetProperty("title").GetString(), problem.GetProperty("policy").GetString()));
            Assert.StartsWith("application/problem+json", r.Content.Headers.ContentType!.ToString());
        }
        var ttl = await host.Services.GetRequiredService<RedisConnections>().StateDb.KeyTimeToLiveAsync(RedisKeys.RateLimit("unknown", name));
        Assert.InRange(ttl!.Value, TimeSpan.FromSeconds(55), TimeSpan.FromSeconds(60));
    }

    /// <summary>
    /// Time passes on the stored log (the script reads it against Redis' own clock): the first of three requests is
    /// made 61 s old and the other two 30 s, so exactly one request fits again; a fixed window would admit none or three.
    /// </summary>
    [Fact]
    public async Task the_window_slides_a_request_is_admitted_again_once_the_oldest_leaves_it()
    {
        var name = NewName();
        await using var host = await Warm(await ApiFixture.StartHostAsync(Policy(name, 3)));
        var redis = host.Services.GetRequiredService<RedisConnections>().StateDb;
        var key = RedisKeys.RateLimit("unknown", name);
        var rejected = Meters.Count(host, "ombaro.ratelimit.rejected", name);
        using var client = host.Server.CreateClient();
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.GetAsync("/api/v1/auth/me")).StatusCode);
        Assert.Equal(1, rejected());

        var log = await redis.SortedSetRangeByRankWithScoresAsync(key);
        Assert.Equal(3, log.Length);   // the refused request was not recorded
        var last = log[^1].Score;
        await redis.SortedSetAddAsync(key, [new(log[0].Element, last - 61_000), new(log[1].Element, last - 30_000), new(log[2].Element, last - 30_000)]);

        var again = await client.GetAsync("/api/v1/auth/me");
        var refused = await client.GetAsync("/api/v1/auth/me");

        Assert.Equal((HttpStatusCode.Unauthorized, 0L), (again.StatusCode, Remaining(again, name)));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.InRange(int.Parse(Header(refused, "Retry-After")), 20, 30);   // until the 30 s old requests leave, not a whole window
        Assert.Equal(2, rejected());
    }

    [Fact]
    public async Task a_second_api_host_on_the_same_redis_shares_the_limit()
    {
        var name = NewName();
        await using var one = await Warm(await ApiFixture.StartHostAsync(Policy(name, N)));
        await using var two = await Warm(await ApiFixture.StartHostAsync(Policy(name, N)));
        using var a = one.Server.CreateClient();
        using var b = two.Server.CreateClient();

        var responses = await Task.WhenAll(Enumerable.Range(0, 4 * N).Select(i => Task.Run(() => (i % 2 == 0 ? a : b).GetAsync("/api/v1/auth/me"))));

        Assert.Equal(N, responses.Count(r => r.StatusCode != HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task endpoint_policies_apply_only_to_their_endpoint_and_users_have_their_own_budget()
    {
        var ip = NewName();
        var user = NewName();
        var settings = Policy(ip, 1, endpoint: "ListSessions");
        foreach (var (k, v) in Policy(user, 2, partition: "user")) settings[k] = v;
        await using var host = await ApiFixture.StartHostAsync(settings);
        var alice = await host.SignInAsync("customer");
        var bob = await host.SignInAsync("customer");

        await host.Scenario(s => { s.Get.Url("/api/v1/auth/sessions"); s.As(alice); s.StatusCodeShouldBeOk(); });
        await host.Scenario(s => { s.Get.Url("/api/v1/auth/sessions"); s.As(bob); s.StatusCodeShouldBe(429); });   // the ip budget of ListSessions is spent
        await host.Scenario(s => { s.Get.Url("/api/v1/auth/me"); s.As(alice); s.StatusCodeShouldBeOk(); });       // other endpoints are not
        await host.Scenario(s => { s.Get.Url("/api/v1/auth/me"); s.As(alice); s.StatusCodeShouldBe(429); });      // alice's 2 per minute are
        await host.Scenario(s => { s.Get.Url("/api/v1/auth/me"); s.As(bob); s.StatusCodeShouldBeOk(); });
    }

    [Fact]
    public async Task otp_requests_are_limited_per_mobile()
    {
        var name = NewName();
        await using var host = await ApiFixture.StartHostAsync(Policy(name, 1, partition: "mobile", endpoint: "VerifyOtp"));
        var mobile = OtpLogin.NewMobile();

        await host.VerifyOtpAsync(mobile, "123456", 400);
        var limited = await host.VerifyOtpAsync(mobile, "123456", 429);
        await host.VerifyOtpAsync(OtpLogin.NewMobile(), "123456", 400);   // another mobile is not limited

        Assert.Equal(name, (await limited.ReadAsJsonAsync<JsonElement>()).GetProperty("policy").GetString());
        Assert.True(limited.Context.Response.Headers.ContainsKey("Retry-After"));
    }

    [Fact]
    public async Task forwarded_for_is_believed_only_from_a_trusted_proxy()
    {
        var name = NewName();
        var settings = Policy(name, 1);
        settings["RateLimiting:TrustedProxies:0"] = "10.0.0.0/8";
        await using var host = await ApiFixture.StartHostAsync(settings);
        var redis = host.Services.GetRequiredService<RedisConnections>().StateDb;

        await Get(host, "10.1.2.3", "203.0.113.7, 10.9.9.9");   // through two trusted proxies: the client is 203.0.113.7
        await Get(host, "198.51.100.1", "203.0.113.8");          // an untrusted peer: its header is ignored

        Assert.True(await redis.KeyExistsAsync(RedisKeys.RateLimit("203.0.113.7", name)));
        Assert.True(await redis.KeyExistsAsync(RedisKeys.RateLimit("198.51.100.1", name)));
        Assert.False(await redis.KeyExistsAsync(RedisKeys.RateLimit("203.0.113.8", name)));

        static Task Get(IAlbaHost host, string peer, string forwarded) => host.Scenario(s =>
        {
            s.Get.Url("/api/v1/auth/me");
            s.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = IPAddress.Parse(peer));
            s.WithRequestHeader("X-Forwarded-For", forwarded);
            s.StatusCodeShouldBe(401);
        });
    }

    [Theory]
    [InlineData(null, "2001:db8:7:1::/64")]
    [InlineData("128", "2001:db8:7:1::a")]
    public async Task ipv6_clients_are_limited_per_configured_prefix(string? prefixLength, string expectedSubject)
    {
        var name = NewName();
        var settings = Policy(name, 1);
        if (prefixLength is not null) settings["RateLimiting:IPv6PrefixLength"] = prefixLength;
        await using var host = await ApiFixture.StartHostAsync(settings);
        var redis = host.Services.GetRequiredService<RedisConnections>().StateDb;

        await Get(host, "2001:db8:7:1::a", 401);
        await Get(host, "2001:db8:7:1:ffff:1234:5678:9abc", prefixLength is null ? 429 : 401);   // rotated inside the /64
        await Get(host, "2001:db8:7:2::a", 401);                                                 // another /64

        Assert.True(await redis.KeyExistsAsync(RedisKeys.RateLimit(expectedSubject, name)));

        static Task Get(IAlbaHost host, string peer, int status) => host.Scenario(s =>
        {
            s.Get.Url("/api/v1/auth/me");
            s.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = IPAddress.Parse(peer));
            s.StatusCodeShouldBe(status);
        });
    }

    [Fact]
    public async Task forged_tokens_naming_a_user_do_not_spend_that_users_budget()
    {
        var user = NewName();
        await using var host = await ApiFixture.StartHostAsync(Policy(user, 2, partition: "user"));
        var alice = await host.SignInAsync("customer");
        var forged = alice.Id.ToString("N") + "." + new string('A', 43);   // her user id, a made-up secret

        for (var i = 0; i < 4; i++)
            await host.Scenario(s => { s.Get.Url("/api/v1/auth/me"); s.WithBearerToken(forged); s.StatusCodeShouldBe(401); });

        var redis = host.Services.GetRequiredService<RedisConnections>().StateDb;
        Assert.False(await redis.KeyExistsAsync(RedisKeys.RateLimit("user-" + alice.Id, user)));
        await host.Scenario(s => { s.Get.Url("/api/v1/auth/me"); s.As(alice); s.StatusCodeShouldBeOk(); });
        await host.Scenario(s => { s.Get.Url("/api/v1/auth/me"); s.As(alice); s.StatusCodeShouldBeOk(); });   // her 2 per minute are whole
        await host.Scenario(s => { s.Get.Url("/api/v1/auth/me"); s.As(alice); s.StatusCodeShouldBe(429); });
    }

    [Fact]
    public async Task redis_down_fails_open_by_default_with_a_warning_and_a_counter()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        var logs = new CapturingLoggerProvider();
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var budget = TimeSpan.FromMilliseconds(250);
        await using var host = await ApiFixture.StartHostAsync(
            new Dictionary<string, string?> { ["REDIS_URL"] = redis.Url, ["REDIS_CACHE_URL"] = redis.Url, ["RateLimiting:RedisTimeout"] = budget.ToString() },
            s => { s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs); s.AddSingleton<TimeProvider>(clock); });
        var failures = Meters.Count(host, "ombaro.ratelimit.unavailable");
        await Warm(host);
        using (var admin = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Port},allowAdmin=true"))
            await admin.GetDatabase().ExecuteAsync("CLIENT", "PAUSE", "10000", "ALL");   // Redis answers nobody: a stall, not a refusal

        var call = host.Scenario(s => { s.Get.Url("/api/v1/no-such-route"); s.StatusCodeShouldBe(404); });   // let through
        clock.Advance(budget - TimeSpan.FromMilliseconds(1));
        Assert.False(call.IsCompleted, "gave up before the budget was spent");
        // steps of a tenth of the budget: a request that reached the limiter after the first advance still gives up in
        // about ten polls, long before Redis' pause ends
        await RedisServerProcess.WaitUntil(() => { clock.Advance(budget / 10); return Task.FromResult(call.IsCompleted); });
        await call;   // answered after the budget on the app's clock, not after Redis' pause

        Assert.True(failures() >= 1);
        Assert.Contains(logs.Messages, m => m.StartsWith("Warning") && m.Contains("Rate limiting: Redis unavailable") && m.Contains("fail open"));
        await redis.StopAsync();   // the pause would hold the host's disposal
    }

    [Fact]
    public async Task redis_down_fails_closed_when_configured()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        await using var host = await ApiFixture.StartHostAsync(new Dictionary<string, string?>
        {
            ["REDIS_URL"] = redis.Url, ["REDIS_CACHE_URL"] = redis.Url, ["RateLimiting:FailClosed"] = "true",
        });
        await redis.StopAsync();

        var result = await host.Scenario(s => { s.Get.Url("/api/v1/no-such-route"); s.StatusCodeShouldBe(503); });
        Assert.Contains("Rate limits cannot be checked", (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    /// <summary>Connects the host to Redis before a burst, so the burst measures the limiter, not the first connect.</summary>
    static async Task<IAlbaHost> Warm(IAlbaHost host)
    {
        await host.Services.GetRequiredService<RedisConnections>().StateDb.PingAsync();
        return host;
    }


    static string Header(HttpResponseMessage r, string name) =>
        r.Headers.TryGetValues(name, out var v) ? string.Join(", ", v) : r.Content.Headers.TryGetValues(name, out var c) ? string.Join(", ", c) : "";

    static long Remaining(HttpResponseMessage r, string policy) => long.Parse(Item(r, policy).Groups["r"].Value);
    static long Reset(HttpResponseMessage r, string policy) => long.Parse(Item(r, policy).Groups["t"].Value);
    static Match Item(HttpResponseMessage r, string policy) => Regex.Match(Header(r, "RateLimit"), $"\"{policy}\";r=(?<r>[0-9]+);t=(?<t>[0-9]+)");
}
