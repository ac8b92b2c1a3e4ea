using System.Net;
using System.Text.Json;
using Alba;
using Dapper;
using Ombaro.Api.Infrastructure.Auth;
using Ombaro.Tests.Support;

namespace Ombaro.Tests.Features.VendorDesk;

[Collection(ApiCollection.Name)]
public sealed class GetDashboardTests(ApiFixture api)
{
    const string Url = "/api/v1/vendor/dashboard";

    [Fact]
    public async Task every_figure_equals_sql_over_the_vendors_generated_bookings()
    {
        var owner = await api.Host.SignInAsync(Roles.Vendor);
        var vendor = await api.Host.VendorAsync(owner.Id);
        var therapists = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            therapists.Add(await api.Host.UserAsync(Roles.Therapist));
            await api.Host.LinkTherapistAsync(vendor.Id, therapists[i]);
        }
        await api.Host.LinkTherapistAsync(vendor.Id, await api.Host.UserAsync(Roles.Therapist), active: false);
        var customer = await api.Host.UserAsync(Roles.Customer);
        var noon = api.Host.LocalNoonToday(vendor.TimeZone);
        var now = api.Host.Now();
        await api.Host.BookingAsync(vendor, customer, therapists[0], "completed", 1500m, noon.AddHours(-3), completedAt: now.AddMinutes(-5), rating: 5);
        await api.Host.BookingAsync(vendor, customer, therapists[1], "completed", 2199.5m, noon.AddHours(-2), minutes: 90, completedAt: now.AddMinutes(-3), rating: 4);
        await api.Host.BookingAsync(vendor, customer, therapists[2], "completed", 999m, now.AddDays(-9), completedAt: now.AddDays(-9).AddHours(1), rating: 2);
        await api.Host.BookingAsync(vendor, customer, therapists[0], "assigned", 1800m, noon.AddHours(2));
        await api.Host.BookingAsync(vendor, customer, null, "pending", 1200m, noon.AddHours(4), minutes: 120);
        await api.Host.BookingAsync(vendor, customer, therapists[1], "cancelled", 1600m, noon.AddHours(1));
        await api.Host.BookingAsync(vendor, customer, therapists[2], "no_show", 1600m, noon.AddHours(-1));

        var result = await api.Host.Scenario(s => { s.Get.Url(Url); s.As(owner); s.StatusCodeShouldBeOk(); });
        var body = await result.ReadAsJsonAsync<JsonElement>();

        var args = new { Vendor = vendor.Id, Zone = vendor.TimeZone, Day = DateOnly.Parse(body.GetProperty("date").GetString()!) };
        await using var conn = await api.Host.Db().OpenConnectionAsync();
        var byStatus = (await conn.QueryAsync<(string, int)>("""
            SELECT status, count(*)::int FROM bookings WHERE vendor_id = @Vendor AND (starts_at AT TIME ZONE @Zone)::date = @Day GROUP BY status
            """, args)).ToDictionary(r => r.Item1, r => r.Item2);
        var revenue = await conn.QuerySingleAsync<(decimal Today, decimal Week, decimal Month)>("""
            SELECT coalesce(sum(price) FILTER (WHERE (completed_at AT TIME ZONE @Zone)::date = @Day), 0),
                   coalesce(sum(price) FILTER (WHERE (completed_at AT TIME ZONE @Zone)::date >= date_trunc('week', @Day::timestamp)::date), 0),
                   coalesce(sum(price) FILTER (WHERE date_trunc('month', completed_at AT TIME ZONE @Zone) = date_trunc('month', @Day::timestamp)), 0)
            FROM bookings WHERE vendor_id = @Vendor AND status = 'completed' AND (completed_at AT TIME ZONE @Zone)::date <= @Day
            """, args);
        var booked = await conn.ExecuteScalarAsync<int>("""
            SELECT coalesce(sum(extract(epoch FROM ends_at - starts_at) / 60), 0)::int FROM bookings
            WHERE vendor_id = @Vendor AND (starts_at AT TIME ZONE @Zone)::date = @Day AND status NOT IN ('cancelled', 'no_show')
            """, args);
        var rating = await conn.QuerySingleAsync<(decimal, int)>(
            "SELECT round(avg(rating), 2), count(rating)::int FROM bookings WHERE vendor_id = @Vendor AND rating IS NOT NULL", args);

        foreach (var status in body.GetProperty("bookingsToday").EnumerateObject())
            Assert.Equal(byStatus.GetValueOrDefault(status.Name), status.Value.GetInt32());
        var r = body.GetProperty("revenue");
        Assert.Equal(revenue, (r.GetProperty("today").GetDecimal(), r.GetProperty("week").GetDecimal(), r.GetProperty("month").GetDecimal()));
        var u = body.GetProperty("utilisation");
        Assert.Equal((booked, 12 * 60, 3, 3 * 12 * 60), (u.GetProperty("bookedMinutes").GetInt32(), u.GetProperty("openingMinutes").GetInt32(),
            u.GetProperty("activeTherapists").GetInt32(), u.GetProperty("availableMinutes").GetInt32()));
        Assert.Equal(Math.Round(booked / (3.0 * 12 * 60), 4), u.GetProperty("ratio").GetDouble());
        Assert.Equal(byStatus.GetValueOrDefault("cancelled"), body.GetProperty("cancellations").GetProperty("today").GetInt32());
        Assert.Equal(rating, (body.GetProperty("rating").GetProperty("average").GetDecimal(), body.GetProperty("rating").GetProperty("count").GetInt32()));
        Assert.Equal(3, rating.Item2);
    }

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
