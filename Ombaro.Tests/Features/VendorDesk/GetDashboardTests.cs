namespace Ombaro.Tests.Features.VendorDesk;

[Collection(ApiCollection.Name)]
public sealed class GetDashboardTests(ApiFixture api)
{
    const string Url = "/api/v1/vendor/dashboard";

    [Fact]
    public async Task a_vendor_user_without_a_vendor_gets_404()
    {
        var owner = await api.Host.SignInAsync(Roles.Vendor);
        var result = await api.Host.Scenario(s => { s.Get.Url(Url); s.As(owner); s.StatusCodeShouldBe(HttpStatusCode.NotFound); });
        Assert.Equal("Vendor not found", (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }

    [Fact]
    public async Task another_owners_vendor_id_is_not_found()
    {
        var owner = await api.Host.SignInAsync(Roles.Vendor);
        await api.Host.VendorAsync(owner.Id);
        var other = await api.Host.VendorAsync(await api.Host.UserAsync(Roles.Vendor));
        await api.Host.Scenario(s => { s.Get.Url($"{Url}?vendorId={other.Id}"); s.As(owner); s.StatusCodeShouldBe(HttpStatusCode.NotFound); });
    }

    [Fact]
    public Task only_vendors_see_the_vendor_dashboard() => api.Host.OnlyAsync(HttpMethod.Get, Url, Roles.Vendor);
}

/// <summary>
/// Every figure of the vendor dashboard as a literal, on a host whose clock stands at Thursday 2033-07-14 17:30 in the
/// vendor's zone (Asia/Kolkata, <see cref="FixedClockHost"/>); the week starts on Monday the 11th. Across midnight UTC: FixedClockReportsTests.
/// </summary>
[Collection(FixedClockCollection.Name)]
public sealed class GetDashboardOnAFixedClockTests(FixedClockHost fixture)
{
    [Fact]
    public async Task every_figure_is_the_literal_sum_over_the_vendors_bookings()
    {
        var host = fixture.Host;
        var owner = await host.SignInAsync(Roles.Vendor);
        var vendor = await host.VendorAsync(owner.Id, timeZone: "Asia/Kolkata");   // open 09:00–21:00 every day
        var therapists = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            therapists.Add(await host.UserAsync(Roles.Therapist));
            await host.LinkTherapistAsync(vendor.Id, therapists[i]);
        }
        await host.LinkTherapistAsync(vendor.Id, await host.UserAsync(Roles.Therapist), active: false);
        var customer = await host.UserAsync(Roles.Customer);
        var noon = new DateTimeOffset(2033, 7, 14, 12, 0, 0, TimeSpan.FromHours(5.5));
        var now = FixedClockHost.Now;
        await host.BookingAsync(vendor, customer, therapists[0], "completed", 1500m, noon.AddHours(-3), completedAt: now.AddMinutes(-5), rating: 5);
        await host.BookingAsync(vendor, customer, therapists[1], "completed", 2199.5m, noon.AddHours(-2), minutes: 90, completedAt: now.AddMinutes(-3), rating: 4);
        await host.BookingAsync(vendor, customer, therapists[2], "completed", 999m, now.AddDays(-9), completedAt: now.AddDays(-9).AddHours(1), rating: 2);
        await host.BookingAsync(vendor, customer, therapists[0], "completed", 350m, now.AddDays(-14), completedAt: now.AddDays(-14).AddHours(1)); // June
        await host.BookingAsync(vendor, customer, therapists[0], "assigned", 1800m, noon.AddHours(2));
        await host.BookingAsync(vendor, customer, null, "pending", 1200m, noon.AddHours(4), minutes: 120);
        await host.BookingAsync(vendor, customer, therapists[1], "cancelled", 1600m, noon.AddHours(1));
        await host.BookingAsync(vendor, customer, therapists[2], "no_show", 1600m, noon.AddHours(-1));

        var result = await host.Scenario(s => { s.Get.Url("/api/v1/vendor/dashboard"); s.As(owner); s.StatusCodeShouldBeOk(); });
        var body = await result.ReadAsJsonAsync<JsonElement>();

        Assert.Equal(("2033-07-14", "Asia/Kolkata"), (body.GetProperty("date").GetString(), body.GetProperty("timeZone").GetString()));
        Assert.Equal("assigned=1 cancelled=1 completed=2 no_show=1 pending=1", string.Join(" ", body.GetProperty("bookingsToday").EnumerateObject()
            .Where(p => p.Value.GetInt32() != 0).OrderBy(p => p.Name).Select(p => $"{p.Name}={p.Value.GetInt32()}")));
        var r = body.GetProperty("revenue");
        Assert.Equal((3699.5m, 3699.5m, 4698.5m), (r.GetProperty("today").GetDecimal(), r.GetProperty("week").GetDecimal(), r.GetProperty("month").GetDecimal()));
        var u = body.GetProperty("utilisation");
        Assert.Equal((330, 720, 3, 2160, 0.1528), (u.GetProperty("bookedMinutes").GetInt32(), u.GetProperty("openingMinutes").GetInt32(),
            u.GetProperty("activeTherapists").GetInt32(), u.GetProperty("availableMinutes").GetInt32(), u.GetProperty("ratio").GetDouble()));
        Assert.Equal(1, body.GetProperty("cancellations").GetProperty("today").GetInt32());
        Assert.Equal((3.67m, 3), (body.GetProperty("rating").GetProperty("average").GetDecimal(), body.GetProperty("rating").GetProperty("count").GetInt32()));
    }
}
