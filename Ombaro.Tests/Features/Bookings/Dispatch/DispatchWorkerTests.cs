using Ombaro.Api.Features.Bookings.Dispatch;

namespace Ombaro.Tests.Features.Bookings.Dispatch;

[Collection(ApiCollection.Name)]
public sealed class DispatchWorkerTests(ApiFixture api, DispatchHost dispatch) : IClassFixture<DispatchHost>
{
    static readonly TimeSpan Block = TimeSpan.FromMilliseconds(200);
    RedisKey Queue => RedisKeys.Queue(dispatch.Options.Queue);
    RedisKey Processing => RedisKeys.QueueProcessing(dispatch.Options.Queue);
    RedisKey Claims => RedisKeys.QueueClaims(dispatch.Options.Queue);

    /// <summary>Publishes a therapist's live position per the location contract (geo set + last-seen in ms).</summary>
    async Task Live(TestUser therapist, double lat, double lng, DateTimeOffset? seen = null)
    {
        await dispatch.Redis.GeoAddAsync(RedisKeys.GeoTherapists, lng, lat, therapist.Id.ToString());
        await dispatch.Redis.SortedSetAddAsync(RedisKeys.GeoTherapistsSeen, therapist.Id.ToString(), (seen ?? TimeProvider.System.GetUtcNow()).ToUnixTimeMilliseconds());
    }

    /// <summary>
    /// A pending booking holding the time of the LAST therapist of the roster (as its hold reserved it), confirmed by its
    /// vendor through the API (which enqueues it): dispatch may move it to a nearer one.
    /// </summary>
    async Task<(BookingWorld World, Guid Booking)> ConfirmedReserved(int therapists)
    {
        var world = await BookingWorld.CreateAsync(dispatch.Host, therapists);
        var id = await world.InsertBookingAsync("pending", TimeProvider.System.GetUtcNow().AddDays(1), world.Therapists[^1].Id);
        await (await world.PostAsync(world.Owner, $"/api/v1/bookings/{id}/confirm")).JsonAsync(HttpStatusCode.OK);
        return (world, id);
    }

    [Fact]
    public async Task confirming_a_booking_enqueues_it_once()
    {
        var (_, id) = await ConfirmedReserved(1);
        Assert.Equal([id.ToString()], (await dispatch.Redis.ListRangeAsync(Queue)).Select(v => v.ToString()).ToArray());
        await dispatch.Redis.KeyDeleteAsync(Queue);
    }

    [Fact]
    public async Task the_nearest_live_free_therapist_of_the_vendor_is_assigned()
    {
        var (world, id) = await ConfirmedReserved(4);
        var (near, busy, stale, far) = (world.Therapists[0], world.Therapists[1], world.Therapists[2], world.Therapists[3]);
        var stranger = await dispatch.Host.SignInAsync("therapist");
        await Live(stranger, BookingWorld.Latitude, BookingWorld.Longitude);                      // closest, but not on the roster
        await Live(busy, BookingWorld.Latitude + 0.001, BookingWorld.Longitude);                  // closer, but booked then
        await Live(stale, BookingWorld.Latitude + 0.002, BookingWorld.Longitude, TimeProvider.System.GetUtcNow().AddMinutes(-6));   // not live
        await Live(near, BookingWorld.Latitude + 0.01, BookingWorld.Longitude);
        await Live(far, BookingWorld.Latitude + 0.05, BookingWorld.Longitude);
        var startsAt = await world.QueryAsync<DateTime>("SELECT starts_at FROM bookings WHERE id = @id", new { id });
        await world.InsertBookingAsync("assigned", new DateTimeOffset(startsAt, TimeSpan.Zero).AddMinutes(-30), busy.Id);

        var result = await dispatch.Worker.ProcessNextAsync(Block, default);

        Assert.Equal((id.ToString(), DispatchOutcome.Assigned, (Guid?)near.Id), (result!.Job, result.Outcome, result.TherapistId));
        Assert.Equal(("assigned", near.Id), (await world.QueryAsync<string>("SELECT status FROM bookings WHERE id = @id", new { id }),
            await world.QueryAsync<Guid>("SELECT therapist_id FROM bookings WHERE id = @id", new { id })));   // moved from far, its reservation
        Assert.Equal(far.Id.ToString(), await world.QueryAsync<string>(
            "SELECT before->>'therapistId' FROM audit_log WHERE entity_id = @id AND action = 'booking.assign'", new { id = id.ToString() }));
        Assert.Equal(0, await dispatch.Redis.ListLengthAsync(Processing));
        Assert.Equal(0, await dispatch.Redis.SortedSetLengthAsync(Claims));
    }

