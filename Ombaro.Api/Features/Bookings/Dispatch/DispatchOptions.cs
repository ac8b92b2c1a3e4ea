namespace Ombaro.Api.Features.Bookings.Dispatch;

public sealed class DispatchOptions
{
    public const string Section = "Bookings:Dispatch";

    /// <summary>Run the worker loop and the reconciliation in this instance (tests drive them by hand instead).</summary>
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

    /// <summary>
    /// How often (and once at start-up) <see cref="DispatchReconciler"/> enqueues confirmed (not yet assigned) future
    /// bookings whose job is missing, e.g. because the process died between the commit and the enqueue.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How far from the vendor a live therapist may be.</summary>
    [Range(0.1, 500)]
    public double RadiusKm { get; set; } = 25;

    internal RedisKey QueueKey => RedisKeys.Queue(Queue);
    internal RedisKey ProcessingKey => RedisKeys.QueueProcessing(Queue);
    internal RedisKey ClaimsKey => RedisKeys.QueueClaims(Queue);
}
