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
}