    [Fact]
    public async Task with_no_live_free_therapist_the_booking_keeps_its_reserved_therapist_and_a_held_one_is_skipped()
    {
        var world = await BookingWorld.CreateAsync(dispatch.Host, 2);
        var (other, reserved) = (world.Therapists[0], world.Therapists[1]);
        var day = BookingWorld.FutureDate;                                                 // 10:00 in Asia/Kolkata, on the grid
        var id = await world.InsertBookingAsync("pending", new DateTimeOffset(day.ToDateTime(new TimeOnly(4, 30)), TimeSpan.Zero), reserved.Id);
        await (await world.PostAsync(world.Owner, $"/api/v1/bookings/{id}/confirm")).JsonAsync(HttpStatusCode.OK);
        await Live(other, BookingWorld.Latitude, BookingWorld.Longitude);
        // A live hold reserves the other therapist's 10:30 (the booking's second span): dispatch must not take that time.
        var lockKey = RedisKeys.BookingLock(world.VendorId, day, other.Id, new TimeOnly(10, 30));
        await dispatch.Redis.StringSetAsync(lockKey, "someone-elses-hold", TimeSpan.FromSeconds(30));

        var result = await dispatch.Worker.ProcessNextAsync(Block, default);

        Assert.Equal((id.ToString(), DispatchOutcome.NoTherapist), (result!.Job, result.Outcome));
        Assert.Equal(("confirmed", reserved.Id), (await world.QueryAsync<string>("SELECT status FROM bookings WHERE id = @id", new { id }),
            await world.QueryAsync<Guid>("SELECT therapist_id FROM bookings WHERE id = @id", new { id })));
        await dispatch.Redis.KeyDeleteAsync(lockKey);                                     // the hold lapses: now it moves
        await dispatch.Redis.ListLeftPushAsync(Queue, id.ToString());
        var moved = await dispatch.Worker.ProcessNextAsync(Block, default);
        Assert.Equal((DispatchOutcome.Assigned, (Guid?)other.Id), (moved!.Outcome, moved.TherapistId));
        Assert.Equal(other.Id, await world.QueryAsync<Guid>("SELECT therapist_id FROM bookings WHERE id = @id", new { id }));
    }

    [Fact]
    public async Task a_job_whose_worker_died_after_claiming_is_recovered_and_applied_exactly_once()
    {
        var (world, id) = await ConfirmedReserved(1);
        await Live(world.Therapist, BookingWorld.Latitude, BookingWorld.Longitude);

        var claimed = await dispatch.Worker.ClaimAsync(Block);            // the worker dies here: never applied, never acknowledged
        Assert.Equal(id.ToString(), claimed);
        Assert.Equal(0, await dispatch.Redis.ListLengthAsync(Queue));
        Assert.Equal(1, await dispatch.Redis.ListLengthAsync(Processing));
        Assert.Null(await dispatch.Worker.ProcessNextAsync(Block, default));   // nothing else to take

        Assert.Equal(0, await dispatch.Worker.RequeueStaleAsync());                                           // not stale yet
        Assert.Equal(1, await dispatch.Worker.RequeueStaleAsync(dispatch.Options.ClaimTimeout + TimeSpan.FromSeconds(1)));

        var result = await dispatch.Worker.ProcessNextAsync(Block, default);
        Assert.Equal(DispatchOutcome.Assigned, result!.Outcome);
        Assert.Equal(1, await world.QueryAsync<long>("SELECT count(*) FROM audit_log WHERE entity_id = @id AND action = 'booking.assign'", new { id = id.ToString() }));
        Assert.Equal(0, await dispatch.Redis.ListLengthAsync(Processing));
        Assert.Equal(0, await dispatch.Redis.ListLengthAsync(Queue));
    }

    [Fact]
    public async Task a_job_applied_by_a_worker_that_died_before_acknowledging_is_not_applied_again()
    {
        var (world, id) = await ConfirmedReserved(2);
        await Live(world.Therapists[0], BookingWorld.Latitude, BookingWorld.Longitude);
        await Live(world.Therapists[1], BookingWorld.Latitude + 0.01, BookingWorld.Longitude);

        var job = await dispatch.Worker.ClaimAsync(Block);
        Assert.Equal(DispatchOutcome.Assigned, (await dispatch.Worker.ApplyAsync(job!, default)).Outcome);   // ... then dies before the ack
        Assert.Equal(1, await dispatch.Worker.RequeueStaleAsync(dispatch.Options.ClaimTimeout + TimeSpan.FromSeconds(1)));

        var again = await dispatch.Worker.ProcessNextAsync(Block, default);

        Assert.Equal(DispatchOutcome.AlreadyApplied, again!.Outcome);
        Assert.Equal(world.Therapists[0].Id, await world.QueryAsync<Guid>("SELECT therapist_id FROM bookings WHERE id = @id", new { id }));
        Assert.Equal(1, await world.QueryAsync<long>("SELECT count(*) FROM audit_log WHERE entity_id = @id AND action = 'booking.assign'", new { id = id.ToString() }));
        Assert.Equal(0, await dispatch.Redis.ListLengthAsync(Processing));
        Assert.Equal(0, await dispatch.Redis.SortedSetLengthAsync(Claims));
    }

