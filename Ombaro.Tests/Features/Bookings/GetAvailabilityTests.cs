namespace Ombaro.Tests.Features.Bookings;

[Collection(ApiCollection.Name)]
public sealed class GetAvailabilityTests(ApiFixture api)
{
    static readonly DateOnly Day = BookingWorld.FutureDate;

    static async Task<JsonElement> Availability(BookingWorld world, Guid serviceId, DateOnly date) =>
        await (await world.Client(world.Customer).GetAsync($"/api/v1/vendors/{world.VendorId}/availability?date={date:yyyy-MM-dd}&serviceId={serviceId}"))
            .JsonAsync(HttpStatusCode.OK);

    static string[] Starts(JsonElement availability) =>
        availability.GetProperty("slots").EnumerateArray().Select(s => s.GetProperty("startTime").GetString()!).ToArray();

    static DateTimeOffset Local(DateOnly date, int hour, int minute) =>        // Asia/Kolkata is UTC+05:30
        new DateTimeOffset(date.ToDateTime(new TimeOnly(hour, minute)), TimeSpan.FromHours(5.5));

    [Fact]
    public async Task the_grid_follows_opening_hours_in_the_vendors_time_zone()
    {
        var world = await BookingWorld.CreateAsync(api.Host);

        var availability = await Availability(world, world.Service60, Day);

        Assert.Equal("Asia/Kolkata", availability.GetProperty("timeZone").GetString());
        var starts = Starts(availability);
        Assert.Equal(23, starts.Length);                                    // 09:00 ... 20:00, the last one ends at closing
        Assert.Equal(("09:00", "20:00"), (starts[0], starts[^1]));
        var first = availability.GetProperty("slots")[0];
        Assert.Equal(Local(Day, 9, 0), first.GetProperty("startsAt").GetDateTimeOffset());
        Assert.Equal(Local(Day, 10, 0), first.GetProperty("endsAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task a_slot_is_offered_only_while_some_therapist_is_free_for_the_whole_service()
    {
        var world = await BookingWorld.CreateAsync(api.Host);
        await world.InsertBookingAsync("confirmed", Local(Day, 10, 0), world.Therapist.Id);
        await world.InsertBookingAsync("cancelled", Local(Day, 14, 0), world.Therapist.Id);    // does not block

        var starts = Starts(await Availability(world, world.Service60, Day));

        Assert.DoesNotContain("09:30", starts);   // would run into the 10:00 booking
        Assert.DoesNotContain("10:00", starts);
        Assert.DoesNotContain("10:30", starts);
        Assert.Contains("09:00", starts);
        Assert.Contains("11:00", starts);
        Assert.Contains("14:00", starts);
    }

    [Fact]
    public async Task with_a_second_therapist_free_the_slot_stays_offered()
    {
        var world = await BookingWorld.CreateAsync(api.Host, therapists: 2);
        await world.InsertBookingAsync("assigned", Local(Day, 10, 0), world.Therapists[0].Id);

        Assert.Contains("10:00", Starts(await Availability(world, world.Service60, Day)));
    }

    [Fact]
    public async Task a_start_stays_offered_while_some_therapist_time_is_unheld_and_goes_with_the_last()
    {
        var world = await BookingWorld.CreateAsync(api.Host, therapists: 2);
        await world.HoldTokenAsync(world.Customer, world.Service30, Day, "12:00");
        Assert.Contains("11:30", Starts(await Availability(world, world.Service60, Day)));   // the second therapist is free
        await world.HoldTokenAsync(await api.Host.SignInAsync(Roles.Customer), world.Service30, Day, "12:00");

        var starts = Starts(await Availability(world, world.Service60, Day));

        Assert.DoesNotContain("11:30", starts);   // spans 12:00
        Assert.DoesNotContain("12:00", starts);
        Assert.Contains("11:00", starts);
        Assert.Contains("12:30", starts);
    }

    [Fact]
    public async Task slots_that_already_started_are_left_out()
    {
        // A zone where it is now around midday, so today has both past and future slots.
        var offset = 12 - TimeProvider.System.GetUtcNow().UtcDateTime.Hour;
        var zone = offset switch { 0 => "Etc/GMT", > 0 => $"Etc/GMT-{offset}", _ => $"Etc/GMT+{-offset}" };
        var world = await BookingWorld.CreateAsync(api.Host, timeZone: zone, opens: "00:00", closes: "23:30");
        var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime.AddHours(offset));
        var asked = TimeProvider.System.GetUtcNow();

        var slots = (await Availability(world, world.Service30, today)).GetProperty("slots").EnumerateArray()
            .Select(s => s.GetProperty("startsAt").GetDateTimeOffset()).ToList();

        Assert.All(slots, s => Assert.True(s > asked.AddSeconds(-1), $"{s} has started"));
        Assert.InRange(slots.Count, 20, 27);                                // roughly 11:30 ... 23:00 local
        Assert.True(slots[0] - asked < TimeSpan.FromMinutes(31), "the next slot is offered");
    }

    [Fact]
    public async Task an_unknown_service_is_404_and_a_missing_date_400()
    {
        var world = await BookingWorld.CreateAsync(api.Host);
        var client = world.Client(world.Customer);
        await (await client.GetAsync($"/api/v1/vendors/{world.VendorId}/availability?date={Day:yyyy-MM-dd}&serviceId={Guid.NewGuid()}"))
            .ProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync($"/api/v1/vendors/{world.VendorId}/availability?serviceId={world.Service30}"))
            .ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task anonymous_callers_are_401()
    {
        var world = await BookingWorld.CreateAsync(api.Host);
        await api.Host.Scenario(s =>
        {
            s.Get.Url($"/api/v1/vendors/{world.VendorId}/availability?date={Day:yyyy-MM-dd}&serviceId={world.Service30}");
            s.StatusCodeShouldBe(HttpStatusCode.Unauthorized);
        });
    }
}
