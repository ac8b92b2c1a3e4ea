namespace Ombaro.Tests.Features.Therapists;

/// <summary>
/// A customer follows the therapist of their booking only from 60 minutes before its start until it completes or is
/// cancelled (<c>Bookings:LocationWindow</c>), on a host whose clock the test sets.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class LocationWindowTests(ApiFixture api)
{
    static readonly DateTimeOffset StartsAt = new(BookingWorld.FutureDate.ToDateTime(new TimeOnly(4, 30)), TimeSpan.Zero);

    /// <summary>A host on a fake clock set to <paramref name="now"/>, and a vendor whose therapist has a fresh fix (sent on the real clock).</summary>
    async Task<(IAlbaHost Host, FakeTimeProvider Clock, BookingWorld World)> LiveTherapistAsync(DateTimeOffset now)
    {
        var clock = new FakeTimeProvider(now);
        // Its own host: a clock the test sets.
        var host = await ApiFixture.StartHostAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        var shared = await BookingWorld.CreateAsync(api.Host);
        await (await shared.Client(shared.Therapist).PutAsJsonAsync("/api/v1/therapists/me/location",
            new { latitude = 12.97, longitude = 77.59, accuracy = 5.0, timestamp = TimeProvider.System.GetUtcNow() })).JsonAsync(HttpStatusCode.OK);
        return (host, clock, shared.On(host));
    }

    [Fact]
    public async Task the_customer_sees_the_therapist_from_an_hour_before_the_start_until_completion()
    {
        var (host, clock, world) = await LiveTherapistAsync(StartsAt - TimeSpan.FromMinutes(60) - TimeSpan.FromSeconds(1));
        await using var _ = host;
        var id = await world.InsertBookingAsync("assigned", StartsAt, world.Therapist.Id);
        Task<HttpResponseMessage> Read() => world.Client(world.Customer).GetAsync($"/api/v1/therapists/{world.Therapist.Id}/location");

        await (await Read()).ProblemAsync(HttpStatusCode.NotFound);                          // 60 min + 1 s before: not yet
        clock.Advance(TimeSpan.FromSeconds(1));
        await (await Read()).JsonAsync(HttpStatusCode.OK);                                    // exactly 60 min before
        clock.Advance(TimeSpan.FromMinutes(45));
        await (await world.PostAsync(world.Therapist, $"/api/v1/bookings/{id}/start")).JsonAsync(HttpStatusCode.OK);
        clock.Advance(TimeSpan.FromHours(3));                                                 // running long: still followed
        await (await Read()).JsonAsync(HttpStatusCode.OK);
        await (await world.PostAsync(world.Therapist, $"/api/v1/bookings/{id}/complete")).JsonAsync(HttpStatusCode.OK);
        await (await Read()).ProblemAsync(HttpStatusCode.NotFound);                           // completed: gone
    }

    [Fact]
    public async Task a_cancelled_booking_ends_the_window_and_another_customer_never_has_one()
    {
        var (host, _, world) = await LiveTherapistAsync(StartsAt - TimeSpan.FromMinutes(10));
        await using var _ = host;
        var id = await world.InsertBookingAsync("confirmed", StartsAt, world.Therapist.Id);
        var stranger = await api.Host.SignInAsync(Roles.Customer);

        await (await world.Client(world.Customer).GetAsync($"/api/v1/therapists/{world.Therapist.Id}/location")).JsonAsync(HttpStatusCode.OK);
        await (await world.Client(stranger).GetAsync($"/api/v1/therapists/{world.Therapist.Id}/location")).ProblemAsync(HttpStatusCode.NotFound);
        await (await world.PostAsync(world.Customer, $"/api/v1/bookings/{id}/cancel", new { reason = "changed my mind" })).JsonAsync(HttpStatusCode.OK);
        await (await world.Client(world.Customer).GetAsync($"/api/v1/therapists/{world.Therapist.Id}/location")).ProblemAsync(HttpStatusCode.NotFound);
    }
}
