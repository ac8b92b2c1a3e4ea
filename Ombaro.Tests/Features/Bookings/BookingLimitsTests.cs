namespace Ombaro.Tests.Features.Bookings;

/// <summary>The abuse limits (<c>Bookings:*</c>), each at its boundary, each refused with a problem document naming it.</summary>
[Collection(ApiCollection.Name)]
public sealed class BookingLimitsTests(ApiFixture api)
{
    static readonly DateOnly Day = BookingWorld.FutureDate;

    static void AssertNames(JsonElement problem, string title, string setting)
    {
        Assert.Equal(title, problem.GetProperty("title").GetString());
        Assert.Equal(setting, problem.GetProperty("limit").GetString());
    }

    [Fact]
    public async Task a_customer_may_hold_two_starts_at_once_the_third_is_429_until_one_is_released()
    {
        var world = await BookingWorld.CreateAsync(api.Host, therapists: 2);
        var first = await world.HoldTokenAsync(world.Customer, world.Service30, Day, "10:00");
        await world.HoldTokenAsync(world.Customer, world.Service30, Day, "11:00");

        var problem = await (await world.HoldAsync(world.Customer, world.Service30, Day, "12:00")).ProblemAsync(HttpStatusCode.TooManyRequests);

        AssertNames(problem, "Hold limit", "Bookings:MaxLiveHolds");
        Assert.Equal(2, problem.GetProperty("max").GetInt32());
        Assert.False(await api.Redis.KeyExistsAsync(RedisKeys.BookingLock(world.VendorId, Day, world.Therapist.Id, new TimeOnly(12, 0))));
        // The count lapses with the holds: its key lives no longer than the hold TTL.
        Assert.InRange((await api.Redis.KeyTimeToLiveAsync(RedisKeys.BookingCustomerHolds(world.Customer.Id)))!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.NoContent, (await world.Client(world.Customer).DeleteAsync($"/api/v1/bookings/holds/{first}")).StatusCode);
        await world.HoldTokenAsync(world.Customer, world.Service30, Day, "12:00");
        await (await world.HoldAsync(world.Customer, world.Service30, Day, "13:00")).ProblemAsync(HttpStatusCode.TooManyRequests);

        // A lapsed hold stops counting: its entry's expiry (Redis' clock) is in the past.
        var quota = RedisKeys.BookingCustomerHolds(world.Customer.Id);
        var oldest = (await api.Redis.SortedSetRangeByRankAsync(quota, 0, 0))[0];
        await api.Redis.SortedSetAddAsync(quota, oldest, 1);
        await world.HoldTokenAsync(world.Customer, world.Service30, Day, "13:00");
    }

    [Fact]
    public async Task two_parallel_creates_at_four_pending_bookings_make_exactly_one_booking()
    {
        var world = await BookingWorld.CreateAsync(api.Host, therapists: 2);
        var now = TimeProvider.System.GetUtcNow();
        for (var i = 1; i <= 4; i++) await world.InsertBookingAsync("pending", now.AddDays(10 + i), world.Therapist.Id);
        var tokens = new[] { await world.HoldTokenAsync(world.Customer, world.Service30, Day, "10:00"),
            await world.HoldTokenAsync(world.Customer, world.Service30, Day, "11:00") };

        var responses = await Task.WhenAll(tokens.Select((t, i) => world.BookAsync(world.Customer, t, $"parallel-{i}")));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        AssertNames(await responses.Single(r => r.StatusCode != HttpStatusCode.Created).ProblemAsync(HttpStatusCode.Conflict),
            "Pending bookings limit", "Bookings:MaxPendingBookings");
        Assert.Equal(5, await world.QueryAsync<long>("SELECT count(*) FROM bookings WHERE customer_id = @Id AND status = 'pending'", new { world.Customer.Id }));
    }

