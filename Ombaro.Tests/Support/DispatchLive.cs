namespace Ombaro.Tests.Support;

/// <summary>A therapist's live position per the location contract: the geo set and the last-seen time in ms.</summary>
static class DispatchLive
{
    public static async Task PublishAsync(IDatabase redis, TestUser therapist, (double Lat, double Lng) at, DateTimeOffset? seen = null)
    {
        await redis.GeoAddAsync(RedisKeys.GeoTherapists, at.Lng, at.Lat, therapist.Id.ToString());
        await redis.SortedSetAddAsync(RedisKeys.GeoTherapistsSeen, therapist.Id.ToString(), (seen ?? TimeProvider.System.GetUtcNow()).ToUnixTimeMilliseconds());
    }
}
