namespace Ombaro.Tests.Features.Attendance;

[Collection(ApiCollection.Name)]
public sealed class ListAttendanceTests(ApiFixture api)
{
    [Fact]
    public async Task an_employee_lists_their_own_records_in_the_range()
    {
        var employee = await api.Host.SignInAsync(Roles.Employee);
        var other = await api.Host.SignInAsync(Roles.Employee);
        await Generate(employee.Id, "2030-01-01", "2030-01-02", "2030-01-05");
        await Generate(other.Id, "2030-01-02");

        var result = await api.Host.Scenario(s => { s.Get.Url("/api/v1/attendance?from=2030-01-02&to=2030-01-31"); s.As(employee); s.StatusCodeShouldBeOk(); });

        var dates = (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("records").EnumerateArray().Select(r => r.GetProperty("workDate").GetString());
        Assert.Equal(["2030-01-05", "2030-01-02"], dates);
    }

    [Fact]
    public async Task an_admin_lists_any_employee_and_an_employee_may_not()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var employee = await api.Host.SignInAsync(Roles.Employee);
        var other = await api.Host.SignInAsync(Roles.Employee);
        await Generate(other.Id, "2030-02-03");

        var result = await api.Host.Scenario(s => { s.Get.Url($"/api/v1/attendance?from=2030-02-01&to=2030-02-28&employeeId={other.Id}"); s.As(admin); s.StatusCodeShouldBeOk(); });
        var denied = await api.Host.Scenario(s => { s.Get.Url($"/api/v1/attendance?employeeId={other.Id}"); s.As(employee); s.StatusCodeShouldBe(HttpStatusCode.Forbidden); });

        var records = (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(other.Id, Assert.Single(records).GetProperty("employeeId").GetGuid());
        Assert.Contains("own", (await denied.ReadAsJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task a_reversed_or_too_long_range_is_a_validation_problem()
    {
        var employee = await api.Host.SignInAsync(Roles.Employee);
        foreach (var query in new[] { "from=2030-02-01&to=2030-01-01", "from=2028-01-01&to=2030-01-01" })
        {
            var result = await api.Host.Scenario(s => { s.Get.Url("/api/v1/attendance?" + query); s.As(employee); s.StatusCodeShouldBe(HttpStatusCode.BadRequest); });
            Assert.True((await result.ReadAsJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("to", out _));
        }
    }

    [Fact]
    public Task only_employees_and_admins_list_attendance() => api.Host.OnlyAsync(HttpMethod.Get, "/api/v1/attendance", Roles.Employee, Roles.Admin);

    async Task Generate(Guid employee, params string[] days)
    {
        foreach (var day in days)
            await api.Host.ScalarAsync<int>("""
                INSERT INTO attendance (employee_id, work_date, check_in_at, check_in_lat, check_in_lng, check_out_at, check_out_lat, check_out_lng)
                VALUES (@employee, @d, @d::date + time '04:00', 12.9, 77.6, @d::date + time '12:30', 12.9, 77.6)
                RETURNING 1
                """, new { employee, d = DateOnly.Parse(day) });
    }
}
