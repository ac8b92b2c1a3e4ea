using Xunit.Abstractions;

namespace Ombaro.Tests.Drills;

/// <summary>
/// The failover drill of the state role on Redis Cluster: a cluster of its own (3 masters, 1 replica each, a 1 s
/// node timeout), steady traffic (<see cref="OutageDrill"/> over <see cref="DrillRoutes.For"/>, plus OTP logins that
/// go on to hold and book), and the master that holds the drill customer's sessions is killed. Its replica is
/// promoted; the same host must recover within <see cref="RecoveryBound"/>, nothing may answer 500, and every
/// booking answered 201 must be in PostgreSQL and readable through the API afterwards.
/// </summary>
public sealed class RedisClusterFailoverDrillTests(ITestOutputHelper output)
{
    /// <summary>Generous: measured 2–4 s on a loaded 2-core machine (node timeout 1 s, then the replica's election).</summary>
    static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(30);

    /// <summary>The login-and-book loop takes starts from this call number on: days no hold of the route traffic reaches.</summary>
    const int BookingStarts = 46 * 400;

    sealed record Step(string Phase, string What, HttpStatusCode Status, string? ContentType);

    [Fact]
    public async Task a_state_master_killed_under_traffic_answers_503_never_500_recovers_without_a_restart_and_loses_no_booking()
    {
        await using var cluster = await RedisClusterProcess.StartAsync(masters: 3, replicasPerMaster: 1, nodeTimeoutMs: 1000);
        // Its own host: on a Redis Cluster of its own, whose master the drill kills.
        await using var host = await ApiFixture.StartHostAsync(DrillWorld.Settings("REDIS_URL", cluster.Url));
        await using var drill = new OutageDrill(host, Part.RedisState);
        await drill.StartAsync();
        var world = drill.World;

        // The master that owns the drill customer's sessions: every customer route goes through it.
        var sessionKey = RedisKeys.UserSessions(world.Bookings.Customer.Id);
        var victim = ((IPEndPoint)(await StateDb(host).IdentifyEndpointAsync(sessionKey))!).Port;
        Assert.Contains(victim, await cluster.MastersAsync());

        await cluster.ReplicasInSyncAsync(victim);   // a real replica: one promoted before its first sync would come up empty

        var steps = new ConcurrentQueue<Step>();
        var booked = new ConcurrentBag<(Guid Id, Guid CustomerId, string Mobile)>();
        var phase = "up";
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var bookings = Task.Run(async () =>
        {
            for (var k = 0; !stop.IsCancellationRequested; k++)
                await LoginHoldAndBookAsync(host, world, BookingStarts + 2 * k, () => Volatile.Read(ref phase), steps, booked);
        });
        TimeSpan recovery;
        try
        {
            await RedisServerProcess.WaitUntil(() => Task.FromResult(booked.Count >= 2));   // traffic is steady before the kill

            Volatile.Write(ref phase, "failover");
            drill.Enter("failover");
            // Once both loops answered a call sent in this phase, no call sent before it is still in flight.
            await RedisServerProcess.WaitUntil(() => Task.FromResult(
                drill.Answers.Any(a => a.Phase == "failover") && steps.Any(s => s.Phase == "failover")));
            var clock = Stopwatch.StartNew();
            await cluster.KillAsync(victim);
            // The routes' own users (OutageDrill signs in one per role) may all live on other masters, so a round can
            // pass before the victim's slots moved: recovered means its replica took over and every route answers.
            // (A node marked failed drops out of the masters before its replica is elected: the replica must be master.)
            await RedisServerProcess.WaitUntil(async () => await cluster.MastersAsync() is { Count: 3 } now && !now.Contains(victim)
                && await drill.RoundPassesAsync(), seconds: RecoveryBound.TotalSeconds);
            recovery = clock.Elapsed;
            Volatile.Write(ref phase, "recovered");
            drill.Enter("recovered");
            output.WriteLine($"state master :{victim} killed; the same host answered every route as before after {recovery.TotalSeconds:F1} s");

            var masters = await cluster.MastersAsync();
            Assert.DoesNotContain(victim, masters);
            Assert.Equal(3, masters.Count);                                   // its replica took over its slots
            var bookedBefore = booked.Count;
            await RedisServerProcess.WaitUntil(() => Task.FromResult(booked.Count >= bookedBefore + 2), seconds: 30);
        }
        finally
        {
            await stop.CancelAsync();
            await bookings;
            await drill.StopAsync();
        }

        var answers = drill.Answers.Select(a => new Step(a.Phase, a.Route.ToString(), a.Status, a.ContentType))
            .Concat(steps).ToList();
        output.WriteLine($"{answers.Count} answers: " + string.Join(", ", answers.GroupBy(a => (a.Phase, (int)a.Status))
            .OrderBy(g => g.Key).Select(g => $"{g.Key.Phase} {g.Key.Item2} ×{g.Count()}")));
        output.WriteLine($"{booked.Count} bookings answered 201; logins refused with 503 after recovery (EXECABORT despite the retry): {steps.Count(LateLoginRefusal)}");
        Assert.True(!answers.Any(a => (int)a.Status == 500),
            string.Join("\n", answers.Where(a => (int)a.Status == 500).Select(a => $"500 from {a.What} in phase {a.Phase}").Distinct()));
        Assert.True(recovery < RecoveryBound, $"recovered after {recovery}");

        // Up and recovered: every route answers as with all parts up. During the failover a route answers that, or
        // (for one that needs the state Redis) a 503 problem; the login-and-book steps may meet lost state (a 4xx).
        var wrong = drill.Answers.Where(a => a.Phase != "failover").Select(a => a.Route.Check(Part.None, a.Status, a.ContentType))
            .Concat(drill.Answers.Where(a => a.Phase == "failover")
                .Select(a => a.Route.Check(Part.None, a.Status, a.ContentType) is null ? null : a.Route.Check(Part.RedisState, a.Status, a.ContentType)))
            .Concat(steps.Select(StepCheck))
            .OfType<string>().Distinct().ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        Assert.Contains(answers, a => a.Phase == "failover" && a.Status == HttpStatusCode.ServiceUnavailable);   // the kill was felt

        // No committed booking is lost: PostgreSQL has every one, and its customer reads it through the API.
        var ids = booked.Select(b => b.Id).ToArray();
        await using (var conn = await host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync())
            Assert.Equal(ids.Length, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM bookings WHERE id = ANY(@ids)", new { ids }));
        foreach (var (id, customerId, mobile) in booked)
        {
            TestUser? customer = null;   // a new session may meet the known issue above (EXECABORT) for a few seconds more
            await RedisServerProcess.WaitUntil(async () =>
            {
                try { customer = await host.SignInAgainAsync(new TestUser(customerId, mobile, Roles.Customer, "")); return true; }
                catch (StackExchange.Redis.RedisServerException e) when (e.Message.StartsWith("EXECABORT", StringComparison.Ordinal)) { return false; }
            }, seconds: 60);
            var read = await host.Scenario(s => { s.Get.Url($"/api/v1/bookings/{id}"); s.As(customer!); s.StatusCodeShouldBeOk(); });
            Assert.Equal(id, (await read.ReadAsJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        }
    }

    /// <summary>
    /// What a login-and-book step must answer: 2xx outside the failover; during it also a 503 problem (its slot is
    /// away) or a 4xx problem (Redis state lost with the master: an OTP, a session, a hold). Never a 500.
    /// </summary>
    static string? StepCheck(Step s)
    {
        var code = (int)s.Status;
        if (code is >= 200 and < 300) return null;
        var problem = s.ContentType == "application/problem+json";
        if (s.Phase == "failover" && problem && code is 503 or (>= 400 and < 500)) return null;
        if (LateLoginRefusal(s)) return null;
        return $"{s.What}: {code} ({s.ContentType}) in phase {s.Phase}";
    }

    /// <summary>
    /// Counted and printed, not hidden: a login refused with a 503 problem after the drill routes recovered. The session is
    /// created in a MULTI (<c>SessionStore.CreateAsync</c>); for a slot of the dead master whose new owner StackExchange.Redis
    /// has not learnt yet, the MULTI goes to a node that answers MOVED inside it, so EXEC is EXECABORT. Single commands and
    /// scripts follow MOVED, so <c>RedisSlot.ExecuteAsync</c> runs one on the slot and retries once: 0 such refusals in 6 runs
    /// since (0–1 per run before). Still tolerated (a Redis error is a 503, never a 500) rather than asserted absent.
    /// </summary>
    static bool LateLoginRefusal(Step s) =>
        s is { Phase: "recovered", What: "POST otp/verify", Status: HttpStatusCode.ServiceUnavailable, ContentType: "application/problem+json" };

    /// <summary>A new customer logs in by OTP, holds start <paramref name="n"/> and books it; a failed step ends the round.</summary>
    static async Task LoginHoldAndBookAsync(IAlbaHost host, DrillWorld world, int n, Func<string> phase, ConcurrentQueue<Step> steps,
        ConcurrentBag<(Guid, Guid, string)> booked)
    {
        using var client = host.Server.CreateClient();
        var round = "";
        async Task<HttpResponseMessage?> Send(string what, HttpRequestMessage request, HttpStatusCode expected)
        {
            // The phase the call started in; a round that met the failover stays in it (its login or hold may be lost).
            var sent = round = round == "failover" ? round : phase();
            var response = await client.SendAsync(request);
            steps.Enqueue(new Step(sent, what, response.StatusCode, response.Content.Headers.ContentType?.MediaType));
            return response.StatusCode == expected ? response : null;
        }

        var mobile = OtpLogin.NewMobile();
        if (await Send("POST otp/request", new(HttpMethod.Post, "/api/v1/auth/otp/request") { Content = JsonContent.Create(new { mobile }) },
                HttpStatusCode.Accepted) is null) return;
        var code = host.Sms().LastCodeFor(mobile);
        if (await Send("POST otp/verify", new(HttpMethod.Post, "/api/v1/auth/otp/verify") { Content = JsonContent.Create(new { mobile, code }) },
                HttpStatusCode.OK) is not { } verified) return;
        var login = await verified.Content.ReadFromJsonAsync<JsonElement>();
        client.DefaultRequestHeaders.Authorization = new("Bearer", login.GetProperty("token").GetString());
        var customerId = login.GetProperty("user").GetProperty("id").GetGuid();

        if (await Send("POST bookings/holds", new(HttpMethod.Post, "/api/v1/bookings/holds") { Content = JsonContent.Create(world.Hold(n)) },
                HttpStatusCode.Created) is not { } held) return;
        var holdToken = (await held.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("holdToken").GetString();
        var book = new HttpRequestMessage(HttpMethod.Post, "/api/v1/bookings")
        {
            Content = JsonContent.Create(new { holdToken, address = "12 Residency Road", notes = "failover drill" }),
        };
        book.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        if (await Send("POST bookings", book, HttpStatusCode.Created) is { } created)
            booked.Add(((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid(), customerId, mobile));
    }

    static StackExchange.Redis.IDatabase StateDb(IAlbaHost host) => host.Services.GetRequiredService<RedisConnections>().StateDb;
}
