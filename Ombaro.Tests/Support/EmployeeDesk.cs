namespace Ombaro.Tests.Support;

internal static class EmployeeDesk
{
    /// <summary>An employee whose territory an admin assigned through the API.</summary>
    public static async Task<TestUser> EmployeeInAsync(this IAlbaHost host, string territory)
    {
        var admin = await host.SignInAsync(Roles.Admin);
        var employee = await host.SignInAsync(Roles.Employee);
        await host.Scenario(s =>
        {
            s.Put.Json(new { territory }).ToUrl($"/api/v1/admin/employees/{employee.Id}/territory");
            s.As(admin);
            s.StatusCodeShouldBeOk();
        });
        return employee;
    }

    /// <summary>Checks <paramref name="employee"/> in at (<paramref name="lat"/>, <paramref name="lng"/>), expecting <paramref name="expected"/>.</summary>
    public static async Task<JsonElement> CheckIn(IAlbaHost host, TestUser employee, HttpStatusCode expected, double lat, double lng)
    {
        var result = await host.Scenario(s => { s.Post.Json(new { latitude = lat, longitude = lng }).ToUrl("/api/v1/attendance/check-in"); s.As(employee); s.StatusCodeShouldBe(expected); });
        return await result.ReadAsJsonAsync<JsonElement>();
    }
}
