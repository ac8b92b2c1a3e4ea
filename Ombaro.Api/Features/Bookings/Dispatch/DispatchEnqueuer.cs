namespace Ombaro.Api.Features.Bookings.Dispatch;

/// <summary>Puts every newly confirmed booking onto the dispatch queue (a job is the booking id).</summary>
public sealed class DispatchEnqueuer(RedisConnections redis, IOptions<DispatchOptions> options) : IBookingChangeListener
{
    static readonly RedisScript EnqueueMissing = RedisScript.Named("queue_enqueue_missing");

    public async Task OnBookingChangedAsync(BookingChange change, CancellationToken ct)
    {
        if (change.NewStatus == BookingStatus.Confirmed && change.OldStatus != BookingStatus.Confirmed)
            await EnqueueMissingAsync(redis.StateDb, options.Value, [change.BookingId]);
    }

    /// <summary>Enqueues the bookings' jobs that are neither waiting nor claimed (one atomic script); returns how many.</summary>
    internal static async Task<long> EnqueueMissingAsync(IDatabaseAsync db, DispatchOptions options, IReadOnlyCollection<Guid> bookings) =>
        (long)await EnqueueMissing.EvaluateAsync(db, [options.QueueKey, options.ProcessingKey],
            bookings.Select(id => (RedisValue)id.ToString()).ToArray());
}
