using Ombaro.Api.Features.Bookings.Dispatch;

namespace Ombaro.Tests.Features.Bookings;

/// <summary>Whom dispatch may assign: a live therapist of the vendor's roster, at most 25 km from the vendor.</summary>
public sealed class DispatchRulesTests(DispatchRulesTests.Host dispatch) : IClassFixture<DispatchRulesTests.Host>
{
    /// <summary>
    /// A host driven step by step on a queue of its own (as <see cref="DispatchHost"/>), with a cache Redis of its own: this
    /// class runs beside the shared collection, whose tests count admin dashboard cache hits that a booking change would reset.
    /// </summary>
    public sealed class Host : IAsyncLifetime
    {
        RedisServerProcess cache = null!;
        public IAlbaHost Api { get; private set; } = null!;
        public DispatchWorker Worker => Api.Services.GetRequiredService<DispatchWorker>();
        public IDatabase Redis => Api.Services.GetRequiredService<RedisConnections>().StateDb;

        public async Task InitializeAsync()
        {
            cache = await RedisServerProcess.StartAsync();
            Api = await ApiFixture.StartHostAsync(new Dictionary<string, string?>
            {
                ["REDIS_CACHE_URL"] = cache.Url,
                ["Bookings:Dispatch:Queue"] = "{dispatch-rules-" + Guid.NewGuid().ToString("N")[..8] + "}",
            });
        }

        public async Task DisposeAsync()
        {
            await Api.DisposeAsync();
            await cache.DisposeAsync();
        }
    }

    static readonly TimeSpan Block = TimeSpan.FromMilliseconds(200);
    static readonly (double Lat, double Lng) VendorAt = (BookingWorld.Latitude, BookingWorld.Longitude);

    /// <summary>
    /// A booking holding <paramref name="reserved"/>'s time (as every live booking does), confirmed by its vendor through
    /// the API (which puts its job on the dispatch host's queue).
    /// </summary>
    async Task<Guid> ConfirmAsync(BookingWorld world, int daysAhead, TestUser reserved)
    {
        var id = await world.InsertBookingAsync("pending", TimeProvider.System.GetUtcNow().AddDays(daysAhead), reserved.Id);
        await (await world.PostAsync(world.Owner, $"/api/v1/bookings/{id}/confirm")).JsonAsync(HttpStatusCode.OK);
        return id;
    }

    /// <summary>Takes this booking's job off the queue and applies it (the queue is the dispatch host's own).</summary>
    async Task<DispatchResult> DispatchAsync(Guid booking)
    {
        var result = await dispatch.Worker.ProcessNextAsync(Block, default);
        Assert.Equal(booking.ToString(), result?.Job);
        return result!;
    }

    static Task<string> StatusAsync(BookingWorld world, Guid id) =>
        world.QueryAsync<string>("SELECT status || ':' || coalesce(therapist_id::text, 'none') FROM bookings WHERE id = @id", new { id });

    [Fact]
    public async Task with_no_live_therapist_on_the_roster_the_booking_stays_confirmed_with_its_reserved_therapist()
    {
        var world = await BookingWorld.CreateAsync(dispatch.Api, therapists: 2);
        var stale = world.Therapists[0];                                              // Therapists[1] was never seen at all
        await DispatchLive.PublishAsync(dispatch.Redis, stale, VendorAt, TimeProvider.System.GetUtcNow() - Ombaro.Api.Features.Therapists.LiveLocations.LiveWindow - TimeSpan.FromSeconds(5));
        await DispatchLive.PublishAsync(dispatch.Redis, await dispatch.Api.SignInAsync("therapist"), VendorAt);   // live, but another vendor's
        var id = await ConfirmAsync(world, 1, world.Therapists[1]);

        var result = await DispatchAsync(id);

        Assert.Equal((DispatchOutcome.NoTherapist, (Guid?)null), (result.Outcome, result.TherapistId));
        Assert.Equal($"confirmed:{world.Therapists[1].Id}", await StatusAsync(world, id));
        Assert.Equal(0, await world.QueryAsync<long>("SELECT count(*) FROM audit_log WHERE entity_id = @id AND action = 'booking.assign'", new { id = id.ToString() }));
    }

