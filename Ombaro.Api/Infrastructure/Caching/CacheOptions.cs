namespace Ombaro.Api.Infrastructure.Caching;

public sealed class CacheOptions
{
    public const string Section = "Cache";

    /// <summary>How long a cache read or write may take before the value is served from PostgreSQL.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:05")]
    public TimeSpan RedisBudget { get; set; } = TimeSpan.FromMilliseconds(150);

    /// <summary>TTLs are stretched by a random 0..Jitter fraction so entries written together do not expire together.</summary>
    [Range(0.0, 0.5)]
    public double Jitter { get; set; } = 0.1;

    /// <summary>
    /// How long an instance keeps a public hot read (vendor detail, search) in process (<see cref="L1Cache"/>): the
    /// longest another instance may serve an edit's old value when the invalidation message is lost. 0 turns L1 off.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan L1Ttl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Entry units the L1 holds at most: a vendor detail is one, a search cell one plus one per 10 vendors it holds (at most 11).</summary>
    [Range(1, 1_000_000)]
    public int L1MaxEntries { get; set; } = 10_000;
}
