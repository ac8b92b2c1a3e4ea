using Ombaro.Api.Features.Admin;

namespace Ombaro.Tests.Features.Admin;

[Collection(ApiCollection.Name)]
public sealed class GetDashboardTests(ApiFixture api)
{
    const string Url = "/api/v1/admin/dashboard";

    [Fact]
    public async Task the_figures_equal_sql_and_the_live_set_at_the_same_moment()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var vendor = await api.Host.VendorAsync(await api.Host.UserAsync(Roles.Vendor));
        var customer = await api.Host.UserAsync(Roles.Customer);
        var noon = api.Host.LocalNoonToday("Asia/Kolkata");
        await api.Host.BookingAsync(vendor, customer, null, "completed", 1234.5m, noon.AddHours(-2), completedAt: api.Host.Now().AddMinutes(-1));
        await api.Host.BookingAsync(vendor, customer, null, "confirmed", 999m, noon.AddHours(3));
        var liveTherapist = Guid.NewGuid().ToString();
        await api.Redis.SortedSetAddAsync(RedisKeys.GeoTherapistsSeen, liveTherapist, api.Host.Now().ToUnixTimeMilliseconds());
        // Rows written straight to PostgreSQL by tests tell no one; the identity and bookings code do.
        await api.Services.GetRequiredService<UserCaches>().ListsChangedAsync();

        try
        {
            var body = await Read(admin);

            // the platform zone (Reporting:TimeZone) and today in it, not the response's own: literal figures in FixedClockReportsTests
            const string zone = "Asia/Kolkata";
            var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(api.Host.Now(), TimeZoneInfo.FindSystemTimeZoneById(zone)).DateTime);
            Assert.Equal((day.ToString("yyyy-MM-dd"), zone), (body.GetProperty("date").GetString(), body.GetProperty("timeZone").GetString()));
            var args = new { Day = day, Zone = zone };
            await using var conn = await api.Host.Db().OpenConnectionAsync();
            var byRole = (await conn.QueryAsync<(string, int)>("SELECT role, count(*)::int FROM users GROUP BY role")).ToDictionary(r => r.Item1, r => r.Item2);
            var today = await conn.QuerySingleAsync<(int, int, decimal)>("""
                SELECT count(*) FILTER (WHERE (starts_at AT TIME ZONE @Zone)::date = @Day)::int,
                       count(*) FILTER (WHERE status = 'completed' AND (completed_at AT TIME ZONE @Zone)::date = @Day)::int,
                       coalesce(sum(price) FILTER (WHERE status = 'completed' AND (completed_at AT TIME ZONE @Zone)::date = @Day), 0)
                FROM bookings
                """, args);
            var live = await api.Redis.SortedSetLengthAsync(RedisKeys.GeoTherapistsSeen, api.Host.Now().AddMinutes(-5).ToUnixTimeMilliseconds());

            var totals = body.GetProperty("totals");
            var reported = totals.GetProperty("usersByRole").EnumerateObject().ToDictionary(r => r.Name, r => r.Value.GetInt32());
            Assert.Equal(Roles.All.Order(), reported.Keys.Order());   // every role, even one without users; literal figures: FixedClockReportsTests
            Assert.All(Roles.All, role => Assert.Equal(byRole.GetValueOrDefault(role), reported[role]));
            Assert.Equal(today, (totals.GetProperty("bookingsToday").GetInt32(), totals.GetProperty("completedToday").GetInt32(), totals.GetProperty("revenueToday").GetDecimal()));
            Assert.Equal(live, body.GetProperty("activeTherapists").GetInt32());
            Assert.True(live >= 1);
        }
        finally
        {
            await api.Redis.SortedSetRemoveAsync(RedisKeys.GeoTherapistsSeen, liveTherapist);
        }
    }

    [Fact]
    public async Task the_cache_hit_rate_counts_the_dashboards_own_cached_read()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var first = (await Read(admin)).GetProperty("caches").GetProperty("admin-dashboard");
        var body = await Read(admin);   // the second read within the TTL is a hit

        // one more lookup; a hit unless a booking change elsewhere bumped the generation in between (exact: FixedClockReportsTests)
        var own = body.GetProperty("caches").GetProperty("admin-dashboard");
        static long Lookups(JsonElement c) => c.GetProperty("hits").GetInt64() + c.GetProperty("misses").GetInt64() + c.GetProperty("fallbacks").GetInt64();
        Assert.Equal(Lookups(first) + 1, Lookups(own));
        Assert.True(own.GetProperty("hits").GetInt64() >= 1);
        var all = body.GetProperty("cache");
        foreach (var total in new[] { "hits", "misses", "fallbacks" })
            Assert.Equal(body.GetProperty("caches").EnumerateObject().Sum(c => c.Value.GetProperty(total).GetInt64()), all.GetProperty(total).GetInt64());
    }

    [Fact]
    public async Task a_user_change_reaches_the_dashboard_through_user_caches()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var before = (await Read(admin)).GetProperty("totals").GetProperty("usersByRole").GetProperty("employee").GetInt32();
        await api.Host.UserAsync(Roles.Employee);
        Assert.Equal(before, (await Read(admin)).GetProperty("totals").GetProperty("usersByRole").GetProperty("employee").GetInt32());

        await api.Services.GetRequiredService<UserCaches>().ListsChangedAsync();

        Assert.Equal(before + 1, (await Read(admin)).GetProperty("totals").GetProperty("usersByRole").GetProperty("employee").GetInt32());
    }

    [Fact]
    public Task only_admins_see_the_admin_dashboard() => api.Host.OnlyAsync(HttpMethod.Get, Url, Roles.Admin);

    async Task<JsonElement> Read(TestUser admin)
    {
        var result = await api.Host.Scenario(s => { s.Get.Url(Url); s.As(admin); s.StatusCodeShouldBeOk(); });
        return await result.ReadAsJsonAsync<JsonElement>();
    }
}