    [Fact]
    public async Task a_customer_may_have_five_pending_future_bookings_the_sixth_is_409_until_one_is_confirmed()
    {
        var world = await BookingWorld.CreateAsync(api.Host);
        var now = TimeProvider.System.GetUtcNow();
        for (var i = 1; i <= 4; i++) await world.InsertBookingAsync("pending", now.AddDays(10 + i), world.Therapist.Id);
        await world.InsertBookingAsync("pending", now.AddDays(-1), world.Therapist.Id);         // past: does not count
        await world.BookViaApiAsync(world.Customer, world.Service30, Day, "10:00");          // the fifth

        var token = await world.HoldTokenAsync(world.Customer, world.Service30, Day, "11:00");
        var problem = await (await world.BookAsync(world.Customer, token, "sixth")).ProblemAsync(HttpStatusCode.Conflict);

        AssertNames(problem, "Pending bookings limit", "Bookings:MaxPendingBookings");
        Assert.Equal(5, problem.GetProperty("max").GetInt32());
        Assert.Equal(5, await world.QueryAsync<long>("SELECT count(*) FROM bookings WHERE customer_id = @Id AND status = 'pending' AND starts_at > now()", new { world.Customer.Id }));
        var mine = await world.QueryAsync<Guid>("SELECT id FROM bookings WHERE customer_id = @Id AND status = 'pending' AND starts_at > now() ORDER BY starts_at DESC LIMIT 1", new { world.Customer.Id });
        await (await world.PostAsync(world.Owner, $"/api/v1/bookings/{mine}/confirm")).JsonAsync(HttpStatusCode.OK);
        await (await world.BookAsync(world.Customer, token, "sixth")).JsonAsync(HttpStatusCode.Created);   // the same key, now admitted
    }

    /// <summary>A host whose clock the test sets; users sign in on the shared host (sessions on real time).</summary>
    static async Task<(IAlbaHost Host, FakeTimeProvider Clock)> FakeClockHost(DateTimeOffset now)
    {
        var clock = new FakeTimeProvider(now);
        // Its own host: a clock the test sets.
        return (await ApiFixture.StartHostAsync(services: s => s.AddSingleton<TimeProvider>(clock)), clock);
    }

    [Fact]
    public async Task a_start_exactly_sixty_days_ahead_can_be_held_one_second_further_is_409()
    {
        var date = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime).AddDays(70);
        var startsAt = new DateTimeOffset(date.ToDateTime(new TimeOnly(4, 30)), TimeSpan.Zero);   // 10:00 in Asia/Kolkata
        var (host, clock) = await FakeClockHost(startsAt - TimeSpan.FromDays(60) - TimeSpan.FromSeconds(1));
        await using var _ = host;
        var world = (await BookingWorld.CreateAsync(api.Host)).On(host);

        var problem = await (await world.HoldAsync(world.Customer, world.Service30, date, "10:00")).ProblemAsync(HttpStatusCode.Conflict);
        AssertNames(problem, "Booking horizon", "Bookings:Horizon");

        clock.Advance(TimeSpan.FromSeconds(1));
        await world.HoldTokenAsync(world.Customer, world.Service30, date, "10:00");
    }

    [Fact]
    public async Task a_session_starts_from_thirty_minutes_before_its_time_and_completes_only_after_it_started()
    {
        var startsAt = new DateTimeOffset(BookingWorld.FutureDate.ToDateTime(new TimeOnly(4, 30)), TimeSpan.Zero);
        var (host, clock) = await FakeClockHost(startsAt - TimeSpan.FromMinutes(30) - TimeSpan.FromSeconds(1));
        await using var _ = host;
        var world = (await BookingWorld.CreateAsync(api.Host)).On(host);
        var id = await world.InsertBookingAsync("assigned", startsAt, world.Therapist.Id);

        var complete = await (await world.PostAsync(world.Therapist, $"/api/v1/bookings/{id}/complete")).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("Illegal transition", complete.GetProperty("title").GetString());              // not started yet
        var early = await (await world.PostAsync(world.Therapist, $"/api/v1/bookings/{id}/start")).ProblemAsync(HttpStatusCode.Conflict);
        AssertNames(early, "Too early to start", "Bookings:StartWindow");
        Assert.Equal("assigned", early.GetProperty("currentStatus").GetString());

        clock.Advance(TimeSpan.FromSeconds(1));
        await (await world.PostAsync(world.Therapist, $"/api/v1/bookings/{id}/start")).JsonAsync(HttpStatusCode.OK);
        var done = await (await world.PostAsync(world.Therapist, $"/api/v1/bookings/{id}/complete")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("completed", done.GetProperty("status").GetString());
    }
}
