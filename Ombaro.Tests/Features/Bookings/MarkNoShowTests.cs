namespace Ombaro.Tests.Features.Bookings;

/// <summary>POST /api/v1/bookings/{id}/no-show: only once the start time passed.</summary>
[Collection(ApiCollection.Name)]
public sealed class MarkNoShowTests(ApiFixture api)
{
    [Fact]
    public async Task no_show_before_the_start_time_is_refused()
    {
        var world = await BookingWorld.CreateAsync(api.Host);
        var id = await world.InsertBookingAsync("assigned", TimeProvider.System.GetUtcNow().AddHours(1), world.Therapist.Id);

        var problem = await (await world.PostAsync(world.Owner, $"/api/v1/bookings/{id}/no-show")).ProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("The booking has not started yet.", problem.GetProperty("detail").GetString());
    }
}
