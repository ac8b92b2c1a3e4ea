namespace Ombaro.Tests.Features.Desks;

/// <summary>
/// Every report against literal dates and sums, on a host with a fixed clock, a database of its own (the platform
/// totals count only this test's rows) and a cache Redis of its own (its cache counts are only this test's reads). The clock stands at Thursday 2033-07-14 00:30 in Asia/Kolkata, which is still
/// Wednesday 2033-07-13 19:00 in UTC: a booking completed at 23:50 IST on the 13th is yesterday's, not today's. One
/// booking is then started and completed through the therapist's endpoints, and every report moves by exactly it.
/// </summary>
public sealed class FixedClockReportsTests
{
    static readonly DateTimeOffset Now = new(2033, 7, 13, 19, 0, 0, TimeSpan.Zero);
    static DateTimeOffset Utc(int month, int day, int hour, int minute) => new(2033, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public async Task reports_use_the_local_day_week_and_month_and_a_completion_through_the_endpoints_moves_each_by_its_price()
    {
        await using var database = await TestEnvironment.CreateOwnDatabaseAsync();
        await using var cacheRedis = await RedisServerProcess.StartAsync();   // every booking change anywhere bumps the admin dashboard's generation
        var clock = new FakeTimeProvider(Now);
        // Its own host: a fixed clock, a database and a cache Redis of its own (see the summary).
        await using var host = await ApiFixture.StartHostAsync(new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = database.Url,
            ["REDIS_CACHE_URL"] = cacheRedis.Url,
        }, s => s.AddSingleton<TimeProvider>(clock));
        var owner = await host.SignInAsync(Roles.Vendor);
        var therapist = await host.SignInAsync(Roles.Therapist);
        var admin = await host.SignInAsync(Roles.Admin);
        var customer = await host.UserAsync(Roles.Customer);
        var vendor = await host.VendorAsync(owner.Id, timeZone: "Asia/Kolkata");
        await host.LinkTherapistAsync(vendor.Id, therapist.Id);
        await host.BookingAsync(vendor, customer, therapist.Id, "completed", 1000m, Utc(7, 13, 17, 20), completedAt: Utc(7, 13, 18, 20)); // Wed 23:50 IST
        await host.BookingAsync(vendor, customer, therapist.Id, "completed", 700m, Utc(7, 10, 5, 30), completedAt: Utc(7, 10, 6, 30));    // Sun: last week
        await host.BookingAsync(vendor, customer, therapist.Id, "completed", 400m, Utc(6, 30, 16, 30), completedAt: Utc(6, 30, 17, 30));  // 30 June 23:00 IST
        await host.BookingAsync(vendor, customer, null, "cancelled", 999m, Utc(7, 14, 4, 30));                                           // today 10:00 IST
        var booking = await host.BookingAsync(vendor, customer, therapist.Id, "assigned", 2500m, Utc(7, 13, 18, 45));                   // today 00:15 IST

        async Task<JsonElement> Get(TestUser user, string url)
        {
            var result = await host.Scenario(s => { s.Get.Url(url); s.As(user); s.StatusCodeShouldBeOk(); });
            return await result.ReadAsJsonAsync<JsonElement>();
        }
        async Task<(string, string, int, decimal, decimal)> Earnings(string period)
        {
            var e = await Get(therapist, "/api/v1/therapists/me/earnings?period=" + period);
            return (e.GetProperty("from").GetString()!, e.GetProperty("to").GetString()!, e.GetProperty("bookings").GetInt32(),
                e.GetProperty("gross").GetDecimal(), e.GetProperty("earnings").GetDecimal());
        }
        async Task<(string, string, decimal, decimal, decimal)> VendorDashboard()
        {
            var d = await Get(owner, "/api/v1/vendor/dashboard");
            var r = d.GetProperty("revenue");
            return (d.GetProperty("date").GetString()!, Statuses(d.GetProperty("bookingsToday")),
                r.GetProperty("today").GetDecimal(), r.GetProperty("week").GetDecimal(), r.GetProperty("month").GetDecimal());
        }
        async Task<(string, string, int, int, decimal)> AdminDashboard()
        {
            var d = await Get(admin, "/api/v1/admin/dashboard");
            var t = d.GetProperty("totals");
            return (d.GetProperty("date").GetString()!, Statuses(t.GetProperty("bookingsTodayByStatus")),
                t.GetProperty("bookingsToday").GetInt32(), t.GetProperty("completedToday").GetInt32(), t.GetProperty("revenueToday").GetDecimal());
        }
        async Task<(int, decimal, string)> Revenue()
        {
            var r = await Get(admin, "/api/v1/admin/revenue?from=2033-06-30&to=2033-07-14&groupBy=day");
            var days = r.GetProperty("rows").EnumerateArray().Where(d => d.GetProperty("revenue").GetDecimal() != 0)
                .Select(d => $"{d.GetProperty("key").GetString()}={d.GetProperty("revenue").GetDecimal():0.##}");
            return (r.GetProperty("bookings").GetInt32(), r.GetProperty("revenue").GetDecimal(), string.Join(" ", days));
        }

        Assert.Equal(("2033-07-14", "2033-07-14", 0, 0m, 0m), await Earnings("day"));
        Assert.Equal(("2033-07-11", "2033-07-17", 1, 1000m, 600m), await Earnings("week"));
        Assert.Equal(("2033-07-01", "2033-07-31", 2, 1700m, 1020m), await Earnings("month"));
        Assert.Equal(("2033-07-14", "assigned=1 cancelled=1", 0m, 1000m, 1700m), await VendorDashboard());
        Assert.Equal(("2033-07-14", "assigned=1 cancelled=1", 2, 0, 0m), await AdminDashboard());
        Assert.Equal((3, 2100m, "2033-06-30=400 2033-07-10=700 2033-07-13=1000"), await Revenue());
        var admins = await Get(admin, "/api/v1/admin/dashboard");   // the same day again: served from the cache
        var own = admins.GetProperty("caches").GetProperty("admin-dashboard");
        Assert.Equal((1L, 1L, 0L, 0.5), (own.GetProperty("hits").GetInt64(), own.GetProperty("misses").GetInt64(),
            own.GetProperty("fallbacks").GetInt64(), own.GetProperty("hitRate").GetDouble()));
        Assert.Equal("Asia/Kolkata", admins.GetProperty("timeZone").GetString());
        await using (var conn = await host.Db().OpenConnectionAsync())
        {
            var byRole = (await conn.QueryAsync<(string Role, int Count)>("SELECT role, count(*)::int FROM users GROUP BY role")).ToDictionary(r => r.Role, r => r.Count);
            var reported = admins.GetProperty("totals").GetProperty("usersByRole").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
            Assert.Equal(Roles.All.Order(), reported.Keys.Order());
            Assert.All(Roles.All, role => Assert.Equal(byRole.GetValueOrDefault(role), reported[role]));
            Assert.Equal((1, 1, 1), (reported["therapist"], reported["customer"], reported["vendor"]));
        }

        await Post(therapist, $"/api/v1/bookings/{booking}/start");
        clock.Advance(TimeSpan.FromMinutes(45));                                  // 19:45 UTC, 01:15 IST on the 14th
        await Post(therapist, $"/api/v1/bookings/{booking}/complete");

        Assert.Equal(Utc(7, 13, 19, 45).UtcDateTime, await host.ScalarAsync<DateTime>("SELECT completed_at FROM bookings WHERE id = @booking", new { booking }));
        Assert.Equal(("2033-07-14", "2033-07-14", 1, 2500m, 1500m), await Earnings("day"));
        Assert.Equal(("2033-07-11", "2033-07-17", 2, 3500m, 2100m), await Earnings("week"));
        Assert.Equal(("2033-07-01", "2033-07-31", 3, 4200m, 2520m), await Earnings("month"));
        Assert.Equal(("2033-07-14", "cancelled=1 completed=1", 2500m, 3500m, 4200m), await VendorDashboard());
        Assert.Equal(("2033-07-14", "cancelled=1 completed=1", 2, 1, 2500m), await AdminDashboard());
        Assert.Equal((4, 4600m, "2033-06-30=400 2033-07-10=700 2033-07-13=1000 2033-07-14=2500"), await Revenue());

        async Task Post(TestUser user, string url)
        {
            using var client = host.Server.CreateClient();
            client.DefaultRequestHeaders.Authorization = new("Bearer", user.Token);
            var response = await client.PostAsync(url, null);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    static string Statuses(JsonElement counts) =>
        string.Join(" ", counts.EnumerateObject().Where(p => p.Value.GetInt32() != 0).OrderBy(p => p.Name).Select(p => $"{p.Name}={p.Value.GetInt32()}"));
}