    [Fact]
    public async Task a_live_therapist_25_1_km_away_is_not_assigned_and_one_24_9_km_away_is()
    {
        var world = await BookingWorld.CreateAsync(dispatch.Api, therapists: 2);
        var (beyond, within) = (world.Therapists[0], world.Therapists[1]);
        await DispatchLive.PublishAsync(dispatch.Redis, beyond, Catalog.Offset(VendorAt, 25.1, 0));   // 25.106 km
        var first = await ConfirmAsync(world, 1, beyond);

        Assert.Equal(DispatchOutcome.NoTherapist, (await DispatchAsync(first)).Outcome);
        Assert.Equal($"confirmed:{beyond.Id}", await StatusAsync(world, first));

        await DispatchLive.PublishAsync(dispatch.Redis, within, Catalog.Offset(VendorAt, 0, -24.9));   // 24.906 km west
        var second = await ConfirmAsync(world, 2, beyond);   // dispatch moves it to the live therapist within reach

        var result = await DispatchAsync(second);
        Assert.Equal((DispatchOutcome.Assigned, (Guid?)within.Id), (result.Outcome, result.TherapistId));
        Assert.Equal($"assigned:{within.Id}", await StatusAsync(world, second));
    }
}

/// <summary>
/// The reconciliation of a running host: a confirmed booking whose job was lost (committed, never enqueued) is
/// enqueued at start-up, and one lost later on the next <see cref="DispatchOptions.ReconcileInterval"/> tick of the
/// host's clock. The host runs on a database of its own: a running reconciler enqueues every confirmed, not yet assigned
/// booking in its database, and its worker would dispatch other tests' bookings.
/// </summary>
public sealed class DispatchReconciliationTests
{
    [Fact]
    public async Task a_lost_job_is_enqueued_at_start_up_and_one_lost_later_on_the_next_interval()
    {
        await using var database = await TestEnvironment.CreateOwnDatabaseAsync();
        await using var cache = await RedisServerProcess.StartAsync();   // its booking changes reset no other class's cache counts
        var settings = new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = database.Url,
            ["REDIS_CACHE_URL"] = cache.Url,
            ["Bookings:Dispatch:Queue"] = "{dispatch-reconcile-" + Guid.NewGuid().ToString("N")[..8] + "}",
        };
        await using var writer = await ApiFixture.StartHostAsync(settings);   // dispatch off: only makes the data
        var redis = writer.Services.GetRequiredService<RedisConnections>().StateDb;
        var world = await BookingWorld.CreateAsync(writer);
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var interval = TimeSpan.FromMinutes(10);
        await DispatchLive.PublishAsync(redis, world.Therapist, (BookingWorld.Latitude, BookingWorld.Longitude), clock.GetUtcNow() + interval);
        var lost = await world.InsertBookingAsync("confirmed", clock.GetUtcNow().AddDays(1), world.Therapist.Id);

        await using var running = await ApiFixture.StartHostAsync(new Dictionary<string, string?>(settings)
        {
            ["Bookings:Dispatch:Enabled"] = "true",
            ["Bookings:Dispatch:ReconcileInterval"] = interval.ToString(),
        }, s => s.AddSingleton<TimeProvider>(clock));
        await RedisServerProcess.WaitUntil(async () => await Status(world, lost) == "assigned");

        var lostLater = await world.InsertBookingAsync("confirmed", clock.GetUtcNow().AddDays(2), world.Therapist.Id);
        clock.Advance(interval - TimeSpan.FromSeconds(1));
        Assert.Equal("confirmed", await Status(world, lostLater));   // no tick yet
        clock.Advance(TimeSpan.FromSeconds(1));
        await RedisServerProcess.WaitUntil(async () => await Status(world, lostLater) == "assigned");
        Assert.Equal(world.Therapist.Id.ToString(), await world.QueryAsync<string>("SELECT therapist_id::text FROM bookings WHERE id = @lostLater", new { lostLater }));
    }

    static Task<string> Status(BookingWorld world, Guid id) => world.QueryAsync<string>("SELECT status FROM bookings WHERE id = @id", new { id });
}

/// <summary>A therapist's live position per the location contract: the geo set and the last-seen time in ms.</summary>
static class DispatchLive
{
    public static async Task PublishAsync(IDatabase redis, TestUser therapist, (double Lat, double Lng) at, DateTimeOffset? seen = null)
    {
        await redis.GeoAddAsync(RedisKeys.GeoTherapists, at.Lng, at.Lat, therapist.Id.ToString());
        await redis.SortedSetAddAsync(RedisKeys.GeoTherapistsSeen, therapist.Id.ToString(), (seen ?? TimeProvider.System.GetUtcNow()).ToUnixTimeMilliseconds());
    }
}
