namespace Ombaro.Tests.Features.Desks;

/// <summary>
/// A booking completed through the therapist's endpoints reaches the therapist's earnings, the vendor's dashboard and
/// admin revenue on the next read (literal dates and sums on a fixed clock: <see cref="FixedClockReportsTests"/>).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class BookingChangeTests(ApiFixture api)
{
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
