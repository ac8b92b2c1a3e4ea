namespace Ombaro.Tests.Features.Attendance;

[Collection(ApiCollection.Name)]
public sealed class CheckInTests(ApiFixture api)
{
    const string Url = "/api/v1/attendance/check-in";

    [Fact]
    public async Task checking_in_twice_answers_the_same_record_and_keeps_one_row()
    {
        var employee = await api.Host.SignInAsync(Roles.Employee);

        var first = await EmployeeDesk.CheckIn(api.Host, employee, HttpStatusCode.Created, 12.97, 77.59);
        var second = await EmployeeDesk.CheckIn(api.Host, employee, HttpStatusCode.OK, 13.5, 78.0);

        Assert.Equal(first.GetProperty("id").GetGuid(), second.GetProperty("id").GetGuid());
        Assert.Equal(12.97, second.GetProperty("checkIn").GetProperty("latitude").GetDouble());   // the first position stays
        Assert.Equal(1, await api.Host.ScalarAsync<int>("SELECT count(*)::int FROM attendance WHERE employee_id = @Id", employee));
    }

    [Fact]
    public async Task concurrent_check_ins_create_one_record()
    {
        var employee = await api.Host.SignInAsync(Roles.Employee);
        var client = api.Host.Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", employee.Token);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            client.PostAsync(Url, JsonContent(new { latitude = 12.9, longitude = 77.6 }))));
        var ids = await Task.WhenAll(responses.Select(async r => JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid()));

        Assert.Single(ids.Distinct());
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(1, await api.Host.ScalarAsync<int>("SELECT count(*)::int FROM attendance WHERE employee_id = @Id", employee));
    }

    [Fact]
    public async Task the_day_state_is_a_redis_hash_with_a_24_hour_ttl_and_the_position_is_stored()
    {
        var employee = await api.Host.SignInAsync(Roles.Employee);
        var record = await EmployeeDesk.CheckIn(api.Host, employee, HttpStatusCode.Created, 12.5, 77.25);
        var day = DateOnly.Parse(record.GetProperty("workDate").GetString()!);

        var key = RedisKeys.Attendance(employee.Id, day);
        var ttl = await api.Redis.KeyTimeToLiveAsync(key);
        Assert.InRange(ttl!.Value, TimeSpan.FromHours(23.9), TimeSpan.FromHours(24));
        Assert.Equal(record.GetProperty("id").GetString(), (string?)await api.Redis.HashGetAsync(key, "id"));
        Assert.Equal("checked_in", (string?)await api.Redis.HashGetAsync(key, "status"));
        var stored = await api.Host.ScalarAsync<string>("SELECT check_in_lat || ',' || check_in_lng FROM attendance WHERE employee_id = @Id", employee);
        Assert.Equal("12.5,77.25", stored);
    }

    [Fact]
    public async Task a_check_in_just_before_and_just_after_local_midnight_lands_on_the_right_dates()
    {
        // 23:59:30 in Asia/Kolkata (UTC+05:30) on 15 March 2031.
        var clock = new FakeTimeProvider(new DateTimeOffset(2031, 3, 15, 18, 29, 30, TimeSpan.Zero));
        // Its own host: a fake clock just before local midnight.
        await using var host = await ApiFixture.StartHostAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        var nightOwl = await api.Host.SignInAsync(Roles.Employee);
        var nightShift = await api.Host.SignInAsync(Roles.Employee);

        var before = await EmployeeDesk.CheckIn(host, nightOwl, HttpStatusCode.Created, 12.9, 77.6);
        await EmployeeDesk.CheckIn(host, nightShift, HttpStatusCode.Created, 12.9, 77.6);
        clock.Advance(TimeSpan.FromMinutes(1));   // 00:00:30 on 16 March
        var after = await EmployeeDesk.CheckIn(host, nightOwl, HttpStatusCode.Created, 12.9, 77.6);
        var checkOut = await host.Scenario(s => { s.Post.Json(new { latitude = 12.9, longitude = 77.6 }).ToUrl("/api/v1/attendance/check-out"); s.As(nightShift); s.StatusCodeShouldBeOk(); });

        Assert.Equal("2031-03-15", before.GetProperty("workDate").GetString());
        Assert.Equal("2031-03-16", after.GetProperty("workDate").GetString());
        Assert.NotEqual(before.GetProperty("id").GetGuid(), after.GetProperty("id").GetGuid());
        Assert.Equal("2031-03-15", (await checkOut.ReadAsJsonAsync<JsonElement>()).GetProperty("workDate").GetString());   // the shift closes where it began
        var today = await host.Scenario(s => { s.Get.Url("/api/v1/attendance/today"); s.As(nightOwl); s.StatusCodeShouldBeOk(); });
        Assert.Equal(("2031-03-16", "checked_in"), ((await today.ReadAsJsonAsync<JsonElement>()).GetProperty("date").GetString(),
            (await today.ReadAsJsonAsync<JsonElement>()).GetProperty("status").GetString()));
    }

    [Fact]
    public async Task a_check_in_without_a_position_is_a_validation_problem()
    {
        var employee = await api.Host.SignInAsync(Roles.Employee);
        var result = await api.Host.Scenario(s => { s.Post.Json(new { latitude = 95.0 }).ToUrl(Url); s.As(employee); s.StatusCodeShouldBe(HttpStatusCode.BadRequest); });
        var errors = (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("latitude", out _) && errors.TryGetProperty("longitude", out _));
    }

    [Fact]
    public Task only_employees_check_in() => api.Host.OnlyAsync(HttpMethod.Post, Url, Roles.Employee);

    static StringContent JsonContent(object body) => new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
}
