// Bench drivers that wrk cannot express (bench/run.sh calls them):
//   holds <api> <tokens file> <vendor id> <service id> <date> <clients> <start times, comma separated> <therapists>
//       one round per start time: <clients> customers POST /api/v1/bookings/holds for the same slot at once; a vendor
//       with <therapists> free therapists must give exactly that many holds (201), each on another therapist, and a 409
//       to everyone else (any other status counts as a failure); the winners release their holds after each round.
//       Prints, per round, the winners and losers, and the latency percentiles over all rounds.
//   ratelimit <redis host:port> <rate_limit.lua, the GCRA library (gcra.lua) put first> <seconds> <concurrency>
//       Ombaro's GCRA script against RedisRateLimiting's RedisSlidingWindowRateLimiter, same limits, memory per key:
//       exactness (admitted vs limit under parallel load on one key) and throughput (ops/s, p50/p99).
//   seed <redis endpoints>   loads tab-separated Redis commands from stdin, standalone or cluster (Seed.cs)
//   warm <api> <tokens file> <concurrency>   one authenticated request per session, caching each user's snapshot (Warm.cs)
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Threading.RateLimiting;
using RedisRateLimiting;
using StackExchange.Redis;

return args.FirstOrDefault() switch
{
    "holds" => await Holds.RunAsync(args[1..]),
    "ratelimit" => await Limiters.RunAsync(args[1..]),
    "seed" => await Seed.RunAsync(args[1..]),
    "warm" => await Warm.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: holds <api> <tokens> <vendorId> <serviceId> <date> <clients> <HH:mm,...> <therapists> | ratelimit <host:port> <rate_limit.lua> <seconds> <concurrency>");
    return 2;
}

static class Stats
{
    public static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static string Summary(List<double> ms)
    {
        ms.Sort();
        return string.Create(CultureInfo.InvariantCulture, $"p50 {Percentile(ms, 50):0.00} ms, p99 {Percentile(ms, 99):0.00} ms, max {ms[^1]:0.00} ms");
    }
}

static class Holds
{
    public static async Task<int> RunAsync(string[] a)
    {
        var (api, tokens, vendorId, serviceId, date, clients) = (a[0], File.ReadLines(a[1]).Take(int.Parse(a[5], CultureInfo.InvariantCulture)).ToList(),
            Guid.Parse(a[2]), Guid.Parse(a[3]), a[4], int.Parse(a[5], CultureInfo.InvariantCulture));
        var capacity = int.Parse(a[7], CultureInfo.InvariantCulture);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = new Uri(api),
        };
        // Warm the connections (one per client) so a round measures the holds, not TCP set-up.
        await Task.WhenAll(tokens.Select(t => Send(http, t, HttpMethod.Get, "/api/v1/auth/me", null)));

        var latencies = new List<double>();
        var exact = 0;
        var rounds = a[6].Split(',');
        foreach (var start in rounds)
        {
            var body = new { vendorId, serviceId, date, startTime = start };
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var calls = tokens.Select(t => Task.Run(async () =>
            {
                await go.Task;                                   // all 200 start together
                return await Send(http, t, HttpMethod.Post, "/api/v1/bookings/holds", body);
            })).ToList();
            go.SetResult();
            var answers = await Task.WhenAll(calls);
            var winners = answers.Select((r, i) => (r, Token: tokens[i])).Where(x => x.r.Status == HttpStatusCode.Created).ToList();
            var lost = answers.Count(r => r.Status == HttpStatusCode.Conflict);
            var therapists = winners.Select(w => w.r.Body.GetProperty("therapistId").GetGuid()).Distinct().Count();
            if (winners.Count == capacity && therapists == capacity && lost == clients - capacity) exact++;
            latencies.AddRange(answers.Select(r => r.Ms));
            Console.WriteLine($"round {start}: {winners.Count} won (201) on {therapists} therapists, {lost} conflict (409), {clients - winners.Count - lost} other");
            foreach (var (r, token) in winners)   // released, as the customer (or the TTL) would: the next round starts clean
                await Send(http, token, HttpMethod.Delete, $"/api/v1/bookings/holds/{r.Body.GetProperty("holdToken").GetString()}", null);
        }
        Console.WriteLine($"holds: {exact} of {rounds.Length} rounds with exactly {capacity} winners (one per therapist) among {clients} clients; {Stats.Summary(latencies)} over {latencies.Count} requests");
        return exact == rounds.Length ? 0 : 1;
    }

    static async Task<(HttpStatusCode Status, double Ms, System.Text.Json.JsonElement Body)> Send(HttpClient http, string token, HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        var clock = Stopwatch.StartNew();
        using var response = await http.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var ms = clock.Elapsed.TotalMilliseconds;
        return (response.StatusCode, ms, response.StatusCode == HttpStatusCode.Created
            ? System.Text.Json.JsonDocument.Parse(bytes).RootElement.Clone() : default);
    }
}

