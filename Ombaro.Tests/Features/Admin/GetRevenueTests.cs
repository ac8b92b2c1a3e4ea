namespace Ombaro.Tests.Features.Admin;

[Collection(ApiCollection.Name)]
public sealed class GetRevenueTests(ApiFixture api)
{
    const string Range = "from=2029-06-01&to=2029-06-30";

    [Fact]
    public async Task revenue_by_vendor_city_and_day_equals_sql_over_generated_bookings()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var city = DeskData.NewCity();
        var owner = await api.Host.UserAsync(Roles.Vendor);
        var (a, b) = (await api.Host.VendorAsync(owner, city), await api.Host.VendorAsync(owner, city));
        var customer = await api.Host.UserAsync(Roles.Customer);
        // 18:45 UTC on 30 June is 00:15 on 1 July in Kolkata: outside the range.
        var completions = new (TestVendor Vendor, decimal Price, DateTimeOffset At)[]
        {
            (a, 1500m, new(2029, 6, 1, 5, 0, 0, TimeSpan.Zero)), (a, 2199.5m, new(2029, 6, 14, 10, 0, 0, TimeSpan.Zero)),
            (b, 999.99m, new(2029, 6, 14, 12, 0, 0, TimeSpan.Zero)), (b, 3000m, new(2029, 6, 30, 18, 45, 0, TimeSpan.Zero)),
            (a, 700m, new(2029, 5, 31, 18, 15, 0, TimeSpan.Zero)),   // 23:45 on 31 May local: outside
        };
        foreach (var c in completions) await api.Host.BookingAsync(c.Vendor, customer, null, "completed", c.Price, c.At.AddHours(-1), completedAt: c.At);
        await api.Host.BookingAsync(a, customer, null, "cancelled", 5000m, new DateTimeOffset(2029, 6, 10, 6, 0, 0, TimeSpan.Zero));
        await api.Host.PublishAsync(new(Guid.NewGuid(), customer, a.Id, null, "in_progress", "completed", DateTimeOffset.UnixEpoch));

        var byVendor = Rows(await Read(admin, $"/api/v1/admin/revenue?{Range}&groupBy=vendor"));
        var byCity = Rows(await Read(admin, $"/api/v1/admin/revenue?{Range}&groupBy=city"));
        var byDay = await Read(admin, $"/api/v1/admin/revenue?{Range}&groupBy=day");

        await using var conn = await api.Host.Db().OpenConnectionAsync();
        const string inRange = "b.status = 'completed' AND (b.completed_at AT TIME ZONE 'Asia/Kolkata')::date BETWEEN '2029-06-01' AND '2029-06-30'";
        var sqlVendors = (await conn.QueryAsync<(string, int, decimal)>($"""
            SELECT b.vendor_id::text, count(*)::int, sum(b.price) FROM bookings b WHERE {inRange} AND b.vendor_id IN (@A, @B) GROUP BY 1
            """, new { A = a.Id, B = b.Id })).ToDictionary(r => r.Item1, r => (r.Item2, r.Item3));
        var sqlCity = await conn.QuerySingleAsync<(int, decimal)>($"""
            SELECT count(*)::int, sum(b.price) FROM bookings b JOIN vendors v ON v.id = b.vendor_id WHERE {inRange} AND v.city = @city
            """, new { city });
        var sqlTotal = await conn.QuerySingleAsync<(int, decimal)>($"SELECT count(*)::int, coalesce(sum(b.price), 0) FROM bookings b WHERE {inRange}");

        Assert.Equal(sqlVendors[a.Id.ToString()], byVendor[a.Id.ToString()]);
        Assert.Equal(sqlVendors[b.Id.ToString()], byVendor[b.Id.ToString()]);
        Assert.Equal((2, 3699.5m), sqlVendors[a.Id.ToString()]);
        Assert.Equal(sqlCity, byCity[city]);
        Assert.Equal(30, byDay.GetProperty("rows").GetArrayLength());
        Assert.Equal(sqlTotal, (byDay.GetProperty("bookings").GetInt32(), byDay.GetProperty("revenue").GetDecimal()));
    }

    [Fact]
    public async Task an_unknown_grouping_is_a_validation_problem()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var result = await api.Host.Scenario(s => { s.Get.Url("/api/v1/admin/revenue?groupBy=week"); s.As(admin); s.StatusCodeShouldBe(HttpStatusCode.BadRequest); });
        Assert.True((await result.ReadAsJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("groupBy", out _));
    }

    [Fact]
    public Task only_admins_see_revenue() => api.Host.OnlyAsync(HttpMethod.Get, "/api/v1/admin/revenue", Roles.Admin);

    async Task<JsonElement> Read(TestUser admin, string url)
    {
        var result = await api.Host.Scenario(s => { s.Get.Url(url); s.As(admin); s.StatusCodeShouldBeOk(); });
        return await result.ReadAsJsonAsync<JsonElement>();
    }

    static Dictionary<string, (int, decimal)> Rows(JsonElement body) => body.GetProperty("rows").EnumerateArray()
        .ToDictionary(r => r.GetProperty("key").GetString()!, r => (r.GetProperty("bookings").GetInt32(), r.GetProperty("revenue").GetDecimal()));
}
