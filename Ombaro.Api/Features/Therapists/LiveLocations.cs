namespace Ombaro.Api.Features.Therapists;

/// <summary>
/// Live therapist locations on the state Redis (the contract shared with bookings and the desks): geo set
/// <c>ombaro:{geo:therapists}</c>, last-seen set <c>...:seen</c> (unix ms), latest fix hash
/// <c>ombaro:{geo:therapists}:location:{id}</c> (lat, lng, accuracy, timestamp in unix ms, received in unix ms; TTL 5 min).
/// </summary>
public static class LiveLocations
{
    /// <summary>A therapist is live when seen within this window (the live-location contract: nearby, rosters, dashboards, dispatch).</summary>
    public static readonly TimeSpan LiveWindow = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);
    /// <summary>Phone clocks run a little ahead; a fix further in the future than this is refused.</summary>
    public static readonly TimeSpan FutureSkew = TimeSpan.FromSeconds(30);
}
