namespace Ombaro.Tests.Features.Bookings;

/// <summary>
/// Each write to a booking is visible on the next read of every route that caches it
/// (<see cref="Ombaro.Api.Features.Bookings.BookingCaches"/>): the booking, the customer's, vendor's and therapist's lists and
/// the vendor dashboard, each read (and so cached) before the write; a completion through the therapist's endpoints on the
/// therapist's earnings, the vendor's dashboard and admin revenue (literal dates and sums on a fixed clock:
/// <c>Desks/FixedClockReportsTests</c>). Every lifecycle step on the lists: <see cref="ListBookingsTests"/>.
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

    [Fact]
    public async Task completing_a_booking_changes_earnings_vendor_dashboard_and_admin_revenue_on_the_next_read()
    {
        var owner = await api.Host.SignInAsync(Roles.Vendor);
        var therapist = await api.Host.SignInAsync(Roles.Therapist);
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var vendor = await api.Host.VendorAsync(owner.Id);
        await api.Host.LinkTherapistAsync(vendor.Id, therapist.Id);
        var now = api.Host.Now();
        var booking = await api.Host.BookingAsync(vendor, await api.Host.UserAsync(Roles.Customer), therapist.Id, "assigned", 2500m, now.AddMinutes(-50));

        async Task<(decimal Earnings, decimal VendorToday, decimal Revenue)> Read()
        {
            var earnings = await Json(therapist, "/api/v1/therapists/me/earnings?period=day");
            var dashboard = await Json(owner, "/api/v1/vendor/dashboard");
            var day = earnings.GetProperty("from").GetString();
            var revenue = await Json(admin, $"/api/v1/admin/revenue?from={day}&to={day}&groupBy=vendor");
            var row = revenue.GetProperty("rows").EnumerateArray().FirstOrDefault(r => r.GetProperty("key").GetString() == vendor.Id.ToString());
            return (earnings.GetProperty("earnings").GetDecimal(), dashboard.GetProperty("revenue").GetProperty("today").GetDecimal(),
                row.ValueKind == JsonValueKind.Undefined ? 0 : row.GetProperty("revenue").GetDecimal());
        }

        Assert.Equal((0m, 0m, 0m), await Read());

        await api.Host.Scenario(s => { s.Post.Url($"/api/v1/bookings/{booking}/start"); s.As(therapist); s.StatusCodeShouldBeOk(); });
        await api.Host.Scenario(s => { s.Post.Url($"/api/v1/bookings/{booking}/complete"); s.As(therapist); s.StatusCodeShouldBeOk(); });

        Assert.Equal((1500m, 2500m, 2500m), await Read());   // 60 % default share
    }

    [Fact]
    public async Task the_reads_are_cached_until_a_booking_change_is_published()
    {
        var therapist = await api.Host.SignInAsync(Roles.Therapist);
        var vendor = await api.Host.VendorAsync(await api.Host.UserAsync(Roles.Vendor));
        await api.Host.LinkTherapistAsync(vendor.Id, therapist.Id);
        var now = api.Host.Now();
        var booking = await api.Host.BookingAsync(vendor, await api.Host.UserAsync(Roles.Customer), therapist.Id, "in_progress", 1000m, now.AddMinutes(-50));
        Assert.Equal(0m, (await Json(therapist, "/api/v1/therapists/me/earnings?period=day")).GetProperty("gross").GetDecimal());

        await using (var conn = await api.Host.Db().OpenConnectionAsync())
            await Dapper.SqlMapper.ExecuteAsync(conn, "UPDATE bookings SET status = 'completed', completed_at = @now WHERE id = @booking", new { booking, now = now.UtcDateTime });
        Assert.Equal(0m, (await Json(therapist, "/api/v1/therapists/me/earnings?period=day")).GetProperty("gross").GetDecimal());

        await api.Host.PublishAsync(new Ombaro.Api.Features.Bookings.BookingChange(booking, Guid.Empty, vendor.Id, therapist.Id, "in_progress", "completed", now));
        Assert.Equal(1000m, (await Json(therapist, "/api/v1/therapists/me/earnings?period=day")).GetProperty("gross").GetDecimal());
    }

    async Task<JsonElement> Json(TestUser user, string url)
    {
        var result = await api.Host.Scenario(s => { s.Get.Url(url); s.As(user); s.StatusCodeShouldBeOk(); });
        return await result.ReadAsJsonAsync<JsonElement>();
    }
}
