using Ombaro.Api.Features.Bookings.Dispatch;

namespace Ombaro.Tests.Features.Bookings.Dispatch;

/// <summary>
/// The reconciliation of a running host: a confirmed booking whose job was lost (committed, never enqueued) is
/// enqueued at start-up, and one lost later on the next <see cref="DispatchOptions.ReconcileInterval"/> tick of the
/// host's clock. The host runs on a database of its own: a running reconciler enqueues every confirmed, not yet assigned
/// booking in its database, and its worker would dispatch other tests' bookings.
/// </summary>
public sealed class DispatchReconcilerTests
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

        // A second host: dispatch and reconciliation on, on a clock the test advances.
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
