namespace Ombaro.Tests.Features.Employee;

[Collection(ApiCollection.Name)]
public sealed class GetReportsTests(ApiFixture api)
{
    const string Url = "/api/v1/employee/reports";

    [Fact]
    public async Task each_day_equals_sql_over_the_employees_attendance_and_visits()
    {
        var city = DeskData.NewCity();
        var owner = await api.Host.UserAsync(Roles.Vendor);
        var (a, b) = (await api.Host.VendorAsync(owner, city), await api.Host.VendorAsync(owner, city));
        var employee = await api.Host.EmployeeInAsync(city);
        await using (var conn = await api.Host.Db().OpenConnectionAsync())
        {
            await conn.ExecuteAsync("""
                INSERT INTO attendance (employee_id, work_date, check_in_at, check_in_lat, check_in_lng, check_out_at, check_out_lat, check_out_lng)
                VALUES (@e, '2030-03-02', '2030-03-02 03:30Z', 12.9, 77.6, '2030-03-02 11:50Z', 12.9, 77.6),
                       (@e, '2030-03-04', '2030-03-04 04:10Z', 12.9, 77.6, '2030-03-04 13:05Z', 12.9, 77.6),
                       (@e, '2030-03-05', '2030-03-05 04:00Z', 12.9, 77.6, NULL, NULL, NULL);
                INSERT INTO vendor_visits (employee_id, vendor_id, work_date, visited_at, latitude, longitude)
                VALUES (@e, @a, '2030-03-02', '2030-03-02 05:00Z', 12.9, 77.6), (@e, @b, '2030-03-02', '2030-03-02 07:00Z', 12.9, 77.6),
                       (@e, @a, '2030-03-04', '2030-03-04 06:00Z', 12.9, 77.6), (@e, @a, '2030-03-04', '2030-03-04 09:00Z', 12.9, 77.6);
                """, new { e = employee.Id, a = a.Id, b = b.Id });
        }

        var result = await api.Host.Scenario(s => { s.Get.Url(Url + "?from=2030-03-01&to=2030-03-06"); s.As(employee); s.StatusCodeShouldBeOk(); });
        var body = await result.ReadAsJsonAsync<JsonElement>();

        await using var db = await api.Host.Db().OpenConnectionAsync();
        var expected = (await db.QueryAsync<(DateOnly Day, decimal? Hours, int Visits, int Vendors)>("""
            SELECT d::date,
                   (SELECT round((extract(epoch FROM check_out_at - check_in_at) / 3600)::numeric, 2) FROM attendance WHERE employee_id = @e AND work_date = d::date),
                   (SELECT count(*)::int FROM vendor_visits WHERE employee_id = @e AND work_date = d::date),
                   (SELECT count(DISTINCT vendor_id)::int FROM vendor_visits WHERE employee_id = @e AND work_date = d::date)
            FROM generate_series('2030-03-01'::date, '2030-03-06'::date, interval '1 day') d ORDER BY 1
            """, new { e = employee.Id })).ToList();
        var days = body.GetProperty("days").EnumerateArray().Select(d => (DateOnly.Parse(d.GetProperty("date").GetString()!),
            d.GetProperty("hours").ValueKind == JsonValueKind.Null ? (decimal?)null : d.GetProperty("hours").GetDecimal(),
            d.GetProperty("visits").GetInt32(), d.GetProperty("vendorsVisited").GetInt32())).ToList();
        Assert.Equal(expected, days);
        Assert.Equal((3, expected.Sum(d => d.Hours ?? 0), 4), (body.GetProperty("daysPresent").GetInt32(), body.GetProperty("hours").GetDecimal(), body.GetProperty("visits").GetInt32()));
    }

    [Fact]
    public async Task a_check_in_and_a_visit_show_in_the_cached_report_on_the_next_read()
    {
        var city = DeskData.NewCity();
        var vendor = await api.Host.VendorAsync(await api.Host.UserAsync(Roles.Vendor), city);
        var employee = await api.Host.EmployeeInAsync(city);
        Assert.Equal(0, (await Today(employee)).GetProperty("visits").GetInt32());

        await EmployeeDesk.CheckIn(api.Host, employee, HttpStatusCode.Created, 12.9, 77.6);
        await api.Host.Scenario(s => { s.Post.Json(new { vendorId = vendor.Id, latitude = 12.9, longitude = 77.6 }).ToUrl("/api/v1/employee/visits"); s.As(employee); s.StatusCodeShouldBe(HttpStatusCode.Created); });

        var today = await Today(employee);
        Assert.Equal(1, today.GetProperty("visits").GetInt32());
        Assert.NotEqual(JsonValueKind.Null, today.GetProperty("checkInAt").ValueKind);
    }

    [Fact]
    public Task only_employees_see_reports() => api.Host.OnlyAsync(HttpMethod.Get, Url, Roles.Employee);

    async Task<JsonElement> Today(TestUser employee)
    {
        var result = await api.Host.Scenario(s => { s.Get.Url(Url); s.As(employee); s.StatusCodeShouldBeOk(); });
        return (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("days").EnumerateArray().Last();
    }
}
