namespace Ombaro.Api.Infrastructure.Auth;

public sealed class SessionOptions
{
    public const string Section = "Sessions";

    /// <summary>Idle timeout: the session's TTL, refreshed on use.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan SlidingExpiry { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often a use refreshes the TTL at most (saves a write per request).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>No session lives longer than this after login, however much it is used.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan AbsoluteExpiry { get; set; } = TimeSpan.FromHours(12);
}
