namespace Ombaro.Tests.Features.Bookings;

/// <summary>POST /api/v1/bookings/{id}/assign: a therapist of the vendor, free at the time.</summary>
[Collection(ApiCollection.Name)]
public sealed class AssignBookingTests(ApiFixture api)
{
    [Fact]
    public async Task assigning_a_therapist_of_another_vendor_is_400()
    {
        var world = await BookingWorld.CreateAsync(api.Host);
        var other = await BookingWorld.CreateAsync(api.Host);
        var id = await world.InsertBookingAsync("confirmed", TimeProvider.System.GetUtcNow().AddDays(1), world.Therapist.Id);

        var problem = await (await world.PostAsync(world.Owner, $"/api/v1/bookings/{id}/assign", new { therapistId = other.Therapist.Id }))
            .ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("Not an active therapist of this booking's vendor.", problem.GetProperty("errors").GetProperty("therapistId")[0].GetString());
    }

    [Fact]
    public async Task assigning_a_therapist_who_is_busy_then_is_409_from_the_exclusion_constraint()
    {
        var world = await BookingWorld.CreateAsync(api.Host, therapists: 2);
        var at = TimeProvider.System.GetUtcNow().AddDays(1);
        await world.InsertBookingAsync("assigned", at.AddMinutes(30), world.Therapists[1].Id);
        var id = await world.InsertBookingAsync("confirmed", at, world.Therapists[0].Id);

        var problem = await (await world.PostAsync(world.Owner, $"/api/v1/bookings/{id}/assign", new { therapistId = world.Therapists[1].Id }))
            .ProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("Therapist not free", problem.GetProperty("title").GetString());
        Assert.Equal("confirmed", problem.GetProperty("currentStatus").GetString());
        await (await world.PostAsync(world.Owner, $"/api/v1/bookings/{id}/assign", new { therapistId = world.Therapists[0].Id })).JsonAsync(HttpStatusCode.OK);
    }
}
