namespace Ombaro.Api.Infrastructure.Caching;

/// <summary>
/// Hits, misses, fallbacks (Redis failed or was too slow), loads (PostgreSQL reads actually run, after
/// single-flight coalescing) and the in-process L1's hits and misses per cache name, as .NET metrics
/// (meter <c>Ombaro.Cache</c>) and as totals the ops page reads.
/// </summary>
public sealed class CacheMetrics
{
    public const string MeterName = "Ombaro.Cache";
    readonly Counter<long> hits, misses, fallbacks, loads, l1Hits, l1Misses;
    readonly ConcurrentDictionary<string, Totals> totals = new();

    public CacheMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        hits = meter.CreateCounter<long>("ombaro.cache.hits", description: "Reads answered from Redis");
        misses = meter.CreateCounter<long>("ombaro.cache.misses", description: "Reads loaded from PostgreSQL because Redis had no entry");
        fallbacks = meter.CreateCounter<long>("ombaro.cache.fallbacks", description: "Reads served from PostgreSQL because Redis failed or was too slow");
        loads = meter.CreateCounter<long>("ombaro.cache.loads", description: "Loads from PostgreSQL actually run (concurrent misses of one key share one)");
        l1Hits = meter.CreateCounter<long>("ombaro.cache.l1.hits", description: "Reads answered from this instance's memory (L1), before Redis");
        l1Misses = meter.CreateCounter<long>("ombaro.cache.l1.misses", description: "Reads not in this instance's memory (L1), passed on to Redis");
    }

    public sealed class Totals
    {
        internal long hits, misses, fallbacks, loads, l1Hits, l1Misses;
        public long Hits => Interlocked.Read(ref hits);
        public long Misses => Interlocked.Read(ref misses);
        public long Fallbacks => Interlocked.Read(ref fallbacks);
        public long Loads => Interlocked.Read(ref loads);
        /// <summary>Reads answered from this instance's memory; they do not reach Redis, so they are not in <see cref="HitRate"/>.</summary>
        public long L1Hits => Interlocked.Read(ref l1Hits);
        public long L1Misses => Interlocked.Read(ref l1Misses);
        public double HitRate => Hits + Misses + Fallbacks is var n and > 0 ? (double)Hits / n : 0;
    }

    public IReadOnlyDictionary<string, Totals> Snapshot => totals;

    public void Hit(string cache) { hits.Add(1, Tag(cache)); Interlocked.Increment(ref For(cache).hits); }
    public void Miss(string cache) { misses.Add(1, Tag(cache)); Interlocked.Increment(ref For(cache).misses); }
    public void Fallback(string cache) { fallbacks.Add(1, Tag(cache)); Interlocked.Increment(ref For(cache).fallbacks); }
    public void Load(string cache) { loads.Add(1, Tag(cache)); Interlocked.Increment(ref For(cache).loads); }
    public void L1Hit(string cache) { l1Hits.Add(1, Tag(cache)); Interlocked.Increment(ref For(cache).l1Hits); }
    public void L1Miss(string cache) { l1Misses.Add(1, Tag(cache)); Interlocked.Increment(ref For(cache).l1Misses); }

    Totals For(string cache) => totals.GetOrAdd(cache, _ => new Totals());
    static KeyValuePair<string, object?> Tag(string cache) => new("cache.name", cache);
}
