namespace Ombaro.Api.Features.Bookings.Dispatch;

/// <summary>
/// Makes the dispatch queue agree with PostgreSQL. A confirmed booking (holding its reserved therapist, not yet assigned)
/// is enqueued by <see cref="DispatchEnqueuer"/> after the commit, so a process that dies in between would lose its job;
/// this finds every confirmed future booking (status still <c>confirmed</c>) and enqueues the ones neither waiting nor claimed, at
/// start-up and every <see cref="DispatchOptions.ReconcileInterval"/>. The script checks and pushes atomically, so
/// reconcilers of several instances at once still enqueue a job once; a job enqueued just as a worker assigned its
/// booking changes nothing (assignment is conditional).
/// </summary>
public sealed partial class DispatchReconciler(
    IOptions<DispatchOptions> options, NpgsqlDataSource db, RedisConnections redis, TimeProvider clock,
    ILogger<DispatchReconciler> logger) : BackgroundService
{
    const int Batch = 500;
    DispatchOptions Options => options.Value;

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        if (!Options.Enabled) return;
        await Task.Yield();
        using var timer = new PeriodicTimer(Options.ReconcileInterval, clock);
        do
        {
            try
            {
                if (await ReconcileAsync(stop) is > 0 and var n) LogEnqueued(n);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { break; }
            catch (Exception e) { LogFailed(e); }   // Redis or PostgreSQL away: the next round tries again
        }
        while (await WaitAsync(timer, stop));
    }

    static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stop)
    {
        try { return await timer.WaitForNextTickAsync(stop); }
        catch (OperationCanceledException) { return false; }
    }

    /// <summary>Enqueues the confirmed (not yet assigned) future bookings whose job is missing; returns how many.</summary>
    public async Task<long> ReconcileAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var pending = (await conn.QueryAsync<Guid>(new CommandDefinition("""
            SELECT id FROM bookings WHERE status = 'confirmed' AND starts_at > @now ORDER BY starts_at
            """, new { now = clock.GetUtcNow() }, cancellationToken: ct))).ToList();
        long added = 0;
        foreach (var chunk in pending.Chunk(Batch))
            added += await DispatchEnqueuer.EnqueueMissingAsync(redis.StateDb, Options, chunk);
        return added;
    }

    [LoggerMessage(LogLevel.Warning, "Dispatch: reconciliation enqueued {Count} booking(s) whose job was missing")]
    partial void LogEnqueued(long count);

    [LoggerMessage(LogLevel.Error, "Dispatch reconciliation failed; retrying next round")]
    partial void LogFailed(Exception e);
}
