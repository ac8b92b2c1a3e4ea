using Ombaro.Api.Features.Bookings.Dispatch;

namespace Ombaro.Tests.Features.Bookings.Dispatch;

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
