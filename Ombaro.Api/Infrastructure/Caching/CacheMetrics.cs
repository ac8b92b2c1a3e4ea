using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Ombaro.Api.Infrastructure.Caching;

/// <summary>
/// Hits, misses and fallbacks (Redis failed or was too slow) per cache name, as .NET metrics
/// (meter <c>Ombaro.Cache</c>) and as totals the ops page reads.
/// </summary>
public sealed class CacheMetrics
{
    public const string MeterName = "Ombaro.Cache";
    readonly Counter<long> hits, misses, fallbacks;
    readonly ConcurrentDictionary<string, Totals> totals = new();

    public CacheMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        hits = meter.CreateCounter<long>("ombaro.cache.hits", description: "Reads answered from Redis");
        misses = meter.CreateCounter<long>("ombaro.cache.misses", description: "Reads loaded from PostgreSQL because Redis had no entry");
        fallbacks = meter.CreateCounter<long>("ombaro.cache.fallbacks", description: "Reads served from PostgreSQL because Redis failed or was too slow");
    }

    public sealed class Totals
    {
        internal long hits, misses, fallbacks;
        public long Hits => Interlocked.Read(ref hits);
        public long Misses => Interlocked.Read(ref misses);
        public long Fallbacks => Interlocked.Read(ref fallbacks);
        public double HitRate => Hits + Misses + Fallbacks is var n and > 0 ? (double)Hits / n : 0;
    }

    public IReadOnlyDictionary<string, Totals> Snapshot => totals;

    public void Hit(string cache) { hits.Add(1, Tag(cache)); Interlocked.Increment(ref For(cache).hits); }
    public void Miss(string cache) { misses.Add(1, Tag(cache)); Interlocked.Increment(ref For(cache).misses); }
    public void Fallback(string cache) { fallbacks.Add(1, Tag(cache)); Interlocked.Increment(ref For(cache).fallbacks); }

    Totals For(string cache) => totals.GetOrAdd(cache, _ => new Totals());
    static KeyValuePair<string, object?> Tag(string cache) => new("cache.name", cache);
}
