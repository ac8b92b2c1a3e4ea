namespace Ombaro.Tests.Features.Bookings;

[Collection(ApiCollection.Name)]
public sealed class PlaceHoldTests(ApiFixture api)
{
    IDatabase Redis => api.Redis;
    static readonly DateOnly Day = BookingWorld.FutureDate;
    static RedisKey Lock(BookingWorld w, string time, int therapist = 0) =>
        RedisKeys.BookingLock(w.VendorId, Day, w.Therapists[therapist].Id, TimeOnly.Parse(time));

    [Fact]
    public async Task two_hundred_parallel_holds_on_a_three_therapist_start_give_exactly_three_holds_on_three_therapists()
    {
        // A host whose PostgreSQL pool stays under the server's 100 connections while 200 requests run at once.
        await using var host = await ApiFixture.StartHostAsync(new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = TestEnvironment.DatabaseUrl + "?Maximum%20Pool%20Size=40",
            ["Bookings:Dispatch:Enabled"] = "false",
        });
        var world = await BookingWorld.CreateAsync(host, therapists: 3);
        var customers = await BookingWorld.SignInManyAsync(host, 200);

        var responses = await Task.WhenAll(customers.Select(c => world.HoldAsync(c, world.Service30, Day, "10:00")));

        var won = responses.Where(r => r.StatusCode == HttpStatusCode.Created).ToList();
        Assert.Equal(3, won.Count);
        var therapists = new List<Guid>();
        foreach (var r in won) therapists.Add((await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("therapistId").GetGuid());
        Assert.Equal(world.Therapists.Select(t => t.Id).Order(), therapists.Order());     // one hold per therapist
        foreach (var conflict in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            var problem = await conflict.ProblemAsync(HttpStatusCode.Conflict);             // a 500 is a failure here
            Assert.Equal("Fully booked", problem.GetProperty("title").GetString());
            Assert.Equal("10:00", problem.GetProperty("slot").GetString());
        }
    }

    [Fact]
    public async Task a_candidate_whose_span_is_taken_is_skipped_for_the_next_therapist_whole()
    {
        var world = await BookingWorld.CreateAsync(api.Host, therapists: 2);
        var other = await api.Host.SignInAsync(Roles.Customer);
        await world.HoldTokenAsync(other, world.Service30, Day, "11:00");                  // first therapist's 11:00

        var hold = await (await world.HoldAsync(world.Customer, world.Service90, Day, "10:00")).JsonAsync(HttpStatusCode.Created);

        Assert.Equal(world.Therapists[1].Id, hold.GetProperty("therapistId").GetGuid());
        foreach (var t in new[] { "10:00", "10:30", "11:00" }) Assert.True(await Redis.KeyExistsAsync(Lock(world, t, therapist: 1)));
        Assert.False(await Redis.KeyExistsAsync(Lock(world, "10:00")));                   // nothing left on the skipped one
        Assert.False(await Redis.KeyExistsAsync(Lock(world, "10:30")));
    }

    [Fact]
    public async Task with_every_therapist_booked_the_hold_is_fully_booked_and_never_granted_without_one()
    {
        var world = await BookingWorld.CreateAsync(api.Host);
        await world.InsertBookingAsync("pending", new DateTimeOffset(Day.ToDateTime(new TimeOnly(4, 30)), TimeSpan.Zero), world.Therapist.Id);

        var problem = await (await world.HoldAsync(world.Customer, world.Service60, Day, "10:00")).ProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("Fully booked", problem.GetProperty("title").GetString());
        Assert.Equal(0, await Redis.SortedSetLengthAsync(RedisKeys.BookingCustomerHolds(world.Customer.Id)));   // nothing counted
    }

