namespace Ombaro.Api.Features.Ops;

/// <summary>What one Redis server says about itself (INFO, SLOWLOG, a bounded SCAN), and how fast the app finds it.</summary>
public static class RedisServerReport
{
    /// <summary>The SCAN sample stops after this many keys or this long, whichever comes first.</summary>
    public const int KeySampleLimit = 10_000;
    public static readonly TimeSpan KeySampleBudget = TimeSpan.FromMilliseconds(250);
    const int SlowLogRead = 32, SlowLogShown = 10;
    static readonly TimeSpan CommandBudget = TimeSpan.FromSeconds(2);

    public sealed record Info(
        string Version, long UsedMemoryBytes, long MaxMemoryBytes, double? MemoryPercent, string MaxMemoryPolicy,
        long EvictedKeys, long ExpiredKeys, double EvictionRate, long ConnectedClients, long RejectedConnections,
        long OpsPerSecond, long KeyspaceHits, long KeyspaceMisses, double? KeyspaceHitRate);

    /// <summary>One slow command; arguments are left out (they may hold mobiles or tokens), the key shows only its namespace.</summary>
    public sealed record SlowCommand(long Id, DateTimeOffset At, double Milliseconds, string Command, string? KeyNamespace);

    public sealed record KeyNamespace(string Name, long Sampled, long Estimated);
    public sealed record KeySample(long DatabaseSize, long Scanned, bool Complete, IReadOnlyList<KeyNamespace> Namespaces);

    public sealed record Server(
        IReadOnlyList<string> Roles, string Endpoint, bool Reachable, string? Error, Info? Info,
        IReadOnlyList<SlowCommand> SlowLog, RedisLatency.Percentiles Latency, KeySample? Keys);

    /// <summary>
    /// One entry per master node of the role's connection: the one server of a standalone Redis (named by
    /// <paramref name="endpoint"/>, the configured address without its password), or each master of a Redis Cluster
    /// (named by its address; replicas are left out). The app's latency is per connection, so masters share it.
    /// </summary>
    public static async Task<IReadOnlyList<Server>> ReadAsync(IReadOnlyList<string> roles, string endpoint, IConnectionMultiplexer mux,
        int database, CancellationToken ct)
    {
        var latency = RedisLatency.For(mux).Snapshot();
        var servers = mux.GetServers();
        if (servers.Length == 1) return [await ReadAsync(roles, endpoint, servers[0], latency, database, ct)];
        var masters = servers.Where(s => !s.IsConnected || !s.IsReplica).OrderBy(s => s.EndPoint.ToString(), StringComparer.Ordinal);
        return await Task.WhenAll(masters.Select(s => ReadAsync(roles, s.EndPoint.ToString()!, s, latency, database, ct)));
    }

    static async Task<Server> ReadAsync(IReadOnlyList<string> roles, string endpoint, IServer server, RedisLatency.Percentiles latency,
        int database, CancellationToken ct)
    {
        try
        {
            var info = ParseInfo(await server.InfoAsync().WaitAsync(CommandBudget, ct));
            var slow = await server.SlowlogGetAsync(SlowLogRead).WaitAsync(CommandBudget, ct);
            var keys = await SampleKeysAsync(server, database, ct);
            var top = slow.OrderByDescending(s => s.Duration).Take(SlowLogShown)
                .Select(s => new SlowCommand(s.UniqueId, new DateTimeOffset(s.Time, TimeSpan.Zero), s.Duration.TotalMilliseconds,
                    s.Arguments.Length > 0 ? s.Arguments[0].ToString().ToUpperInvariant() : "?",
                    s.Arguments.Length > 1 ? NamespaceOf(s.Arguments[1].ToString()) : null))
                .ToList();
            return new Server(roles, endpoint, true, null, info, top, latency, keys);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or InvalidOperationException)
        {
            return new Server(roles, endpoint, false, e.GetType().Name, null, [], latency, null);
        }
    }

    /// <summary>
    /// Key counts per <c>ombaro:</c> namespace from SCAN (never KEYS), stopped after <see cref="KeySampleLimit"/>
    /// keys or <see cref="KeySampleBudget"/>; an incomplete sample is scaled up by DBSIZE.
    /// </summary>
    static async Task<KeySample> SampleKeysAsync(IServer server, int database, CancellationToken ct)
    {
        var size = await server.DatabaseSizeAsync(database).WaitAsync(CommandBudget, ct);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        long scanned = 0;
        var complete = true;
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
        budget.CancelAfter(KeySampleBudget);
        try
        {
            await foreach (var key in server.KeysAsync(database, pattern: "*", pageSize: 1000).WithCancellation(budget.Token))
            {
                scanned++;
                var name = NamespaceOf(key.ToString()) ?? "(other)";
                counts[name] = counts.GetValueOrDefault(name) + 1;
                if (scanned >= KeySampleLimit) { complete = scanned >= size; break; }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { complete = false; }
        var scale = complete || scanned == 0 ? 1.0 : (double)size / scanned;
        return new KeySample(size, scanned, complete, counts
            .Select(c => new KeyNamespace(c.Key, c.Value, (long)Math.Round(c.Value * scale)))
            .OrderByDescending(n => n.Sampled).ThenBy(n => n.Name, StringComparer.Ordinal).ToList());
    }

    /// <summary>
    /// <c>ombaro:session:abc</c> → <c>session</c>; <c>ombaro:{geo:therapists}:seen</c> → <c>geo</c>;
    /// <c>ombaro:cache:dashboard:...</c> → <c>cache:dashboard</c>; anything else → null.
    /// </summary>
    public static string? NamespaceOf(string key)
    {
        if (!key.StartsWith("ombaro:", StringComparison.Ordinal)) return null;
        var parts = key["ombaro:".Length..].Split(':', 3);
        var first = parts[0].TrimStart('{');
        if (first.Length == 0) return null;
        return first == "cache" && parts.Length > 1 ? $"cache:{parts[1]}" : first;
    }

    internal static Info ParseInfo(IGrouping<string, KeyValuePair<string, string>>[] sections)
    {
        var all = sections.SelectMany(s => s).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal);
        long Number(string name) => all.TryGetValue(name, out var v) && long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
        var used = Number("used_memory");
        var max = Number("maxmemory");
        var (evicted, expired) = (Number("evicted_keys"), Number("expired_keys"));
        var (hits, misses) = (Number("keyspace_hits"), Number("keyspace_misses"));
        return new Info(
            all.GetValueOrDefault("redis_version", "?"), used, max, max > 0 ? Math.Round(100.0 * used / max, 2) : null,
            all.GetValueOrDefault("maxmemory_policy", "?"), evicted, expired,
            EvictionRate: evicted + expired > 0 ? (double)evicted / (evicted + expired) : 0,
            Number("connected_clients"), Number("rejected_connections"), Number("instantaneous_ops_per_sec"),
            hits, misses, hits + misses > 0 ? (double)hits / (hits + misses) : null);
    }
}
