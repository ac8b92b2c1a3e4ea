namespace Ombaro.Tests.Features.Admin;

[Collection(ApiCollection.Name)]
public sealed class AssignTerritoryTests(ApiFixture api)
{
    static string Url(Guid id) => $"/api/v1/admin/employees/{id}/territory";

    [Fact]
    public async Task reassigning_a_territory_is_stored_and_audited_with_before_and_after()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var employee = await api.Host.SignInAsync(Roles.Employee);
        await Assign(admin, employee.Id, "Mysuru", HttpStatusCode.OK);
        await Assign(admin, employee.Id, "Hubballi", HttpStatusCode.OK);

        Assert.Equal("Hubballi", await api.Host.ScalarAsync<string>("SELECT territory FROM employee_profiles WHERE user_id = @Id", employee));
        var audit = await api.Host.ScalarAsync<string>("""
            SELECT concat_ws('|', actor_role, before->>'territory', after->>'territory', ip_address) FROM audit_log
            WHERE actor_id = @admin AND action = 'employee.territory.assign' AND entity_id = @employee ORDER BY id DESC LIMIT 1
            """, new { admin = admin.Id, employee = employee.Id.ToString() });
        Assert.Equal("admin|Mysuru|Hubballi|203.0.113.9", audit);
    }

    [Fact]
    public async Task the_employees_cached_profile_shows_the_new_territory_at_once()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var employee = await api.Host.SignInAsync(Roles.Employee);
        await Assign(admin, employee.Id, "Mysuru", HttpStatusCode.OK);
        Assert.Equal("Mysuru", await Territory(employee));   // now cached

        await Assign(admin, employee.Id, "Hubballi", HttpStatusCode.OK);
        Assert.Equal("Hubballi", await Territory(employee));
    }

    async Task<string?> Territory(TestUser employee)
    {
        var result = await api.Host.Scenario(s => { s.Get.Url("/api/v1/profile"); s.As(employee); });
        return (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("territory").GetString();
    }

    [Fact]
    public async Task a_user_who_is_not_an_employee_is_not_found()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var customer = await api.Host.SignInAsync(Roles.Customer);
        var result = await Assign(admin, customer.Id, "Mysuru", HttpStatusCode.NotFound);
        Assert.Equal("Employee not found", (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }

    [Fact]
    public async Task a_blank_territory_is_a_validation_problem()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var result = await Assign(admin, Guid.NewGuid(), "", HttpStatusCode.BadRequest);
        Assert.True((await result.ReadAsJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("territory", out _));
    }

    [Fact]
    public Task only_admins_assign_territories() => api.Host.OnlyAsync(HttpMethod.Put, Url(Guid.NewGuid()), Roles.Admin);

    Task<IScenarioResult> Assign(TestUser admin, Guid employee, string territory, HttpStatusCode expected) =>
        api.Host.Scenario(s =>
        {
            s.Put.Json(new { territory }).ToUrl(Url(employee));
            s.As(admin);
            s.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.9"));
            s.StatusCodeShouldBe(expected);
        });
}
