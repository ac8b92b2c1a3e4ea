namespace Ombaro.Tests.Features.Attendance;

[Collection(ApiCollection.Name)]
public sealed class GetTodayTests(ApiFixture api)
{
    const string Url = "/api/v1/attendance/today";

    [Fact]
    public async Task before_checking_in_the_day_is_not_checked_in()
    {
        var employee = await api.Host.SignInAsync(Roles.Employee);
        var body = await Today(employee);
        Assert.Equal("not_checked_in", body.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("record").ValueKind);
    }

    [Fact]
    public async Task when_the_redis_state_is_gone_the_day_comes_from_postgres_and_is_put_back()
    {
        var employee = await api.Host.SignInAsync(Roles.Employee);
        var record = await EmployeeDesk.CheckIn(api.Host, employee, HttpStatusCode.Created, 12.9, 77.6);
        var key = RedisKeys.Attendance(employee.Id, DateOnly.Parse(record.GetProperty("workDate").GetString()!));
        await api.Redis.KeyDeleteAsync(key);

        var body = await Today(employee);

        Assert.Equal(("checked_in", record.GetProperty("id").GetGuid()), (body.GetProperty("status").GetString(), body.GetProperty("record").GetProperty("id").GetGuid()));
        Assert.True(await api.Redis.KeyExistsAsync(key));
        Assert.NotNull(await api.Redis.KeyTimeToLiveAsync(key));
    }

    [Fact]
    public Task only_employees_see_their_day() => api.Host.OnlyAsync(HttpMethod.Get, Url, Roles.Employee);

    async Task<JsonElement> Today(TestUser employee)
    {
        var result = await api.Host.Scenario(s => { s.Get.Url(Url); s.As(employee); s.StatusCodeShouldBeOk(); });
        return await result.ReadAsJsonAsync<JsonElement>();
    }
}
