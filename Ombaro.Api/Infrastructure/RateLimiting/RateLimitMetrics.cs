namespace Ombaro.Api.Infrastructure.RateLimiting;

/// <summary>Meter <c>Ombaro.RateLimiting</c>: refused requests per policy, and checks Redis could not answer.</summary>
public sealed class RateLimitMetrics
{
    public const string MeterName = "Ombaro.RateLimiting";
    readonly Counter<long> rejected, unavailable;

    public RateLimitMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        rejected = meter.CreateCounter<long>("ombaro.ratelimit.rejected", description: "Requests refused with 429");
        unavailable = meter.CreateCounter<long>("ombaro.ratelimit.unavailable", description: "Checks skipped (fail open) or refused (fail closed) because Redis did not answer");
    }

    public void Rejected(string policy) => rejected.Add(1, new KeyValuePair<string, object?>("policy", policy));
    public void Unavailable(bool failClosed) => unavailable.Add(1, new KeyValuePair<string, object?>("outcome", failClosed ? "closed" : "open"));
}
