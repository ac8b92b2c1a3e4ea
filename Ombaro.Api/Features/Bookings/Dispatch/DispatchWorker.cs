using NRedisStack;

namespace Ombaro.Api.Features.Bookings.Dispatch;

public enum DispatchOutcome { Assigned, AlreadyApplied, NoTherapist }

public sealed record DispatchResult(string Job, DispatchOutcome Outcome, Guid? TherapistId = null);

/// <summary>
/// The reliable dispatch queue's worker. A job moves atomically from <c>ombaro:queue:{dispatch}</c> to
/// <c>...:processing</c> (NRedisStack BLMOVE, on a connection of its own because it blocks), its claim time goes into
/// <c>...:claims</c>, it is applied, and only then acknowledged (removed from processing). Jobs a crashed worker left in
/// processing are re-queued once their claim is older than <see cref="DispatchOptions.ClaimTimeout"/>.
/// A confirmed booking already holds a therapist's time (reserved by its hold); applying its job gives it to the nearest
/// live therapist of the vendor who is free, which may MOVE it from the reserved therapist to another: one conditional
/// update (<c>status = 'confirmed' AND therapist_id = @reserved</c>) inside the exclusion constraint, so it is never left
/// without a therapist, never put on a busy one, and a job applied twice changes nothing. Therapists whose time a live
/// hold reserves are skipped. With no live free therapist the booking keeps its reserved therapist, confirmed, for the vendor.
/// </summary>
public sealed partial class DispatchWorker(
    ConnectionSettings settings, IOptions<DispatchOptions> options, NpgsqlDataSource db, BookingChangePublisher changes,
    BookingCalendar calendar, SlotHolds holds, TimeProvider clock, ILogger<DispatchWorker> logger) : BackgroundService
{
    static readonly RedisScript RequeueStale = RedisScript.Named("queue_requeue_stale");
    static readonly RedisScript StampClaim = RedisScript.Named("queue_claim");

    readonly Lazy<ConnectionMultiplexer> connection = new(() => Connect(settings, options.Value));
    DispatchOptions Options => options.Value;
    IDatabase Redis => connection.Value.GetDatabase();

    static ConnectionMultiplexer Connect(ConnectionSettings settings, DispatchOptions options)
    {
        var config = settings.RedisState.ToOptions("ombaro-dispatch");
        config.AsyncTimeout = (int)(options.BlockTimeout + TimeSpan.FromSeconds(5)).TotalMilliseconds;   // BLMOVE blocks by design
        return ConnectionMultiplexer.Connect(config);
    }

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        if (!Options.Enabled) return;
        await Task.Yield();
        var swept = DateTimeOffset.MinValue;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (clock.GetUtcNow() - swept >= Options.ClaimTimeout / 2)
                {
                    swept = clock.GetUtcNow();
                    if (await RequeueStaleAsync() is > 0 and var n) LogRequeued(n);
                }
                await ProcessNextAsync(Options.BlockTimeout, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { break; }
            catch (Exception e)
            {
                LogLoopFailed(e);
                try { await Task.Delay(TimeSpan.FromSeconds(1), clock, stop); }   // Redis or PostgreSQL away: back off
                catch (OperationCanceledException) { break; }
            }
        }
    }

    /// <summary>Claims, applies and acknowledges one job; null when none arrived within <paramref name="block"/>.</summary>
    public async Task<DispatchResult?> ProcessNextAsync(TimeSpan block, CancellationToken ct)
    {
        if (await ClaimAsync(block) is not { } job) return null;
        var result = await ApplyAsync(job, ct);
        await AcknowledgeAsync(job);
        return result;
    }

    /// <summary>Moves the oldest job to processing (BLMOVE) and stamps its claim time; null when none arrived in time.</summary>
    public async Task<string?> ClaimAsync(TimeSpan block)
    {
        var job = await Redis.BLMoveAsync(Options.QueueKey, Options.ProcessingKey, ListSide.Right, ListSide.Left, block.TotalSeconds);
        if (job is not { IsNullOrEmpty: false } value) return null;   // a timed-out BLMOVE comes back empty
        await StampClaim.EvaluateAsync(Redis, [Options.ClaimsKey], [value]);
        return value.ToString();
    }

    /// <summary>Removes a finished job from processing and its claim (same hash tag: one transaction).</summary>
    public async Task AcknowledgeAsync(string job)
    {
        var tx = Redis.CreateTransaction("dispatch acknowledge", Options.ProcessingKey, Options.ClaimsKey);
        _ = tx.ListRemoveAsync(Options.ProcessingKey, job, 1);
        _ = tx.SortedSetRemoveAsync(Options.ClaimsKey, job);
        await tx.ExecuteAsync();
    }

    /// <summary>
    /// Re-queues jobs whose claim is older than the timeout by Redis' clock (plus <paramref name="lookAhead"/>, which tests
    /// use to see a claim time out); returns how many.
    /// </summary>
    public async Task<long> RequeueStaleAsync(TimeSpan lookAhead = default) =>
        (long)await RequeueStale.EvaluateAsync(Redis, [Options.QueueKey, Options.ProcessingKey, Options.ClaimsKey],
            [(long)lookAhead.TotalMilliseconds, (long)Options.ClaimTimeout.TotalMilliseconds]);

    /// <summary>Assigns the nearest live, free therapist of the booking's vendor (moving it there), if it is still confirmed.</summary>
    public async Task<DispatchResult> ApplyAsync(string job, CancellationToken ct)
    {
        if (!Guid.TryParse(job, out var bookingId)) return new DispatchResult(job, DispatchOutcome.AlreadyApplied);   // not ours: drop it
        await using var conn = await db.OpenConnectionAsync(ct);
        var booking = await conn.QuerySingleOrDefaultAsync<Waiting?>(new CommandDefinition("""
            SELECT b.vendor_id AS VendorId, b.service_id AS ServiceId, b.therapist_id AS TherapistId, b.starts_at AS StartsAt,
                   v.latitude AS Latitude, v.longitude AS Longitude, v.time_zone AS TimeZone
            FROM bookings b JOIN vendors v ON v.id = b.vendor_id
            WHERE b.id = @bookingId AND b.status = 'confirmed'
            """, new { bookingId }, cancellationToken: ct));
        if (booking is not { } b) return new DispatchResult(job, DispatchOutcome.AlreadyApplied);

        var candidates = await CandidatesAsync(conn, b.VendorId, b.Latitude, b.Longitude, ct);
        var heldByOthers = await HeldByOthersAsync(b, candidates, ct);
        foreach (var therapist in candidates.Where(t => !heldByOthers.Contains(t)))
        {
            switch (await TryAssignAsync(conn, bookingId, b.TherapistId, therapist, ct))
            {
                case true: return new DispatchResult(job, DispatchOutcome.Assigned, therapist);
                case null: return new DispatchResult(job, DispatchOutcome.AlreadyApplied);
                case false: continue;   // busy then: the exclusion constraint said no
            }
        }
        LogNoTherapist(bookingId);
        return new DispatchResult(job, DispatchOutcome.NoTherapist);
    }

    /// <summary>A confirmed booking as dispatch reads it.</summary>
    sealed record Waiting(Guid VendorId, Guid ServiceId, Guid TherapistId, DateTime StartsAt, double Latitude, double Longitude, string TimeZone);

    /// <summary>The candidates (other than the booking's own therapist) whose time over the booking a live hold reserves.</summary>
    async Task<IReadOnlySet<Guid>> HeldByOthersAsync(Waiting b, IReadOnlyList<Guid> candidates, CancellationToken ct)
    {
        var others = candidates.Where(t => t != b.TherapistId).ToList();
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(b.StartsAt, DateTimeKind.Utc), TimeZoneInfo.FindSystemTimeZoneById(b.TimeZone));
        var date = DateOnly.FromDateTime(local);
        if (others.Count == 0 || await calendar.LoadDayAsync(b.VendorId, b.ServiceId, date, ct) is not { } day
            || day.Slot(TimeOnly.FromDateTime(local)) is not { } slot)
            return new HashSet<Guid>();
        return (await holds.HeldAsync(b.VendorId, date, others, slot.Spans)).Select(h => h.Therapist).ToHashSet();
    }

    /// <summary>The vendor's active therapists that are live, nearest to the vendor first (GEOSEARCH over the live set).</summary>
    async Task<IReadOnlyList<Guid>> CandidatesAsync(NpgsqlConnection conn, Guid vendorId, double lat, double lng, CancellationToken ct)
    {
        var roster = (await conn.QueryAsync<Guid>(new CommandDefinition("""
            SELECT vt.therapist_id FROM vendor_therapists vt JOIN users u ON u.id = vt.therapist_id AND u.status = 'active'
            WHERE vt.vendor_id = @vendorId AND vt.active
            """, new { vendorId }, cancellationToken: ct))).ToHashSet();
        if (roster.Count == 0) return [];
        var near = await Redis.GeoSearchAsync(RedisKeys.GeoTherapists, lng, lat, new GeoSearchCircle(Options.RadiusKm, GeoUnit.Kilometers),
            order: Order.Ascending, options: GeoRadiusOptions.None);
        var members = near.Select(r => r.Member).Where(m => Guid.TryParse(m.ToString(), out var id) && roster.Contains(id)).ToArray();
        if (members.Length == 0) return [];
        var seen = await Redis.SortedSetScoresAsync(RedisKeys.GeoTherapistsSeen, members);
        var liveSince = (clock.GetUtcNow() - Therapists.LiveLocations.LiveWindow).ToUnixTimeMilliseconds();
        return members.Where((_, i) => seen[i] is { } ms && ms >= liveSince).Select(m => Guid.Parse(m.ToString())).ToList();
    }

    /// <returns>true when assigned; false when the therapist is busy; null when the booking no longer waits for dispatch</returns>
    async Task<bool?> TryAssignAsync(NpgsqlConnection conn, Guid bookingId, Guid reserved, Guid therapist, CancellationToken ct)
    {
        try
        {
            await using var tx = await conn.BeginTransactionAsync(ct);
            var row = await conn.QuerySingleOrDefaultAsync<(Guid CustomerId, Guid VendorId, DateTime StartsAt)?>(new CommandDefinition("""
                UPDATE bookings SET therapist_id = @therapist, status = 'assigned', updated_at = @now
                WHERE id = @bookingId AND status = 'confirmed' AND therapist_id = @reserved
                RETURNING customer_id, vendor_id, starts_at
                """, new { therapist, bookingId, reserved, now = clock.GetUtcNow() }, tx, cancellationToken: ct));
            if (row is not { } r) return null;
            await Audit.WriteAsync(tx, Actor.System, "booking.assign", bookingId,
                new(BookingStatus.Confirmed, reserved), new(BookingStatus.Assigned, therapist), ct);
            await tx.CommitAsync(ct);
            await changes.PublishAsync(new BookingChange(bookingId, r.CustomerId, r.VendorId, therapist, BookingStatus.Confirmed,
                BookingStatus.Assigned, BookingReader.Utc(r.StartsAt), therapist != reserved ? reserved : null));
            return true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ExclusionViolation)
        {
            return false;
        }
    }

    public override async Task StopAsync(CancellationToken ct)
    {
        await base.StopAsync(ct);
        if (!connection.IsValueCreated) return;
        // The loop has stopped; a blocking call it abandoned may still be pending. Closing without waiting for commands to
        // complete skips the graceful QUIT-and-wait path, which on a cluster now and then threw a NullReferenceException
        // inside StackExchange.Redis (its issue #2754) and failed the host's shutdown.
        await connection.Value.CloseAsync(allowCommandsToComplete: false);
        await connection.Value.DisposeAsync();
    }

    [LoggerMessage(LogLevel.Information, "Dispatch: re-queued {Count} job(s) of crashed workers")]
    partial void LogRequeued(long count);

    [LoggerMessage(LogLevel.Warning, "Dispatch: no live free therapist for booking {BookingId}; it keeps its reserved therapist, for the vendor to assign")]
    partial void LogNoTherapist(Guid bookingId);

    [LoggerMessage(LogLevel.Error, "Dispatch loop failed; retrying")]
    partial void LogLoopFailed(Exception e);
}