    [Fact]
    public async Task a_claim_never_stamped_gets_its_clock_started_by_the_sweep_and_is_recovered_a_timeout_later()
    {
        await dispatch.Redis.ListLeftPushAsync(Processing, "orphan");   // moved by BLMOVE, worker died before stamping

        Assert.Equal(0, await dispatch.Worker.RequeueStaleAsync());
        Assert.NotNull(await dispatch.Redis.SortedSetScoreAsync(Claims, "orphan"));
        Assert.Equal(1, await dispatch.Worker.RequeueStaleAsync(dispatch.Options.ClaimTimeout + TimeSpan.FromSeconds(1)));

        var result = await dispatch.Worker.ProcessNextAsync(Block, default);   // not a booking id: dropped
        Assert.Equal(("orphan", DispatchOutcome.AlreadyApplied), (result!.Job, result.Outcome));
        Assert.Equal(0, await dispatch.Redis.ListLengthAsync(Processing));
    }

    async Task<string[]> Jobs(RedisKey list) => (await dispatch.Redis.ListRangeAsync(list)).Select(v => v.ToString()).ToArray();

    [Fact]
    public async Task a_booking_committed_without_its_job_is_enqueued_once_by_concurrent_reconciliations_and_assigned_once()
    {
        var world = await BookingWorld.CreateAsync(dispatch.Host);
        await Live(world.Therapist, BookingWorld.Latitude, BookingWorld.Longitude);
        var id = await world.InsertBookingAsync("confirmed", TimeProvider.System.GetUtcNow().AddDays(1), world.Therapist.Id);   // committed; the enqueue never happened
        Assert.DoesNotContain(id.ToString(), await Jobs(Queue));

        await Task.WhenAll(dispatch.Reconciler.ReconcileAsync(default), dispatch.Reconciler.ReconcileAsync(default));

        var queued = await Jobs(Queue);   // every confirmed unassigned booking of the database, each once
        Assert.Single(queued, j => j == id.ToString());
        Assert.Equal(queued.Length, queued.Distinct().Count());
        foreach (var other in queued.Where(j => j != id.ToString())) await dispatch.Redis.ListRemoveAsync(Queue, other);   // other tests' bookings
        var result = await dispatch.Worker.ProcessNextAsync(Block, default);
        Assert.Equal((id.ToString(), DispatchOutcome.Assigned, (Guid?)world.Therapist.Id), (result!.Job, result.Outcome, result.TherapistId));
        Assert.Null(await dispatch.Worker.ProcessNextAsync(Block, default));
        Assert.Equal(1, await world.QueryAsync<long>("SELECT count(*) FROM audit_log WHERE entity_id = @id AND action = 'booking.assign'", new { id = id.ToString() }));

        await dispatch.Reconciler.ReconcileAsync(default);   // assigned now: not enqueued again
        Assert.DoesNotContain(id.ToString(), await Jobs(Queue));
        await dispatch.Redis.KeyDeleteAsync(Queue);
    }

    [Fact]
    public async Task reconciliation_skips_claimed_jobs_and_past_bookings()
    {
        var world = await BookingWorld.CreateAsync(dispatch.Host);
        var claimed = await world.InsertBookingAsync("confirmed", TimeProvider.System.GetUtcNow().AddDays(1), world.Therapist.Id);
        var past = await world.InsertBookingAsync("confirmed", TimeProvider.System.GetUtcNow().AddHours(-2), world.Therapist.Id);
        await dispatch.Redis.ListLeftPushAsync(Processing, claimed.ToString());   // a worker holds it right now

        await dispatch.Reconciler.ReconcileAsync(default);

        var queued = await Jobs(Queue);
        Assert.DoesNotContain(claimed.ToString(), queued);
        Assert.DoesNotContain(past.ToString(), queued);
        await dispatch.Redis.KeyDeleteAsync([Queue, Processing]);
    }

    [Fact]
    public async Task the_running_worker_of_the_shared_host_assigns_a_confirmed_booking()
    {
        var world = await BookingWorld.CreateAsync(api.Host);
        await Live(world.Therapist, BookingWorld.Latitude, BookingWorld.Longitude);
        var id = await world.InsertBookingAsync("pending", TimeProvider.System.GetUtcNow().AddDays(1), world.Therapist.Id);

        await (await world.PostAsync(world.Owner, $"/api/v1/bookings/{id}/confirm")).JsonAsync(HttpStatusCode.OK);

        await RedisServerProcess.WaitUntil(async () =>
            await world.QueryAsync<string>("SELECT status FROM bookings WHERE id = @id", new { id }) == "assigned", seconds: 10);
        Assert.Equal(world.Therapist.Id, await world.QueryAsync<Guid>("SELECT therapist_id FROM bookings WHERE id = @id", new { id }));
    }
}