static class Limiters
{
    sealed record Limit(string Name, int Permits, TimeSpan Window);

    public static async Task<int> RunAsync(string[] a)
    {
        var (endpoint, scriptFile, seconds, concurrency) = (a[0], a[1], double.Parse(a[2], CultureInfo.InvariantCulture), int.Parse(a[3], CultureInfo.InvariantCulture));
        using var mux = await ConnectionMultiplexer.ConnectAsync(endpoint);
        var db = mux.GetDatabase();
        // Loaded on every master: on a Redis Cluster a keyless SCRIPT LOAD reaches one node, and EVALSHA of a key on
        // another master would answer NOSCRIPT.
        var source = await File.ReadAllTextAsync(scriptFile);
        byte[] sha = [];
        foreach (var master in mux.GetServers().Where(s => !s.IsReplica)) sha = await master.ScriptLoadAsync(source);

        async Task<bool> Ombaro(string key, Limit l) =>
            (long)((RedisResult[])(await db.ScriptEvaluateAsync(sha, [key], [l.Permits, (long)l.Window.TotalMilliseconds]))!)[0] == 1;

        RateLimiter Peer(string key, Limit l) => new RedisSlidingWindowRateLimiter<string>(key,
            new RedisSlidingWindowRateLimiterOptions { PermitLimit = l.Permits, Window = l.Window, ConnectionMultiplexerFactory = () => mux });

        // The API's production policies ("default": 300 a minute per address; "user": 600 a minute) and a 10 s one.
        Limit[] limits = [new("default", 300, TimeSpan.FromMinutes(1)), new("user", 600, TimeSpan.FromMinutes(1)), new("burst", 1000, TimeSpan.FromSeconds(10))];
        Console.WriteLine("exactness: 5x the limit requested at once on one key (sliding window: the limit; GCRA: the limit,");
        Console.WriteLine("  plus one per window/limit the burst took)");
        foreach (var l in limits)
        {
            var attempts = 5 * l.Permits;
            var run = Guid.NewGuid().ToString("N")[..8];
            var watch = Stopwatch.StartNew();
            var ours = await Count(attempts, concurrency, () => Ombaro($"ombaro:bench:rl:{run}:{l.Name}", l));
            var took = watch.Elapsed;
            var allowed = l.Permits + (long)(took / (l.Window / l.Permits));
            var peer = Peer($"bench:{run}:{l.Name}", l);
            var theirs = await Count(attempts, concurrency, async () => { using var lease = await peer.AcquireAsync(1); return lease.IsAcquired; });
            Console.WriteLine($"  {l.Name} ({l.Permits} per {l.Window.TotalSeconds:0} s): ombaro admitted {ours} (at most {allowed} in {took.TotalMilliseconds:0} ms), RedisRateLimiting admitted {theirs}");
        }

        // What one subject and policy keeps in Redis once filled: ombaro one string (the theoretical arrival time), the
        // package a sorted set of every admitted request in the window (and whatever else it keeps under the same name).
        var filled = new Limit("memory", 1000, TimeSpan.FromMinutes(1));
        var memoryRun = Guid.NewGuid().ToString("N")[..8];
        await Count(filled.Permits, concurrency, () => Ombaro($"ombaro:bench:rl:{memoryRun}:{filled.Name}", filled));
        var filledPeer = Peer($"bench:{memoryRun}:{filled.Name}", filled);
        await Count(filled.Permits, concurrency, async () => { using var lease = await filledPeer.AcquireAsync(1); return lease.IsAcquired; });
        async Task<long> Bytes(string pattern)   // every master's keys: on a Redis Cluster they are spread over the masters
        {
            long total = 0;
            foreach (var master in mux.GetServers().Where(s => !s.IsReplica))
                await foreach (var key in master.KeysAsync(pattern: pattern)) total += (long)await db.ExecuteAsync("MEMORY", "USAGE", key);
            return total;
        }
        Console.WriteLine($"memory: one subject and policy filled at {filled.Permits} per {filled.Window.TotalSeconds:0} s (MEMORY USAGE of its keys)");
        Console.WriteLine($"  ombaro: {await Bytes($"ombaro:bench:rl:{memoryRun}:*")} bytes, RedisRateLimiting: {await Bytes($"*bench:{memoryRun}:*")} bytes");

        Console.WriteLine($"throughput: {concurrency} concurrent callers for {seconds:0} s each, a limit never reached, one key per caller");
        var huge = new Limit("throughput", 1_000_000_000, TimeSpan.FromSeconds(10));
        var tag = Guid.NewGuid().ToString("N")[..8];
        var oursRun = await Throughput(seconds, concurrency, i => () => Ombaro($"ombaro:bench:rl:{tag}:{i}", huge));
        var peers = Enumerable.Range(0, concurrency).Select(i => Peer($"bench:{tag}:{i}", huge)).ToList();
        var theirsRun = await Throughput(seconds, concurrency, i => async () => { using var lease = await peers[i].AcquireAsync(1); return lease.IsAcquired; });
        Console.WriteLine($"  ombaro: {oursRun}");
        Console.WriteLine($"  RedisRateLimiting: {theirsRun}");

        // What an API request costs: the "default" (address) and "user" policies. Ombaro checks both in one script call;
        // the package has one limiter per policy, so two calls (admitted only if both are).
        Console.WriteLine("per API request (two policies, address and user), same callers and limits:");
        async Task<bool> OmbaroBoth(int i) =>
            (long)((RedisResult[])(await db.ScriptEvaluateAsync(sha, [$"ombaro:bench:rl:{tag}:{{c{i}}}:ip", $"ombaro:bench:rl:{tag}:{{c{i}}}:user"],
                [huge.Permits, (long)huge.Window.TotalMilliseconds, huge.Permits, (long)huge.Window.TotalMilliseconds]))!)[0] == 1;
        var users = Enumerable.Range(0, concurrency).Select(i => Peer($"bench:{tag}:user:{i}", huge)).ToList();
        var oursBoth = await Throughput(seconds, concurrency, i => () => OmbaroBoth(i));
        var theirsBoth = await Throughput(seconds, concurrency, i => async () =>
        {
            using var ip = await peers[i].AcquireAsync(1);
            using var user = await users[i].AcquireAsync(1);
            return ip.IsAcquired && user.IsAcquired;
        });
        Console.WriteLine($"  ombaro (one call): {oursBoth}");
        Console.WriteLine($"  RedisRateLimiting (two calls): {theirsBoth}");
        return 0;
    }

    static async Task<int> Count(int attempts, int concurrency, Func<Task<bool>> acquire)
    {
        var left = attempts;
        var admitted = 0;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Decrement(ref left) >= 0)
                if (await acquire()) Interlocked.Increment(ref admitted);
        })));
        return admitted;
    }

    static async Task<string> Throughput(double seconds, int concurrency, Func<int, Func<Task<bool>>> caller)
    {
        var until = Stopwatch.StartNew();
        var all = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(i => Task.Run(async () =>
        {
            var acquire = caller(i);
            var ms = new List<double>();
            while (until.Elapsed.TotalSeconds < seconds)
            {
                var t = Stopwatch.GetTimestamp();
                await acquire();
                ms.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }
            return ms;
        })));
        var latencies = all.SelectMany(x => x).ToList();
        return string.Create(CultureInfo.InvariantCulture, $"{latencies.Count / until.Elapsed.TotalSeconds:0} ops/s, {Stats.Summary(latencies)}");
    }
}
