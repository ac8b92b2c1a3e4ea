using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Ombaro.Api.Infrastructure.RateLimiting;

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

    /// <summary>5× oversubscribed: the burst of N is exact (the interval, 60 s / N, is far longer than the burst takes).</summary>
    [Fact]
    public async Task with_a_limit_of_n_5n_parallel_requests_give_exactly_n_and_consistent_headers()
    {
        var name = NewName();
        await using var host = await Warm(await ApiFixture.StartHostAsync(Policy(name, N)));
        using var client = host.Server.CreateClient();
        var rejected = Meters.Count(host, "ombaro.ratelimit.rejected", name);

        var responses = await Task.WhenAll(Enumerable.Range(0, 5 * N).Select(_ => Task.Run(() => client.GetAsync("/api/v1/auth/me"))));

        var admitted = responses.Where(r => r.StatusCode != HttpStatusCode.TooManyRequests).ToList();
        var limited = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(N, admitted.Count);
        Assert.Equal(4 * N, rejected());
        Assert.All(admitted, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));   // admitted, then anonymous
        Assert.Equal(Enumerable.Range(0, N).Select(i => (long)i).Order(), admitted.Select(r => Remaining(r, name)).Order());
        Assert.All(responses, r => Assert.Contains($"\"{name}\";q={N};w=60", Header(r, "RateLimit-Policy")));
        foreach (var r in limited)
        {
            Assert.Equal(0, Remaining(r, name));
            var retryAfter = int.Parse(Header(r, "Retry-After"));
            Assert.InRange(retryAfter, 1, 60 / N);   // one interval at most: the next request is earned after 60 s / N
            Assert.Equal(retryAfter, Reset(r, name));
            var problem = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(("Too many requests", name), (problem.GetProperty("title").GetString(), problem.GetProperty("policy").GetString()));
            Assert.Equal(retryAfter, problem.GetProperty("retryAfter").GetInt32());
            Assert.StartsWith("application/problem+json", r.Content.Headers.ContentType!.ToString());
        }
        var ttl = await host.Services.GetRequiredService<RedisConnections>().StateDb.KeyTimeToLiveAsync(RedisKeys.RateLimit("unknown", name));
        Assert.InRange(ttl!.Value, TimeSpan.FromSeconds(55), TimeSpan.FromSeconds(60));   // the quota is whole again after N intervals
    }

    /// <summary>
    /// 4 per minute: an interval of 15 s. After k admitted requests 4 - k remain and the quota is whole again in 15·k s
    /// (less the time the requests took); the refusal's Retry-After is the header's reset: the rest of one interval.
    /// </summary>
    [Fact]
    public async Task after_k_admitted_requests_the_headers_say_limit_minus_k_remain_and_when_the_quota_is_whole()
    {
        var name = NewName();
        await using var host = await Warm(await ApiFixture.StartHostAsync(Policy(name, 4)));
        using var client = host.Server.CreateClient();
        var watch = Stopwatch.StartNew();

        for (var k = 1; k <= 4; k++)
        {
            var r = await client.GetAsync("/api/v1/auth/me");
            var took = (int)Math.Ceiling(watch.Elapsed.TotalSeconds);
            Assert.Equal((HttpStatusCode.Unauthorized, 4L - k), (r.StatusCode, Remaining(r, name)));
            Assert.InRange(Reset(r, name), 15 * k - took, 15 * k);
        }
        var refused = await client.GetAsync("/api/v1/auth/me");

        var took4 = (int)Math.Ceiling(watch.Elapsed.TotalSeconds);
        Assert.Equal((HttpStatusCode.TooManyRequests, 0L), (refused.StatusCode, Remaining(refused, name)));
        var retryAfter = int.Parse(Header(refused, "Retry-After"));
        Assert.Equal(retryAfter, Reset(refused, name));
        Assert.InRange(retryAfter, Math.Max(1, 15 - took4), 15);
    }

    /// <summary>
    /// 5 and 10 per minute on the same address, 5× oversubscribed: the tighter admits its 5, the looser is charged for
    /// those 5 only (its quota is whole again in 5 × 6 s, and it still has 5 left), never for the refused ones.
    /// </summary>
    [Fact]
    public async Task the_tighter_of_two_policies_wins_and_the_other_is_not_charged_for_refused_requests()
    {
        var (tight, loose) = (NewName(), NewName());
        var settings = Policy(tight, N);
        foreach (var (k, v) in Policy(loose, 2 * N)) settings[k] = v;
        await using var host = await Warm(await ApiFixture.StartHostAsync(settings));
        using var client = host.Server.CreateClient();
        var (refusedByTight, refusedByLoose) = (Meters.Count(host, "ombaro.ratelimit.rejected", tight), Meters.Count(host, "ombaro.ratelimit.rejected", loose));

        var responses = await Task.WhenAll(Enumerable.Range(0, 5 * N).Select(_ => Task.Run(() => client.GetAsync("/api/v1/auth/me"))));

        Assert.Equal(N, responses.Count(r => r.StatusCode == HttpStatusCode.Unauthorized));
        Assert.Equal((4L * N, 0L), (refusedByTight(), refusedByLoose()));
        foreach (var r in responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests))
        {
            Assert.Equal((0L, (long)N), (Remaining(r, tight), Remaining(r, loose)));
            Assert.Equal(tight, JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("policy").GetString());
        }
        var redis = host.Services.GetRequiredService<RedisConnections>().StateDb;
        Assert.InRange((await redis.KeyTimeToLiveAsync(RedisKeys.RateLimit("unknown", loose)))!.Value, TimeSpan.FromSeconds(24), TimeSpan.FromSeconds(30));
        Assert.InRange((await redis.KeyTimeToLiveAsync(RedisKeys.RateLimit("unknown", tight)))!.Value, TimeSpan.FromSeconds(54), TimeSpan.FromSeconds(60));
    }

    /// <summary>
    /// Time passes on the stored theoretical arrival time (the script reads it against Redis' own clock): 3 per minute
    /// is one request every 20 s. Moved back by one interval, exactly one more request passes; moved back by the whole
    /// window, the full burst of 3 is back, and no more.
    /// </summary>
    [Fact]
    public async Task the_quota_refills_one_request_per_interval_up_to_the_burst()
    {
        var name = NewName();
        await using var host = await Warm(await ApiFixture.StartHostAsync(Policy(name, 3)));
        var redis = host.Services.GetRequiredService<RedisConnections>().StateDb;
        var key = RedisKeys.RateLimit("unknown", name);
        var rejected = Meters.Count(host, "ombaro.ratelimit.rejected", name);
        using var client = host.Server.CreateClient();
        var (admitted, refused) = (HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests);

        Assert.Equal([admitted, admitted, admitted, refused], await SendInTurn(client, 4));
        Assert.Equal(RedisType.String, await redis.KeyTypeAsync(key));

        await PassTime(redis, key, 20_000);
        var again = await client.GetAsync("/api/v1/auth/me");
        Assert.Equal((admitted, 0L), (again.StatusCode, Remaining(again, name)));
        Assert.Equal([refused], await SendInTurn(client, 1));

        await PassTime(redis, key, 60_000);
        Assert.Equal([admitted, admitted, admitted, refused], await SendInTurn(client, 4));
        Assert.Equal(3, rejected());
    }

    /// <summary>
    /// The price of GCRA, stated in the README: 3 per minute lets a burst of 3 through, and 40 s later (two intervals,
    /// simulated by moving the stored time back) 2 more, so 5 = 2·3 - 1 within one window, where a sliding log allowed 3.
    /// </summary>
    [Fact]
    public async Task within_one_window_at_most_twice_the_limit_less_one_pass()
    {
        var name = NewName();
        await using var host = await Warm(await ApiFixture.StartHostAsync(Policy(name, 3)));
        using var client = host.Server.CreateClient();
        async Task<int> Admitted(int count) => (await SendInTurn(client, count)).Count(s => s != HttpStatusCode.TooManyRequests);

        Assert.Equal(3, await Admitted(4));
        await PassTime(host.Services.GetRequiredService<RedisConnections>().StateDb, RedisKeys.RateLimit("unknown", name), 40_000);

        Assert.Equal(2, await Admitted(3));
    }

    /// <summary>O(1) memory: a user filled at a limit of 1000 is one string of a timestamp, not a log of 1000 requests.</summary>
    [Fact]
    public async Task a_subject_filled_at_a_limit_of_1000_takes_at_most_200_bytes_of_redis()
    {
        var name = NewName();
        await using var host = await Warm(await ApiFixture.StartHostAsync(Policy(name, 1000, partition: "user")));
        var limiter = host.Services.GetRequiredService<RateLimiter>();
        var rule = host.Services.GetRequiredService<IOptions<RateLimitOptions>>().Value.Policies[name];
        var subject = "user-" + Guid.NewGuid();
        RateLimiter.Check[] checks = [new(name, rule, subject)];

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 1500).Select(_ => Task.Run(() => limiter.CheckAsync(new DefaultHttpContext(), checks))));

        Assert.InRange(outcomes.Count(o => o is null), 1000, 1499);   // the burst of 1000, and one per 60 ms the filling took
        var redis = host.Services.GetRequiredService<RedisConnections>().StateDb;
        var key = RedisKeys.RateLimit(subject, name);
        Assert.Equal(RedisType.String, await redis.KeyTypeAsync(key));
        Assert.InRange((long)await redis.ExecuteAsync("MEMORY", "USAGE", key), 1, 200);
    }

    [Fact]
    public async Task a_second_api_host_on_the_same_redis_shares_the_limit()
    {
        var name = NewName();
        await using var one = await Warm(await ApiFixture.StartHostAsync(Policy(name, N)));
        await using var two = await Warm(await ApiFixture.StartHostAsync(Policy(name, N)));
        using var a = one.Server.CreateClient();
        using var b = two.Server.CreateClient();

        var responses = await Task.WhenAll(Enumerable.Range(0, 5 * N).Select(i => Task.Run(() => (i % 2 == 0 ? a : b).GetAsync("/api/v1/auth/me"))));

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

    /// <summary>
    /// Subjects are checked separately: the user's 1 per 10 s refuses the second request, which still uses up the
    /// address's 2 per 2 minutes (one request every 60 s). The refusal names the user's policy and counts for it alone,
    /// but Retry-After is the address's wait, the longer one: retrying after the user's 10 s would be refused again.
    /// </summary>
    [Fact]
    public async Task a_refusal_by_the_user_policy_waits_also_for_the_address_policy_it_used_up()
    {
        var (ip, user) = (NewName(), NewName());
        var settings = Policy(ip, 2, window: "00:02:00", endpoint: "GetMe");
        foreach (var (k, v) in Policy(user, 1, window: "00:00:10", partition: "user", endpoint: "GetMe")) settings[k] = v;
        await using var host = await ApiFixture.StartHostAsync(settings);
        var alice = await host.SignInAsync("customer");
        var (refusedByIp, refusedByUser) = (Meters.Count(host, "ombaro.ratelimit.rejected", ip), Meters.Count(host, "ombaro.ratelimit.rejected", user));

        await host.Scenario(s => { s.Get.Url("/api/v1/auth/me"); s.As(alice); s.StatusCodeShouldBeOk(); });
        var refused = await host.Scenario(s => { s.Get.Url("/api/v1/auth/me"); s.As(alice); s.StatusCodeShouldBe(429); });

        var problem = await refused.ReadAsJsonAsync<JsonElement>();
        Assert.Equal(user, problem.GetProperty("policy").GetString());
        Assert.Equal((0L, 1L), (refusedByIp(), refusedByUser()));
        var retryAfter = int.Parse(refused.Context.Response.Headers.RetryAfter.ToString());
        Assert.InRange(retryAfter, 50, 60);
        Assert.Equal(retryAfter, problem.GetProperty("retryAfter").GetInt32());
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
        Assert.False(await redis.KeyExistsAsync(RedisKeys.UserRateLimit(alice.Id, user)));
        await host.Scenario(s => { s.Get.Url("/api/v1/auth/me"); s.As(alice); s.StatusCodeShouldBeOk(); });
        await host.Scenario(s => { s.Get.Url("/api/v1/auth/me"); s.As(alice); s.StatusCodeShouldBeOk(); });   // her 2 per minute are whole
        await host.Scenario(s => { s.Get.Url("/api/v1/auth/me"); s.As(alice); s.StatusCodeShouldBe(429); });
    }

    /// <summary>
    /// One Redis stage, two scripts per authenticated request: the session's, which also checks and charges the user's
    /// policies (the limiter does not ask again), and the address's, sent before the session's is answered, not after.
    /// Redis holds every script (CLIENT PAUSE WRITE: a script may write, so it waits), and while it does, the host's
    /// connection already has a second command queued behind the one held (the address's script, sent first, then the
    /// session's): sent one after the other, the address's script would wait for the session's reply, which the pause
    /// holds back. Unpaused, the request is answered after exactly those two scripts (INFO commandstats of a state Redis
    /// of the test's own).
    /// </summary>
    [Fact]
    public async Task the_address_check_is_sent_with_the_session_script_which_charges_the_user()
    {
        var (ip, user) = (NewName(), NewName());
        await using var state = await RedisServerProcess.StartAsync();
        await using var cache = await RedisServerProcess.StartAsync();
        var settings = Policy(ip, 100);
        foreach (var (k, v) in Policy(user, 10, partition: "user")) settings[k] = v;
        (settings["REDIS_URL"], settings["REDIS_CACHE_URL"]) = (state.Url, cache.Url);
        await using var host = await ApiFixture.StartHostAsync(settings);
        var alice = await host.SignInAsync("customer");
        await host.Scenario(s => { s.Get.Url("/api/v1/auth/me"); s.As(alice); s.StatusCodeShouldBeOk(); });   // the scripts are loaded
        using var admin = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{state.Port},allowAdmin=true");
        var server = admin.GetServer(admin.GetEndPoints()[0]);
        await server.ExecuteAsync("CONFIG", "RESETSTAT");

        Task<IScenarioResult> call;
        await server.ExecuteAsync("CLIENT", "PAUSE", "5000", "WRITE");
        try
        {
            call = host.Scenario(s => { s.Get.Url("/api/v1/auth/me"); s.As(alice); s.StatusCodeShouldBeOk(); });
            // within the host's Redis timeout (1 s): a client held on a script, with more already in its query buffer
            await RedisServerProcess.WaitUntil(async () => Clients((string)(await server.ExecuteAsync("CLIENT", "LIST"))!)
                .Any(c => c["cmd"] == "evalsha" && c["flags"].Contains('b') && long.Parse(c["qbuf"]) > 0), seconds: 3);
        }
        finally
        {
            await server.ExecuteAsync("CLIENT", "UNPAUSE");
        }
        var result = await call;

        var stats = (string)(await server.ExecuteAsync("INFO", "commandstats"))!;
        Assert.Equal("2", Regex.Match(stats, "cmdstat_evalsha:calls=([0-9]+)").Groups[1].Value);   // no other script got in
        Assert.DoesNotContain("cmdstat_eval:", stats);
        Assert.Contains($"\"{user}\";r=8;", result.Context.Response.Headers["RateLimit"].ToString());   // the user's 10, twice charged
        Assert.Contains($"\"{ip}\";r=", result.Context.Response.Headers["RateLimit"].ToString());
        Assert.True(await admin.GetDatabase().KeyExistsAsync(RedisKeys.UserRateLimit(alice.Id, user)));

        static IEnumerable<Dictionary<string, string>> Clients(string list) => list.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Trim().Split(' ').Select(f => f.Split('=', 2)).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => kv[1]));
    }

    /// <summary>With <c>RateLimiting:Enabled</c> false nothing is sent: the session's script alone, without the user's policies.</summary>
    [Fact]
    public async Task a_disabled_limiter_sends_no_check_to_redis()
    {
        await using var state = await RedisServerProcess.StartAsync();
        await using var cache = await RedisServerProcess.StartAsync();
        var settings = new Dictionary<string, string?> { ["RateLimiting:Enabled"] = "false", ["REDIS_URL"] = state.Url, ["REDIS_CACHE_URL"] = cache.Url };
        await using var host = await ApiFixture.StartHostAsync(settings);
        var alice = await host.SignInAsync("customer");
        await host.Scenario(s => { s.Get.Url("/api/v1/auth/me"); s.As(alice); s.StatusCodeShouldBeOk(); });   // the session script is loaded
        using var admin = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{state.Port},allowAdmin=true");
        var server = admin.GetServer(admin.GetEndPoints()[0]);
        await server.ExecuteAsync("CONFIG", "RESETSTAT");

        var signedIn = await host.Scenario(s => { s.Get.Url("/api/v1/auth/me"); s.As(alice); s.StatusCodeShouldBeOk(); });
        await host.Scenario(s => { s.Get.Url("/api/v1/auth/me"); s.StatusCodeShouldBe(401); });

        var stats = (string)(await server.ExecuteAsync("INFO", "commandstats"))!;
        Assert.Equal("1", Regex.Match(stats, "cmdstat_evalsha:calls=([0-9]+)").Groups[1].Value);   // the session's
        Assert.DoesNotContain("cmdstat_eval:", stats);
        Assert.Empty(server.Keys(pattern: "ombaro:ratelimit:*"));
        Assert.False(signedIn.Context.Response.Headers.ContainsKey("RateLimit"));
    }

    /// <summary>
    /// The address's check, started before authentication, is observed even when nobody awaits it: with Redis away,
    /// authentication throws (503) before the limiter runs, and the check's failure must not end as an unobserved task
    /// exception (seen by the finalizers a full garbage collection runs).
    /// </summary>
    [Fact]
    public async Task an_address_check_nobody_awaits_leaves_no_unobserved_failure()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        var settings = Policy(NewName(), 100);
        (settings["REDIS_URL"], settings["REDIS_CACHE_URL"]) = (redis.Url, redis.Url);
        await using var host = await ApiFixture.StartHostAsync(settings);
        var alice = await host.SignInAsync("customer");
        var unobserved = new ConcurrentQueue<AggregateException>();
        void Record(object? sender, UnobservedTaskExceptionEventArgs e)
        {
            if (e.Exception.ToString().Contains(nameof(RateLimiter), StringComparison.Ordinal)) unobserved.Enqueue(e.Exception);
        }
        await redis.StopAsync();

        TaskScheduler.UnobservedTaskException += Record;
        try
        {
            for (var i = 0; i < 3; i++) await host.Scenario(s => { s.Get.Url("/api/v1/auth/me"); s.As(alice); s.StatusCodeShouldBe(503); });
            for (var i = 0; i < 2; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= Record;
        }

        Assert.Empty(unobserved);
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

    /// <summary><paramref name="count"/> requests one after the other; their statuses.</summary>
    static async Task<HttpStatusCode[]> SendInTurn(HttpClient client, int count)
    {
        var statuses = new HttpStatusCode[count];
        for (var i = 0; i < count; i++) statuses[i] = (await client.GetAsync("/api/v1/auth/me")).StatusCode;
        return statuses;
    }

    /// <summary>Lets <paramref name="ms"/> of time pass for a policy: its stored theoretical arrival time moves back.</summary>
    static async Task PassTime(IDatabase redis, RedisKey key, double ms)
    {
        var tat = double.Parse((string)(await redis.StringGetAsync(key))!, CultureInfo.InvariantCulture);
        await redis.StringSetAsync(key, (tat - ms).ToString("R", CultureInfo.InvariantCulture), expiry: null, keepTtl: true);
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
