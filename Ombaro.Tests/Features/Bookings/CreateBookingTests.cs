using Ombaro.Api.Features.Bookings;

namespace Ombaro.Tests.Features.Bookings;

[Collection(ApiCollection.Name)]
public sealed class CreateBookingTests(ApiFixture api)
{
    static readonly DateOnly Day = BookingWorld.FutureDate;
    static RedisKey Lock(BookingWorld w, int hour, int minute) => RedisKeys.BookingLock(w.VendorId, Day, w.Therapist.Id, new TimeOnly(hour, minute));

    [Fact]
    public async Task a_hold_becomes_a_pending_booking_of_its_therapist_and_the_hold_is_consumed()
    {
        var world = await BookingWorld.CreateAsync(api.Host);
        var token = await world.HoldTokenAsync(world.Customer, world.Service60, Day, "10:00");

        var response = await world.BookAsync(world.Customer, token, "key-1");

        var booking = await response.JsonAsync(HttpStatusCode.Created);
        Assert.Equal($"/api/v1/bookings/{booking.GetProperty("id").GetGuid()}", response.Headers.Location?.ToString());
        Assert.Equal("pending", booking.GetProperty("status").GetString());
        Assert.Equal(world.Therapist.Id, booking.GetProperty("therapistId").GetGuid());
        Assert.Equal(1500m, booking.GetProperty("price").GetDecimal());
        Assert.Equal("12 Residency Road", booking.GetProperty("address").GetString());
        Assert.Equal(new DateTimeOffset(Day.ToDateTime(new TimeOnly(4, 30)), TimeSpan.Zero), booking.GetProperty("startsAt").GetDateTimeOffset());
        // The record is gone; the therapist's locks lapse with their TTL (a stale calendar read cannot re-take the time).
        Assert.Null(await api.Services.GetRequiredService<SlotHolds>().FindAsync(token));
        foreach (var l in new[] { Lock(world, 10, 0), Lock(world, 10, 30) })
            Assert.InRange((await api.Redis.KeyTimeToLiveAsync(l))!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        Assert.Equal(0, await api.Redis.SortedSetLengthAsync(RedisKeys.BookingCustomerHolds(world.Customer.Id)));
        Assert.Equal(1, await world.QueryAsync<long>(
            "SELECT count(*) FROM audit_log WHERE entity = 'booking' AND entity_id = @id AND action = 'booking.create' AND actor_id = @actor AND after->>'status' = 'pending'",
            new { id = booking.GetProperty("id").GetGuid().ToString(), actor = world.Customer.Id }));
    }

    [Fact]
    public async Task without_an_idempotency_key_it_is_400()
    {
        var world = await BookingWorld.CreateAsync(api.Host);
        var token = await world.HoldTokenAsync(world.Customer, world.Service60, Day, "10:00");

        var response = await world.Client(world.Customer).PostAsJsonAsync("/api/v1/bookings", new { holdToken = token, address = "x" });

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("Idempotency-Key", problem.GetProperty("errors").GetProperty("Idempotency-Key")[0].GetString());
    }

    [Fact]
    public async Task a_retry_with_the_same_key_returns_the_same_booking()
    {
        var world = await BookingWorld.CreateAsync(api.Host);
        var token = await world.HoldTokenAsync(world.Customer, world.Service60, Day, "10:00");
        var first = await (await world.BookAsync(world.Customer, token, "same")).JsonAsync(HttpStatusCode.Created);

        var retry = await (await world.BookAsync(world.Customer, token, "same")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(first.GetRawText(), retry.GetRawText());
        Assert.Equal(1, await world.QueryAsync<long>("SELECT count(*) FROM bookings WHERE vendor_id = @VendorId", new { world.VendorId }));
    }

    [Fact]
    public async Task twenty_parallel_retries_with_one_key_make_one_booking()
    {
        var world = await BookingWorld.CreateAsync(api.Host);
        var token = await world.HoldTokenAsync(world.Customer, world.Service60, Day, "10:00");

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => world.BookAsync(world.Customer, token, "retry-storm")));

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, r.StatusCode.ToString()));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        var ids = new HashSet<Guid>();
        foreach (var r in responses) ids.Add((await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        Assert.Single(ids);
        Assert.Equal(1, await world.QueryAsync<long>("SELECT count(*) FROM bookings WHERE vendor_id = @VendorId", new { world.VendorId }));
    }

    [Fact]
    public async Task someone_elses_hold_is_409_and_stays_theirs()
    {
        var world = await BookingWorld.CreateAsync(api.Host);
        var token = await world.HoldTokenAsync(world.Customer, world.Service60, Day, "10:00");
        var thief = await api.Host.SignInAsync(Roles.Customer);

        var problem = await (await world.BookAsync(thief, token, "k")).ProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("Hold expired", problem.GetProperty("title").GetString());
        Assert.Equal(2, await api.Redis.KeyExistsAsync([Lock(world, 10, 0), Lock(world, 10, 30)]));
        await (await world.BookAsync(world.Customer, token, "k")).JsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task an_expired_hold_is_409()
    {
        var world = await BookingWorld.CreateAsync(api.Host);
        var token = await world.HoldTokenAsync(world.Customer, world.Service30, Day, "10:00");
        var server = api.Redis.Multiplexer.GetServer(RedisKeys.BookingHold(world.VendorId, Day, "any"));   // the vendor-day's node
        var keys = new List<RedisKey>();                                       // a SCAN, bounded by the pattern
        await foreach (var k in server.KeysAsync(pattern: $"ombaro:booking:*{{{world.VendorId}:{Day:yyyy-MM-dd}}}*")) keys.Add(k);
        Assert.Equal(2, keys.Count);                                         // the slot lock and the hold record
        foreach (var key in keys) Assert.InRange((await api.Redis.KeyTimeToLiveAsync(key))!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        await api.Redis.KeyDeleteAsync(keys.ToArray());                                  // what the TTL does after 30 s

        var problem = await (await world.BookAsync(world.Customer, token, "late")).ProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("Hold expired", problem.GetProperty("title").GetString());
        Assert.Equal(0, await world.QueryAsync<long>("SELECT count(*) FROM bookings WHERE vendor_id = @VendorId", new { world.VendorId }));
    }

    [Fact]
    public async Task when_a_slow_owners_hold_lapses_and_another_customer_books_the_therapist_time_the_constraint_rejects_the_first()
    {
        var world = await BookingWorld.CreateAsync(api.Host);
        var slow = world.Customer;
        var slowToken = await world.HoldTokenAsync(slow, world.Service60, Day, "10:00");
        // The slow customer has checked its hold; while it stalls, its slot locks lapse (their TTL ends).
        Assert.InRange((await api.Redis.KeyTimeToLiveAsync(Lock(world, 10, 0)))!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        await api.Redis.KeyDeleteAsync([Lock(world, 10, 0), Lock(world, 10, 30)]);
        var quick = await api.Host.SignInAsync(Roles.Customer);
        var quickBooking = await world.BookViaApiAsync(quick, world.Service60, Day, "10:00");

        var problem = await (await world.BookAsync(slow, slowToken, "slow")).ProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("Slot no longer free", problem.GetProperty("title").GetString());
        Assert.Equal(quickBooking, await world.QueryAsync<Guid>("SELECT id FROM bookings WHERE vendor_id = @VendorId", new { world.VendorId }));
        Assert.Equal(1, await world.QueryAsync<long>("SELECT count(*) FROM bookings WHERE vendor_id = @VendorId", new { world.VendorId }));
    }

    [Fact]
    public async Task one_hold_never_becomes_two_bookings_under_different_idempotency_keys()
    {
        var world = await BookingWorld.CreateAsync(api.Host);
        var token = await world.HoldTokenAsync(world.Customer, world.Service60, Day, "10:00");

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => world.BookAsync(world.Customer, token, $"double-tap-{i}")));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        foreach (var r in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
            Assert.Contains((await r.ProblemAsync(HttpStatusCode.Conflict)).GetProperty("title").GetString(), new[] { "Hold already in use", "Hold expired" });
        Assert.Equal(1, await world.QueryAsync<long>(
            "SELECT count(*) FROM bookings WHERE vendor_id = @VendorId AND idempotency_key LIKE 'double-tap-%'", new { world.VendorId }));
    }

    [Fact]
    public async Task the_same_idempotency_key_from_another_customer_makes_that_customers_own_booking()
    {
        var world = await BookingWorld.CreateAsync(api.Host, therapists: 2);
        var other = await api.Host.SignInAsync(Roles.Customer);
        var first = await (await world.BookAsync(world.Customer, await world.HoldTokenAsync(world.Customer, world.Service60, Day, "10:00"), "shared-key"))
            .JsonAsync(HttpStatusCode.Created);

        var second = await (await world.BookAsync(other, await world.HoldTokenAsync(other, world.Service60, Day, "10:00"), "shared-key"))
            .JsonAsync(HttpStatusCode.Created);

        Assert.NotEqual(first.GetProperty("id").GetGuid(), second.GetProperty("id").GetGuid());
        Assert.Equal(other.Id, second.GetProperty("customerId").GetGuid());
        Assert.Equal(world.Therapists[1].Id, second.GetProperty("therapistId").GetGuid());
        Assert.Equal(2, await world.QueryAsync<long>("SELECT count(*) FROM bookings WHERE idempotency_key = 'shared-key' AND vendor_id = @VendorId", new { world.VendorId }));
    }

    [Fact]
    public async Task the_booking_is_cached_for_an_hour_once_read()
    {
        var world = await BookingWorld.CreateAsync(api.Host);
        var id = await world.BookViaApiAsync(world.Customer, world.Service60, Day, "10:00");
        var cache = api.Services.GetRequiredService<RedisConnections>().CacheDb;

        await (await world.Client(world.Customer).GetAsync($"/api/v1/bookings/{id}")).JsonAsync(HttpStatusCode.OK);

        Assert.InRange((await cache.KeyTimeToLiveAsync(RedisKeys.Booking(id)))!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(67));
    }
}
