using System.Net;
using System.Text.Json;
using Alba;
using Ombaro.Api.Infrastructure.Auth;
using Ombaro.Tests.Support;

namespace Ombaro.Tests.Features.Therapists;

[Collection(ApiCollection.Name)]
public sealed class GetEarningsTests(ApiFixture api)
{
    const string Url = "/api/v1/therapists/me/earnings";

    /// <summary>The per-booking share computed in SQL, over the same local dates the API answered for.</summary>
    const string ExpectedSql = """
        SELECT count(*)::int AS bookings, coalesce(sum(price), 0) AS gross,
               coalesce(sum(round(price * CASE WHEN vendor_id = @Special THEN @SpecialShare ELSE @Share END, 2)), 0) AS earnings
        FROM bookings
        WHERE therapist_id = @Therapist AND status = 'completed'
          AND (completed_at AT TIME ZONE @Zone)::date BETWEEN @From AND @To
        """;

    [Theory]
    [InlineData("day")]
    [InlineData("week")]
    [InlineData("month")]
    public async Task earnings_equal_sql_over_the_therapists_completed_bookings(string period)
    {
        var (therapist, _, _) = await TherapistWithHistoryAsync(api.Host);

        var body = await Read(api.Host, therapist, period);

        var expected = await Expected(api.Host, therapist.Id, body, share: 0.6m);
        Assert.Equal(period, body.GetProperty("period").GetString());
        Assert.Equal(expected, (body.GetProperty("bookings").GetInt32(), body.GetProperty("gross").GetDecimal(), body.GetProperty("earnings").GetDecimal()));
        Assert.True(expected.Bookings >= 1 || period != "month", "the generated history has bookings this month");
        var series = body.GetProperty("series").EnumerateArray().ToList();
        Assert.Equal(DateOnly.Parse(body.GetProperty("to").GetString()!).DayNumber - DateOnly.Parse(body.GetProperty("from").GetString()!).DayNumber + 1, series.Count);
        Assert.Equal(expected.Earnings, series.Sum(d => d.GetProperty("earnings").GetDecimal()));
    }

    [Fact]
    public async Task vendor_overrides_of_the_share_apply_per_booking_and_series_days_match_sql()
    {
        var (therapist, first, second) = await TherapistWithHistoryAsync(api.Host);
        await using var host = await ApiFixture.StartHostAsync(new Dictionary<string, string?>
        {
            ["Earnings:TherapistShare"] = "0.55",
            [$"Earnings:VendorShares:{second.Id}"] = "0.7",
        });

        var body = await Read(host, therapist, "month");

        var expected = await Expected(host, therapist.Id, body, share: 0.55m, special: second.Id, specialShare: 0.7m);
        Assert.Equal(expected, (body.GetProperty("bookings").GetInt32(), body.GetProperty("gross").GetDecimal(), body.GetProperty("earnings").GetDecimal()));
        foreach (var day in body.GetProperty("series").EnumerateArray())
        {
            var date = DateOnly.Parse(day.GetProperty("date").GetString()!);
            var sql = await host.ScalarAsync<decimal>("""
                SELECT coalesce(sum(round(price * CASE WHEN vendor_id = @Special THEN 0.7 ELSE 0.55 END, 2)), 0) FROM bookings
                WHERE therapist_id = @Therapist AND status = 'completed' AND (completed_at AT TIME ZONE 'Asia/Kolkata')::date = @date
                """, new { Special = second.Id, Therapist = therapist.Id, date });
            Assert.Equal(sql, day.GetProperty("earnings").GetDecimal());
        }
        Assert.NotEqual(first.Id, second.Id);
    }

    [Fact]
    public async Task an_unknown_period_is_a_validation_problem()
    {
        var therapist = await api.Host.SignInAsync(Roles.Therapist);
        var result = await api.Host.Scenario(s => { s.Get.Url(Url + "?period=year"); s.As(therapist); s.StatusCodeShouldBe(HttpStatusCode.BadRequest); });
        var problem = await result.ReadAsJsonAsync<JsonElement>();
        Assert.Contains("day, week or month", problem.GetProperty("errors").GetProperty("period")[0].GetString());
    }

    [Fact]
    public Task only_therapists_see_earnings() => api.Host.OnlyAsync(HttpMethod.Get, Url, Roles.Therapist);

    /// <summary>
    /// A therapist who moved from one vendor to another: completed bookings at both (today, earlier this
    /// month, last month), plus bookings that earn nothing (cancelled, assigned, completed by someone else).
    /// </summary>
    internal static async Task<(TestUser Therapist, TestVendor First, TestVendor Second)> TherapistWithHistoryAsync(IAlbaHost host)
    {
        var therapist = await host.SignInAsync(Roles.Therapist);
        var customer = await host.UserAsync(Roles.Customer);
        var first = await host.VendorAsync(await host.UserAsync(Roles.Vendor));
        var second = await host.VendorAsync(await host.UserAsync(Roles.Vendor));
        await host.LinkTherapistAsync(first.Id, therapist.Id, active: false);
        await host.LinkTherapistAsync(second.Id, therapist.Id);
        var now = host.Now();
        var prices = new[] { 1499.99m, 2199m, 999.95m, 1750.5m };
        for (var i = 0; i < 12; i++)
        {
            var starts = now.AddDays(-3 * i).AddHours(-3);
            var vendor = i % 2 == 0 ? first : second;
            await host.BookingAsync(vendor, customer, therapist.Id, "completed", prices[i % prices.Length], starts, completedAt: starts.AddMinutes(60));
        }
        await host.BookingAsync(second, customer, therapist.Id, "cancelled", 5000m, now.AddHours(-6));
        await host.BookingAsync(second, customer, therapist.Id, "assigned", 5000m, now.AddHours(2));
        await host.BookingAsync(second, customer, null, "completed", 5000m, now.AddHours(-8), completedAt: now.AddHours(-7));
        return (therapist, first, second);
    }

    static async Task<JsonElement> Read(IAlbaHost host, TestUser therapist, string period)
    {
        var result = await host.Scenario(s => { s.Get.Url($"{Url}?period={period}"); s.As(therapist); s.StatusCodeShouldBeOk(); });
        return await result.ReadAsJsonAsync<JsonElement>();
    }

    static async Task<(int Bookings, decimal Gross, decimal Earnings)> Expected(IAlbaHost host, Guid therapist, JsonElement body,
        decimal share, Guid? special = null, decimal specialShare = 0)
    {
        await using var conn = await host.Db().OpenConnectionAsync();
        return await Dapper.SqlMapper.QuerySingleAsync<(int, decimal, decimal)>(conn, ExpectedSql, new
        {
            Therapist = therapist, Zone = body.GetProperty("timeZone").GetString(), Share = share,
            Special = special ?? Guid.Empty, SpecialShare = specialShare,
            From = DateOnly.Parse(body.GetProperty("from").GetString()!), To = DateOnly.Parse(body.GetProperty("to").GetString()!),
        });
    }
}
