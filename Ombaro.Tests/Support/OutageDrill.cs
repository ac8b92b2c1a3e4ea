namespace Ombaro.Tests.Support;

/// <summary>
/// Runs <see cref="DrillRoutes.For"/> as steady traffic against a host while a test takes a part away
/// and brings it back, and checks every answer against what the route declares.
/// </summary>
public sealed class OutageDrill(IAlbaHost host, Part part) : IAsyncDisposable
{
    public sealed record Answer(string Phase, DrillRoute Route, HttpStatusCode Status, string? ContentType);

    static readonly TimeSpan MaxDuration = TimeSpan.FromSeconds(90);
    readonly ConcurrentQueue<Answer> answers = new();
    readonly CancellationTokenSource stop = new(MaxDuration);
    Dictionary<string, string> tokens = [];
    IReadOnlyList<DrillRoute> routes = [];
    volatile string phase = "up";
    int calls;
    Task? traffic;

    public IReadOnlyCollection<Answer> Answers => answers;
    public DrillWorld World { get; private set; } = null!;

    /// <summary>Makes the drill's data, signs in one user per role the routes need, checks every route answers 2xx, and starts the traffic.</summary>
    public async Task StartAsync()
    {
        World = await DrillWorld.CreateAsync(host);
        routes = DrillRoutes.For(World);
        await SignInAsync();
        foreach (var route in routes)
        {
            var (status, type) = await CallAsync(route);
            Assert.True(route.Check(Part.None, status, type) is null, route.Check(Part.None, status, type));
        }
        traffic = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
                foreach (var route in routes)
                {
                    var sent = phase;   // the phase the call started in: one sent before the outage may finish after it
                    var (status, type) = await CallAsync(route);
                    answers.Enqueue(new Answer(sent, route, status, type));
                }
        });
    }

    /// <summary>After the part was stopped: waits until /health/ready names it, then checks a full round of every route.</summary>
    public async Task AssertDegradedAsync(string readyName)
    {
        phase = "stopping";
        await RedisServerProcess.WaitUntil(async () => (await ReadyFailures()).Contains(readyName), seconds: 30);
        phase = "down";
        var ready = await ReadyFailures();
        Assert.Equal([readyName], ready);
        foreach (var route in routes)
        {
            var (status, type) = await CallAsync(route);
            Assert.True(route.Check(part, status, type) is null, route.Check(part, status, type));
        }
        await RedisServerProcess.WaitUntil(() => Task.FromResult(answers.Count(a => a.Phase == "down") >= 2 * routes.Count));
        phase = "restoring";   // the caller brings the part back next: answers from now on are not judged as "down"
    }

    /// <summary>After the part was started again: the same host recovers (ready, every route 2xx) without a restart.</summary>
    public async Task AssertRecoveredAsync(bool sessionsLost)
    {
        phase = "recovering";
        await RedisServerProcess.WaitUntil(async () => (await ReadyFailures()).Count == 0, seconds: 30);
        if (sessionsLost) await SignInAsync();       // an empty state Redis has no sessions: users log in again
        await RedisServerProcess.WaitUntil(RoundPassesAsync, seconds: 30);
        phase = "recovered";
        await StopAsync();

        Assert.DoesNotContain(answers, a => (int)a.Status == 500);
        var wrong = answers.Where(a => a.Phase == "down").Select(a => a.Route.Check(part, a.Status, a.ContentType)).OfType<string>().Distinct().ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        Assert.Contains(answers, a => a.Phase == "down");
    }

    /// <summary>Names the phase the traffic's answers are recorded in from now on (a drill of its own, e.g. a failover).</summary>
    public void Enter(string name) => phase = name;

    /// <summary>One call of every route: true when each answers as it must with every part up.</summary>
    public async Task<bool> RoundPassesAsync()
    {
        foreach (var route in routes)
        {
            var (status, type) = await CallAsync(route);
            if (route.Check(Part.None, status, type) is not null) return false;
        }
        return true;
    }

    /// <summary>Stops the traffic and waits for its last call.</summary>
    public async Task StopAsync()
    {
        await stop.CancelAsync();
        await traffic!;
    }

    async Task SignInAsync()
    {
        var signedIn = new Dictionary<string, string>();
        foreach (var role in routes.Select(r => r.Role).OfType<string>().Distinct())
            signedIn[role] = (await host.SignInAsync(role)).Token;
        tokens = signedIn;
    }

    async Task<(HttpStatusCode, string?)> CallAsync(DrillRoute route)
    {
        using var client = host.Server.CreateClient();
        using var response = await client.SendAsync(route.Request(route.Role is null ? null : tokens[route.Role], Interlocked.Increment(ref calls)));
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType);
    }

    async Task<List<string>> ReadyFailures()
    {
        using var client = host.Server.CreateClient();
        using var response = await client.GetAsync("/health/ready");
        if (response.StatusCode == HttpStatusCode.OK) return [];
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return problem.GetProperty("failed").EnumerateArray().Select(f => f.GetString()!).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        if (traffic is not null) await traffic.ContinueWith(_ => { });
        stop.Dispose();
    }
}
