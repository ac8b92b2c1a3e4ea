namespace Ombaro.Tests.Features.Bookings;

/// <summary>
/// Each write to a booking is visible on the next read of every route that caches it
/// (<see cref="Ombaro.Api.Features.Bookings.BookingCaches"/>): the booking, the customer's, vendor's and therapist's lists and
/// the vendor dashboard, each read (and so cached) before the write. Every lifecycle step on the lists:
/// <see cref="ListBookingsTests"/>; earnings and revenue on completion: <c>Desks/BookingChangeTests</c>.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class BookingCachesTests(ApiFixture api)
{
    [Fact]
    public async Task confirm_assign_and_cancel_show_on_the_booking_every_list_and_the_vendor_dashboard()
    {
        var world = await BookingWorld.CreateAsync(api.Host, therapists: 2);
        // two hours ahead: in this month's cancellation figures (unless the month ends within two hours, vendor time)
        var id = await world.InsertBookingAsync("pending", TimeProvider.System.GetUtcNow().AddHours(2), world.Therapists[0].Id);   // reserved

        async Task<string> Read()
        {
            var booking = await Json(world, world.Customer, $"/api/v1/bookings/{id}");
            var mine = await Json(world, world.Customer, "/api/v1/bookings");
            var vendor = await Json(world, world.Owner, "/api/v1/vendor/bookings");
            var agenda = await Json(world, world.Therapists[1], "/api/v1/therapists/me/assignments");
            var dashboard = await Json(world, world.Owner, "/api/v1/vendor/dashboard");
            return string.Join("|", booking.GetProperty("status").GetString(), Status(mine), Status(vendor), Status(agenda),
                dashboard.GetProperty("cancellations").GetProperty("month").GetInt32());
        }

        string Status(JsonElement page) =>
            page.GetProperty("items").EnumerateArray().Where(b => b.GetProperty("id").GetGuid() == id)
                .Select(b => b.GetProperty("status").GetString()).SingleOrDefault() ?? "-";

        Assert.Equal("pending|pending|pending|-|0", await Read());

        await (await world.PostAsync(world.Owner, $"/api/v1/bookings/{id}/confirm")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("confirmed|confirmed|confirmed|-|0", await Read());

        await (await world.PostAsync(world.Owner, $"/api/v1/bookings/{id}/assign", new { therapistId = world.Therapists[1].Id })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("assigned|assigned|assigned|assigned|0", await Read());

        await (await world.PostAsync(world.Owner, $"/api/v1/bookings/{id}/cancel", new { reason = "therapist ill" })).JsonAsync(HttpStatusCode.OK);
        var after = await Read();
        Assert.StartsWith("cancelled|cancelled|cancelled|", after);
        Assert.EndsWith("|1", after);
    }

    static async Task<JsonElement> Json(BookingWorld world, TestUser user, string url) =>
        await (await world.Client(user).GetAsync(url)).JsonAsync(HttpStatusCode.OK);
}
