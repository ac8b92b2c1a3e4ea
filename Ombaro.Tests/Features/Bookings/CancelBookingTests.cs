namespace Ombaro.Tests.Features.Bookings;

/// <summary>POST /api/v1/bookings/{id}/cancel: who may cancel when, and the reason it needs.</summary>
[Collection(ApiCollection.Name)]
public sealed class CancelBookingTests(ApiFixture api)
{
    [Fact]
    public async Task the_customer_cannot_cancel_after_the_start_time_but_the_vendor_can()
    {
        var world = await BookingWorld.CreateAsync(api.Host);
        var id = await world.InsertBookingAsync("assigned", TimeProvider.System.GetUtcNow().AddMinutes(-5), world.Therapist.Id);

        var problem = await (await world.PostAsync(world.Customer, $"/api/v1/bookings/{id}/cancel", new { reason = "late" })).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("assigned", problem.GetProperty("currentStatus").GetString());
        Assert.Contains("started", problem.GetProperty("detail").GetString());

        var cancelled = await (await world.PostAsync(world.Owner, $"/api/v1/bookings/{id}/cancel", new { reason = "customer late" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("customer late", cancelled.GetProperty("cancelReason").GetString());
        Assert.Equal(world.Owner.Id, await world.QueryAsync<Guid>("SELECT cancelled_by FROM bookings WHERE id = @id", new { id }));
    }

    [Fact]
    public async Task a_cancel_needs_a_reason()
    {
        var world = await BookingWorld.CreateAsync(api.Host);
        var id = await world.InsertBookingAsync("pending", TimeProvider.System.GetUtcNow().AddDays(1), world.Therapist.Id);

        var problem = await (await world.PostAsync(world.Customer, $"/api/v1/bookings/{id}/cancel", new { reason = "" })).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("reason", out _));
    }
}
