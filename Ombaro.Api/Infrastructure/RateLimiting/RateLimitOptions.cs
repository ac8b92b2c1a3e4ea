namespace Ombaro.Api.Infrastructure.RateLimiting;

public sealed class RateLimitOptions
{
    public const string Section = "RateLimiting";

    public bool Enabled { get; set; } = true;
    /// <summary>When Redis cannot answer: false lets requests through (logged and counted), true answers 503.</summary>
    public bool FailClosed { get; set; }
    /// <summary>How long a rate-limit check may wait for Redis before it counts as unavailable.</summary>
    public TimeSpan RedisTimeout { get; set; } = TimeSpan.FromMilliseconds(250);
    /// <summary>Addresses or CIDR ranges of reverse proxies whose <c>X-Forwarded-For</c> is believed.</summary>
    public List<string> TrustedProxies { get; set; } = [];
    /// <summary>IPv6 clients are limited per network of this many bits (64: one subscriber's prefix; 128: per address).</summary>
    public int IPv6PrefixLength { get; set; } = 64;
    /// <summary>The policy table, by name; the name is the last part of the Redis key.</summary>
    public Dictionary<string, RateLimitPolicy> Policies { get; set; } = [];

    /// <summary>Blank entries (an unset deployment variable) are ignored.</summary>
    internal IReadOnlyList<IPNetwork> TrustedNetworks => field ??= TrustedProxies.Where(p => !string.IsNullOrWhiteSpace(p)).Select(ParseNetwork).ToList();

    internal static IPNetwork ParseNetwork(string s) =>
        s.Contains('/', StringComparison.Ordinal) ? IPNetwork.Parse(s) : new IPNetwork(IPAddress.Parse(s), IPAddress.Parse(s).GetAddressBytes().Length * 8);
}

public sealed class RateLimitPolicy
{
    public const string ByIp = "ip";
    public const string ByUser = "user";
    public const string ByMobile = "mobile";

    public int PermitLimit { get; set; }
    public TimeSpan Window { get; set; }
    /// <summary><c>ip</c> (client address), <c>user</c> (signed-in callers only) or <c>mobile</c> (checked by the OTP slices).</summary>
    public string Partition { get; set; } = ByIp;
    /// <summary>Endpoint names (<c>.WithName()</c>) the policy applies to; empty: every /api endpoint.</summary>
    public List<string> Endpoints { get; set; } = [];

    public bool AppliesTo(string? endpoint) => Endpoints.Count == 0 || (endpoint is not null && Endpoints.Contains(endpoint));
}

public sealed class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitOptions o)
    {
        var failures = new List<string>();
        foreach (var (policy, p) in o.Policies)
        {
            if (p.PermitLimit < 1 || p.Window <= TimeSpan.Zero)
                failures.Add($"RateLimiting:Policies:{policy} needs PermitLimit >= 1 and a positive Window");
            if (p.Partition is not (RateLimitPolicy.ByIp or RateLimitPolicy.ByUser or RateLimitPolicy.ByMobile))
                failures.Add($"RateLimiting:Policies:{policy}:Partition must be ip, user or mobile");
        }
        foreach (var proxy in o.TrustedProxies.Where(p => !string.IsNullOrWhiteSpace(p)))
        {
            try { RateLimitOptions.ParseNetwork(proxy); }
            catch (FormatException) { failures.Add($"RateLimiting:TrustedProxies holds '{proxy}', which is not an address or CIDR range"); }
        }
        if (o.IPv6PrefixLength is < 32 or > 128) failures.Add("RateLimiting:IPv6PrefixLength must be between 32 and 128");
        if (o.RedisTimeout <= TimeSpan.Zero) failures.Add("RateLimiting:RedisTimeout must be positive");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
