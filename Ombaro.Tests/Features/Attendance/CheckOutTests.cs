namespace Ombaro.Tests.Features.Attendance;

[Collection(ApiCollection.Name)]
public sealed class CheckOutTests(ApiFixture api)
{
    const string Url = "/api/v1/attendance/check-out";

    [Fact]
    public async Task checking_out_without_checking_in_is_409()
    {
        var employee = await api.Host.SignInAsync(Roles.Employee);
        var result = await api.Host.Scenario(s =>
        {
            s.Post.Json(new { latitude = 12.9, longitude = 77.6 }).ToUrl(Url);
            s.As(employee);
            s.StatusCodeShouldBe(HttpStatusCode.Conflict);
            s.ContentTypeShouldBe("application/problem+json");
        });
        Assert.Equal("Not checked in", (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }

    [Fact]
    public async Task checking_out_closes_the_record_in_postgres_and_redis_and_a_second_check_out_is_409()
    {
        var employee = await api.Host.SignInAsync(Roles.Employee);
        var checkedIn = await EmployeeDesk.CheckIn(api.Host, employee, HttpStatusCode.Created, 12.9, 77.6);

        var result = await api.Host.Scenario(s => { s.Post.Json(new { latitude = 13.1, longitude = 77.7 }).ToUrl(Url); s.As(employee); s.StatusCodeShouldBeOk(); });
        var again = await api.Host.Scenario(s => { s.Post.Json(new { latitude = 13.1, longitude = 77.7 }).ToUrl(Url); s.As(employee); s.StatusCodeShouldBe(HttpStatusCode.Conflict); });

        var body = await result.ReadAsJsonAsync<JsonElement>();
        Assert.Equal(("checked_out", checkedIn.GetProperty("id").GetGuid()), (body.GetProperty("status").GetString(), body.GetProperty("id").GetGuid()));
        Assert.Equal("13.1,77.7", await api.Host.ScalarAsync<string>("SELECT check_out_lat || ',' || check_out_lng FROM attendance WHERE employee_id = @Id", employee));
        var key = RedisKeys.Attendance(employee.Id, DateOnly.Parse(body.GetProperty("workDate").GetString()!));
        Assert.Equal("checked_out", (string?)await api.Redis.HashGetAsync(key, "status"));
        Assert.Equal("Already checked out", (await again.ReadAsJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }

    [Fact]
    public Task only_employees_check_out() => api.Host.OnlyAsync(HttpMethod.Post, Url, Roles.Employee);
}