    [Fact]
    public async Task a_hold_takes_every_slot_its_service_spans_with_one_ttl_and_answers_the_expiry()
    {
        var world = await BookingWorld.CreateAsync(api.Host);
        var response = await world.HoldAsync(world.Customer, world.Service90, Day, "10:00");

        var hold = await response.JsonAsync(HttpStatusCode.Created);
        Assert.Equal(world.Therapist.Id, hold.GetProperty("therapistId").GetGuid());
        Assert.Equal(["10:00", "10:30", "11:00"], hold.GetProperty("slots").EnumerateArray().Select(s => s.GetString()!).ToArray());
        var expiresIn = hold.GetProperty("expiresAt").GetDateTimeOffset() - TimeProvider.System.GetUtcNow();
        Assert.InRange(expiresIn, TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(30));
        var owners = new HashSet<string>();
        foreach (var time in new[] { "10:00", "10:30", "11:00" })
        {
            Assert.InRange((await Redis.KeyTimeToLiveAsync(Lock(world, time)))!.Value, TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(30));
            owners.Add((string)(await Redis.StringGetAsync(Lock(world, time)))!);
        }
        Assert.Single(owners);                                  // one owner token on every slot
        Assert.DoesNotContain(hold.GetProperty("holdToken").GetString()!, owners);   // Redis holds a digest, not the token
        Assert.False(await Redis.KeyExistsAsync(Lock(world, "11:30")));
        // 10:00 is 04:30 UTC in Asia/Kolkata.
        Assert.Equal(new DateTimeOffset(Day.ToDateTime(new TimeOnly(4, 30)), TimeSpan.Zero), hold.GetProperty("startsAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task a_multi_slot_hold_is_never_partially_acquired()
    {
        var world = await BookingWorld.CreateAsync(api.Host);
        var other = await api.Host.SignInAsync(Roles.Customer);
        await world.HoldTokenAsync(other, world.Service30, Day, "11:00");

        var problem = await (await world.HoldAsync(world.Customer, world.Service90, Day, "10:00")).ProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("Fully booked", problem.GetProperty("title").GetString());
        Assert.Equal("10:00", problem.GetProperty("slot").GetString());
        Assert.False(await Redis.KeyExistsAsync(Lock(world, "10:00")));
        Assert.False(await Redis.KeyExistsAsync(Lock(world, "10:30")));
    }

    [Fact]
    public async Task overlapping_multi_slot_holds_in_parallel_never_share_or_split_slots()
    {
        var world = await BookingWorld.CreateAsync(api.Host);
        var starts = new[] { "09:00", "09:30", "10:00", "10:30", "11:00", "11:30", "12:00" };
        var customers = await BookingWorld.SignInManyAsync(api.Host, starts.Length * 4);

        var responses = await Task.WhenAll(customers.Select((c, i) => world.HoldAsync(c, world.Service90, Day, starts[i % starts.Length])));

        var won = new List<JsonElement>();
        foreach (var r in responses) if (r.StatusCode == HttpStatusCode.Created) won.Add(await r.Content.ReadFromJsonAsync<JsonElement>());
        Assert.NotEmpty(won);
        var slotsOfWinners = won.SelectMany(h => h.GetProperty("slots").EnumerateArray().Select(s => s.GetString()!)).ToList();
        Assert.Equal(slotsOfWinners.Count, slotsOfWinners.Distinct().Count());          // no slot held twice
        foreach (var hold in won)
        {
            var owners = new HashSet<string>();
            foreach (var slot in hold.GetProperty("slots").EnumerateArray())
                owners.Add((string)(await Redis.StringGetAsync(Lock(world, slot.GetString()!)))!);
            Assert.Single(owners);                                                     // each winner owns all its slots
        }
        var lockedNow = new List<string>();
        foreach (var t in new[] { "09:00", "09:30", "10:00", "10:30", "11:00", "11:30", "12:00", "12:30", "13:00" })
            if (await Redis.KeyExistsAsync(Lock(world, t))) lockedNow.Add(t);
        Assert.Equal(slotsOfWinners.Order(), lockedNow.Order());                         // losers left nothing behind
    }

    [Theory]
    [InlineData("10:15", "The time is not a start")]
    [InlineData("20:30", "The time is not a start")]     // a 60-minute service would end after closing (21:00)
    [InlineData("07:00", "The time is not a start")]
    public async Task a_time_off_the_grid_or_outside_opening_hours_is_400(string time, string error)
    {
        var world = await BookingWorld.CreateAsync(api.Host);
        var problem = await (await world.HoldAsync(world.Customer, world.Service60, Day, time)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.StartsWith(error, problem.GetProperty("errors").GetProperty("startTime")[0].GetString());
    }

    [Fact]
    public async Task a_past_slot_cannot_be_held()
    {
        var world = await BookingWorld.CreateAsync(api.Host, opens: "00:00", closes: "23:30");
        var yesterday = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime).AddDays(-2);
        var problem = await (await world.HoldAsync(world.Customer, world.Service30, yesterday, "12:00")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("The time has passed.", problem.GetProperty("errors").GetProperty("startTime")[0].GetString());
    }

    [Fact]
    public async Task an_unknown_vendor_or_a_service_of_another_vendor_is_404()
    {
        var world = await BookingWorld.CreateAsync(api.Host);
        var other = await BookingWorld.CreateAsync(api.Host);
        var response = await world.Client(world.Customer).PostAsJsonAsync("/api/v1/bookings/holds",
            new { vendorId = world.VendorId, serviceId = other.Service30, date = Day, startTime = "10:00" });
        await response.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task a_missing_field_is_a_validation_problem()
    {
        var world = await BookingWorld.CreateAsync(api.Host);
        var response = await world.Client(world.Customer).PostAsJsonAsync("/api/v1/bookings/holds", new { vendorId = world.VendorId, date = Day, startTime = "10:00" });
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("serviceId", out _) || problem.GetProperty("errors").TryGetProperty("serviceId", out _));
    }
}
