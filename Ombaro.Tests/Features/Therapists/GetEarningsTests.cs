namespace Ombaro.Tests.Features.Therapists;

[Collection(ApiCollection.Name)]
public sealed class GetEarningsTests(ApiFixture api)
{
    const string Url = "/api/v1/therapists/me/earnings";

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
    /// A therapist who moved from one vendor to another: completed bookings at both, every third day back from today
    /// (prices cycle 1499.99, 2199, 999.95, 1750.5; the first vendor on even steps), plus bookings that earn nothing
    /// (cancelled, assigned, completed by someone else).
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

    internal static async Task<JsonElement> Read(IAlbaHost host, TestUser therapist, string period)
    {
        var result = await host.Scenario(s => { s.Get.Url($"{Url}?period={period}"); s.As(therapist); s.StatusCodeShouldBeOk(); });
        return await result.ReadAsJsonAsync<JsonElement>();
    }
}

/// <summary>
/// Earnings as literals, on hosts whose clock stands at Thursday 2033-07-14 17:30 in Asia/Kolkata (<see cref="FixedClockHost"/>): the history's
/// completions fall on 14, 11, 8, 5 and 2 July, then June. The week runs Monday 11 to Sunday 17 July.
/// </summary>
[Collection(FixedClockCollection.Name)]
public sealed class GetEarningsOnAFixedClockTests(FixedClockHost fixture)
{
    static decimal Money(string text) => decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    static (string, string, int, decimal, decimal, int, decimal) Figures(JsonElement body)
    {
        var series = body.GetProperty("series").EnumerateArray().ToList();
        return (body.GetProperty("from").GetString()!, body.GetProperty("to").GetString()!, body.GetProperty("bookings").GetInt32(),
            body.GetProperty("gross").GetDecimal(), body.GetProperty("earnings").GetDecimal(), series.Count, series.Sum(d => d.GetProperty("earnings").GetDecimal()));
    }

    [Theory]
    [InlineData("day", "2033-07-14", "2033-07-14", 1, "1499.99", "899.99", 1)]
    [InlineData("week", "2033-07-11", "2033-07-17", 2, "3698.99", "2219.39", 7)]
    [InlineData("month", "2033-07-01", "2033-07-31", 5, "7949.43", "4769.65", 31)]
    public async Task earnings_are_the_rounded_60_percent_share_of_the_periods_completed_bookings(
        string period, string from, string to, int bookings, string gross, string earnings, int days)
    {
        var (therapist, _, _) = await GetEarningsTests.TherapistWithHistoryAsync(fixture.Host);

        var body = await GetEarningsTests.Read(fixture.Host, therapist, period);

        Assert.Equal((period, "Asia/Kolkata"), (body.GetProperty("period").GetString(), body.GetProperty("timeZone").GetString()));
        Assert.Equal((from, to, bookings, Money(gross), Money(earnings), days, Money(earnings)), Figures(body));
    }

    [Fact]
    public async Task vendor_overrides_of_the_share_apply_per_booking_and_per_day()
    {
        var (therapist, _, second) = await GetEarningsTests.TherapistWithHistoryAsync(fixture.Host);
        await using var host = await FixedClockHost.StartAsync(new Dictionary<string, string?>
        {
            ["Earnings:TherapistShare"] = "0.55",
            [$"Earnings:VendorShares:{second.Id}"] = "0.7",
        });

        var body = await GetEarningsTests.Read(host, therapist, "month");

        Assert.Equal(("2033-07-01", "2033-07-31", 5, 7949.43m, 4964.60m, 31, 4964.60m), Figures(body));
        var perDay = body.GetProperty("series").EnumerateArray().Where(d => d.GetProperty("earnings").GetDecimal() != 0)
            .Select(d => $"{d.GetProperty("date").GetString()}={d.GetProperty("earnings").GetDecimal():0.00}");
        Assert.Equal("2033-07-02=824.99 2033-07-05=1225.35 2033-07-08=549.97 2033-07-11=1539.30 2033-07-14=824.99", string.Join(" ", perDay));
    }
}
