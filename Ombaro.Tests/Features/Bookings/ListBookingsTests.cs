namespace Ombaro.Tests.Features.Bookings;

/// <summary>The role lists (<c>/bookings</c>, <c>/therapists/me/assignments</c>, <c>/vendor/bookings</c>) and their caches.</summary>
[Collection(ApiCollection.Name)]
public sealed class ListBookingsTests(ApiFixture api)
{
    static async Task<JsonElement> List(BookingWorld w, TestUser user, string url) =>
        await (await w.Client(user).GetAsync(url)).JsonAsync(HttpStatusCode.OK);

    static Guid[] Ids(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(b => b.GetProperty("id").GetGuid()).ToArray();

    [Fact]
    public async Task each_role_lists_its_own_bookings_paged_and_filtered()
    {
        var world = await BookingWorld.CreateAsync(api.Host, therapists: 2);
        var other = await BookingWorld.CreateAsync(api.Host);
        var now = TimeProvider.System.GetUtcNow();
        var b1 = await world.InsertBookingAsync("pending", now.AddDays(1), world.Therapists[0].Id);
        var b2 = await world.InsertBookingAsync("assigned", now.AddDays(2), world.Therapists[0].Id);
        var b3 = await world.InsertBookingAsync("assigned", now.AddDays(3), world.Therapists[1].Id);
        await other.InsertBookingAsync("pending", now.AddDays(1), other.Therapist.Id);

        Assert.Equal([b3, b2, b1], Ids(await List(world, world.Customer, "/api/v1/bookings")));        // newest first
        Assert.Equal([b1, b2, b3], Ids(await List(world, world.Owner, "/api/v1/vendor/bookings")));  // agenda order
        Assert.Equal([b2], Ids(await List(world, world.Therapists[0], "/api/v1/therapists/me/assignments")));
        Assert.Equal([b2, b1], Ids(await List(world, world.Therapists[0], "/api/v1/bookings")));
        Assert.Equal([b2, b3], Ids(await List(world, world.Owner, "/api/v1/vendor/bookings?status=assigned")));

        var from = Uri.EscapeDataString(now.AddDays(1.5).ToString("O"));
        var to = Uri.EscapeDataString(now.AddDays(2.5).ToOffset(TimeSpan.FromHours(5.5)).ToString("O"));
        Assert.Equal([b2], Ids(await List(world, world.Customer, $"/api/v1/bookings?from={from}&to={to}")));

        var page = await List(world, world.Customer, "/api/v1/bookings?page=2&pageSize=2");
        Assert.Equal([b1], Ids(page));
        Assert.Equal((3, 2, 2), (page.GetProperty("total").GetInt32(), page.GetProperty("page").GetInt32(), page.GetProperty("pageSize").GetInt32()));
    }

    [Theory]
    [InlineData("status=lost")]
    [InlineData("pageSize=500")]
    [InlineData("page=0")]
    public async Task bad_filters_are_400(string query)
    {
        var world = await BookingWorld.CreateAsync(api.Host);
        await (await world.Client(world.Customer).GetAsync($"/api/v1/bookings?{query}")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task every_step_invalidates_the_booking_cache_and_the_lists_it_is_on()
    {
        var world = await BookingWorld.CreateAsync(api.Host);
        var cache = api.Services.GetRequiredService<RedisConnections>().CacheDb;
        var id = await world.BookViaApiAsync(world.Customer, world.Service60, BookingWorld.FutureDate, "10:00");

        async Task Seen(string status)
        {
            Assert.Equal(status, (await List(world, world.Customer, $"/api/v1/bookings/{id}")).GetProperty("status").GetString());
            Assert.True(await cache.KeyExistsAsync(RedisKeys.Booking(id)));
            Assert.Equal(status, (await List(world, world.Customer, "/api/v1/bookings")).GetProperty("items")[0].GetProperty("status").GetString());
            Assert.Equal(status, (await List(world, world.Owner, "/api/v1/vendor/bookings")).GetProperty("items")[0].GetProperty("status").GetString());
            Assert.Equal(status, (await List(world, world.Therapist, $"/api/v1/bookings")).GetProperty("items")[0].GetProperty("status").GetString());
        }

        await Seen("pending");
        foreach (var (actor, step, body, status) in new (TestUser, string, object?, string)[]
        {
            (world.Owner, "confirm", null, "confirmed"),
            (world.Owner, "assign", new { therapistId = world.Therapist.Id }, "assigned"),
            (world.Therapist, "start", null, "in_progress"),
            (world.Therapist, "complete", null, "completed"),
        })
        {
            if (step == "start")   // a session starts from 30 minutes before its time: bring the booking's time near
                await world.QueryAsync<int>("UPDATE bookings SET starts_at = now() + interval '10 minutes', ends_at = now() + interval '70 minutes' WHERE id = @id RETURNING 1", new { id });
            await (await world.PostAsync(actor, $"/api/v1/bookings/{id}/{step}", body)).JsonAsync(HttpStatusCode.OK);
            Assert.False(await cache.KeyExistsAsync(RedisKeys.Booking(id)), $"booking still cached after {step}");
            await Seen(status);
        }
    }

    [Fact]
    public async Task a_reassignment_drops_the_booking_from_the_previous_therapists_cached_agenda()
    {
        var world = await BookingWorld.CreateAsync(api.Host, therapists: 2);
        var id = await world.InsertBookingAsync("assigned", TimeProvider.System.GetUtcNow().AddDays(1), world.Therapists[0].Id);
        Assert.Equal([id], Ids(await List(world, world.Therapists[0], "/api/v1/therapists/me/assignments")));   // now cached

        await (await world.PostAsync(world.Owner, $"/api/v1/bookings/{id}/assign", new { therapistId = world.Therapists[1].Id })).JsonAsync(HttpStatusCode.OK);

        Assert.Empty(Ids(await List(world, world.Therapists[0], "/api/v1/therapists/me/assignments")));
        Assert.Equal([id], Ids(await List(world, world.Therapists[1], "/api/v1/therapists/me/assignments")));
    }
}
