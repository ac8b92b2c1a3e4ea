using System.Numerics;
using System.Runtime.CompilerServices;

namespace Ombaro.Api.Infrastructure.Redis;

/// <summary>
/// Latency of the app's own Redis calls, per multiplexer (so per Redis role), measured where the calls
/// are made (<see cref="RedisScript"/>, <see cref="RedisStore"/>, the cache-aside reads and writes).
/// Recording is lock-free: one <see cref="Interlocked.Increment(ref long)"/> on a log-linear bucket
/// (8 buckets per power of two, so a percentile is within about 6 % of the true value). Percentiles
/// cover the current and the previous window of <see cref="Window"/>, i.e. the last one to two minutes.
/// </summary>
public sealed class RedisLatency
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    static readonly ConditionalWeakTable<IConnectionMultiplexer, RedisLatency> ByConnection = new();
    static readonly long WindowTicks = (long)(Window.TotalSeconds * Stopwatch.Frequency);

    const int SubBuckets = 8;            // per power of two
    const int Buckets = SubBuckets + 40 * SubBuckets;

    sealed class Counts(long start)
    {
        public readonly long Start = start;
        public readonly long[] Buckets = new long[RedisLatency.Buckets];
    }

    Counts current = new(Stopwatch.GetTimestamp());
    Counts? previous;

    public sealed record Percentiles(long Samples, double P50Ms, double P95Ms, double P99Ms, double MaxMs, double WindowSeconds);

    /// <summary>The recorder of a multiplexer (created on first use).</summary>
    public static RedisLatency For(IConnectionMultiplexer connection) => ByConnection.GetValue(connection, _ => new RedisLatency());

    /// <summary>Records the time since <paramref name="startTimestamp"/> (from <see cref="Stopwatch.GetTimestamp"/>).</summary>
    public static void Record(IDatabaseAsync db, long startTimestamp) => For(db.Multiplexer).Record(Stopwatch.GetTimestamp() - startTimestamp);

    public void Record(long elapsedTicks)
    {
        var now = Stopwatch.GetTimestamp();
        var counts = Volatile.Read(ref current);
        if (now - counts.Start >= WindowTicks) counts = Rotate(counts, now);
        Interlocked.Increment(ref counts.Buckets[Bucket(ToMicroseconds(elapsedTicks))]);
    }

    Counts Rotate(Counts seen, long now)
    {
        var fresh = new Counts(now);
        var won = Interlocked.CompareExchange(ref current, fresh, seen);
        if (!ReferenceEquals(won, seen)) return won;     // another thread rotated first
        // A whole idle window means the older counts are stale too.
        Volatile.Write(ref previous, now - seen.Start >= 2 * WindowTicks ? null : seen);
        return fresh;
    }

    public Percentiles Snapshot()
    {
        var now = Stopwatch.GetTimestamp();
        var counts = Volatile.Read(ref current);
        if (now - counts.Start >= WindowTicks) counts = Rotate(counts, now);
        var older = Volatile.Read(ref previous);
        var merged = new long[Buckets];
        for (var i = 0; i < Buckets; i++) merged[i] = Interlocked.Read(ref counts.Buckets[i]) + (older is null ? 0 : Interlocked.Read(ref older.Buckets[i]));
        var total = merged.Sum();
        var since = older?.Start ?? counts.Start;
        var seconds = (double)(now - since) / Stopwatch.Frequency;
        if (total == 0) return new Percentiles(0, 0, 0, 0, 0, seconds);
        var max = Array.FindLastIndex(merged, c => c > 0);
        return new Percentiles(total, Quantile(merged, total, 0.50), Quantile(merged, total, 0.95), Quantile(merged, total, 0.99),
            UpperMicros(max) / 1000.0, seconds);
    }

    static double Quantile(long[] buckets, long total, double q)
    {
        var rank = (long)Math.Ceiling(q * total);
        long seen = 0;
        for (var i = 0; i < buckets.Length; i++)
        {
            seen += buckets[i];
            if (seen >= rank) return UpperMicros(i) / 1000.0;
        }
        return UpperMicros(buckets.Length - 1) / 1000.0;
    }

    static long ToMicroseconds(long ticks) => ticks * 1_000_000 / Stopwatch.Frequency;

    /// <summary>0..7 µs one bucket each; above, 8 buckets per power of two.</summary>
    internal static int Bucket(long micros)
    {
        if (micros < SubBuckets) return (int)Math.Max(micros, 0);
        var power = 63 - BitOperations.LeadingZeroCount((ulong)micros);      // >= 3
        var sub = (int)(micros >> (power - 3)) & (SubBuckets - 1);
        return Math.Min(SubBuckets + (power - 3) * SubBuckets + sub, Buckets - 1);
    }

    /// <summary>The largest value (µs) that falls into <paramref name="bucket"/>.</summary>
    internal static long UpperMicros(int bucket)
    {
        if (bucket < SubBuckets) return bucket;
        var power = (bucket - SubBuckets) / SubBuckets + 3;
        var sub = (bucket - SubBuckets) % SubBuckets;
        return ((long)(SubBuckets + sub + 1) << (power - 3)) - 1;
    }
}
