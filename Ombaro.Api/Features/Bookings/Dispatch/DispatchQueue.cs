using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Ombaro.Api.Infrastructure.Redis;
using StackExchange.Redis;

namespace Ombaro.Api.Features.Bookings.Dispatch;

public sealed class DispatchOptions
{
    public const string Section = "Bookings:Dispatch";

    /// <summary>Run the worker loop in this instance (tests drive it by hand instead).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Queue name: <c>ombaro:queue:{name}</c>, <c>...:processing</c>, <c>...:claims</c>. The braces are a hash tag, so
    /// BLMOVE and the recovery script find all three on one Redis Cluster slot.
    /// </summary>
    [Required, RegularExpression(@"^\{[a-z0-9-]+\}$")]
    public string Queue { get; set; } = "{dispatch}";

    /// <summary>A job claimed longer ago than this is taken to belong to a crashed worker and goes back to the queue.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long one BLMOVE waits for a job before the loop looks for stale claims again.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:30")]
    public TimeSpan BlockTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How far from the vendor a live therapist may be.</summary>
    [Range(0.1, 500)]
    public double RadiusKm { get; set; } = 25;

    internal RedisKey QueueKey => RedisKeys.Queue(Queue);
    internal RedisKey ProcessingKey => RedisKeys.QueueProcessing(Queue);
    internal RedisKey ClaimsKey => RedisKeys.QueueClaims(Queue);
}

/// <summary>Puts every confirmed booking without a therapist onto the dispatch queue (a job is the booking id).</summary>
public sealed class DispatchEnqueuer(RedisConnections redis, IOptions<DispatchOptions> options) : IBookingChangeListener
{
    public async Task OnBookingChangedAsync(BookingChange change, CancellationToken ct)
    {
        if (change.NewStatus == BookingStatus.Confirmed && change.TherapistId is null)
            await redis.StateDb.ListLeftPushAsync(options.Value.QueueKey, change.BookingId.ToString());
    }
}
