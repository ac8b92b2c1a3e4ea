namespace Ombaro.Tests.Features.Employee;

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
}
