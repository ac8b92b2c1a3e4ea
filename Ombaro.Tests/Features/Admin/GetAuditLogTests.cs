namespace Ombaro.Tests.Features.Admin;

[Collection(ApiCollection.Name)]
public sealed class GetAuditLogTests(ApiFixture api)
{
    [Fact]
    public async Task entries_filter_by_actor_and_entity_and_a_new_entry_shows_on_the_next_read()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var employee = await api.Host.SignInAsync(Roles.Employee);
        await Assign(admin, employee.Id, "Mysuru");
        var url = $"/api/v1/admin/audit-log?actor={admin.Id}&entity=user";

        var first = await Read(admin, url);
        await Assign(admin, employee.Id, "Mangaluru");
        var second = await Read(admin, url);

        Assert.Equal(1, first.GetProperty("total").GetInt32());
        Assert.Equal(2, second.GetProperty("total").GetInt32());
        var latest = second.GetProperty("items")[0];
        Assert.Equal((admin.Id, "admin", "employee.territory.assign", employee.Id.ToString()),
            (latest.GetProperty("actorId").GetGuid(), latest.GetProperty("actorRole").GetString(), latest.GetProperty("action").GetString(), latest.GetProperty("entityId").GetString()));
        Assert.Equal(("Mysuru", "Mangaluru"), (latest.GetProperty("before").GetProperty("territory").GetString(), latest.GetProperty("after").GetProperty("territory").GetString()));
        Assert.Equal(0, (await Read(admin, $"/api/v1/admin/audit-log?actor={admin.Id}&entity=vendor")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task a_page_size_over_100_is_a_validation_problem()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var result = await api.Host.Scenario(s => { s.Get.Url("/api/v1/admin/audit-log?pageSize=500"); s.As(admin); s.StatusCodeShouldBe(HttpStatusCode.BadRequest); });
        Assert.True((await result.ReadAsJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("pageSize", out _));
    }

    [Fact]
    public Task only_admins_read_the_audit_log() => api.Host.OnlyAsync(HttpMethod.Get, "/api/v1/admin/audit-log", Roles.Admin);

    Task Assign(TestUser admin, Guid employee, string territory) =>
        api.Host.Scenario(s => { s.Put.Json(new { territory }).ToUrl($"/api/v1/admin/employees/{employee}/territory"); s.As(admin); s.StatusCodeShouldBeOk(); });

    async Task<JsonElement> Read(TestUser admin, string url)
    {
        var result = await api.Host.Scenario(s => { s.Get.Url(url); s.As(admin); s.StatusCodeShouldBeOk(); });
        return await result.ReadAsJsonAsync<JsonElement>();
    }
}
