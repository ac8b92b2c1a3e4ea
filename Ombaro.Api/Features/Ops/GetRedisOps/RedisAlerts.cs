namespace Ombaro.Api.Features.Ops;

/// <summary>The seed's "Performance Metrics" targets, checked against one report.</summary>
public static class RedisAlerts
{
    public const double HitRateTarget = 0.80, MemoryTarget = 80.0, EvictionRateTarget = 0.01, P99TargetMs = 1.0;
    /// <summary>Fewer cache lookups than this say nothing about the hit rate.</summary>
    public const long MinLookups = 20;

    /// <summary>Share of the platform's SMS budget per minute above which OTP traffic is suspicious (SMS pumping).</summary>
    public const double SmsBudgetTarget = 0.80;

    /// <summary>The SMS budget alert: warning above <see cref="SmsBudgetTarget"/> of it, critical when used up (requests are refused).</summary>
    public static Alert? SmsBudget(long used, int limit) =>
        used >= limit
            ? new("critical", "sms", "smsBudget", used, limit, $"The SMS budget of {limit} per minute is used up: OTP requests are refused (SMS pumping?).")
            : used > limit * SmsBudgetTarget
                ? new("warning", "sms", "smsBudget", used, limit, $"{used} of the {limit} SMS per minute were sent in the last minute (target < {SmsBudgetTarget:P0}).")
                : null;

    public sealed record Alert(string Severity, string Subject, string Metric, double Value, double Threshold, string Message);

    public static IReadOnlyList<Alert> Check(IReadOnlyList<RedisServerReport.Server> servers, IReadOnlyList<GetRedisOps.CacheFigures> caches)
    {
        var alerts = new List<Alert>();
        foreach (var server in servers)
        {
            var name = string.Join("+", server.Roles);
            var holdsState = server.Roles.Contains(RedisRole.State);
            if (!server.Reachable)
            {
                alerts.Add(new("critical", name, "reachable", 0, 1, $"Redis {name} at {server.Endpoint} does not answer ({server.Error})."));
                continue;
            }
            var info = server.Info!;
            if (info.MemoryPercent is { } percent && percent > MemoryTarget)
                alerts.Add(new(holdsState ? "critical" : "warning", name, "memory", percent, MemoryTarget,
                    $"Redis {name} uses {percent:0.#} % of maxmemory (target < {MemoryTarget} %)."));
            if (holdsState && info.EvictedKeys > 0)
                alerts.Add(new("critical", name, "evictions", info.EvictedKeys, 0,
                    $"Redis {name} evicted {info.EvictedKeys} keys: sessions, OTP or locks may be lost (policy {info.MaxMemoryPolicy})."));
            else if (info.EvictionRate > EvictionRateTarget)
                alerts.Add(new("warning", name, "evictionRate", info.EvictionRate, EvictionRateTarget,
                    $"Redis {name}: {info.EvictionRate:P1} of removed keys were evicted rather than expired (target < {EvictionRateTarget:P0})."));
            if (server.Latency.Samples > 0 && server.Latency.P99Ms > P99TargetMs)
                alerts.Add(new("warning", name, "p99", server.Latency.P99Ms, P99TargetMs,
                    $"The app's Redis {name} calls have p99 {server.Latency.P99Ms:0.###} ms (target < {P99TargetMs} ms)."));
            if (info.RejectedConnections > 0)
                alerts.Add(new("warning", name, "rejectedConnections", info.RejectedConnections, 0,
                    $"Redis {name} rejected {info.RejectedConnections} connections (maxclients reached)."));
        }
        foreach (var cache in caches.Where(c => c.Lookups >= MinLookups && c.HitRate < HitRateTarget))
            alerts.Add(new("warning", $"cache:{cache.Name}", "hitRate", cache.HitRate, HitRateTarget,
                $"Cache {cache.Name} hit rate is {cache.HitRate:P1} over {cache.Lookups} lookups (target > {HitRateTarget:P0})."));
        return alerts;
    }
}
