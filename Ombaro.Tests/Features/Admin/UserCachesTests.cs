namespace Ombaro.Tests.Features.Admin;

/// <summary>
/// Each write to a user is visible on the next read of every route that caches the user (<see cref="Ombaro.Api.Features.Admin.UserCaches"/>):
/// the profile, <c>/auth/me</c> and the admin user list, each read (and so cached) before the write.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class UserCachesTests(ApiFixture api)
{
    [Fact]
    public async Task a_profile_edit_shows_on_profile_me_and_the_admin_list()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var tag = "Uc" + Guid.NewGuid().ToString("N")[..8];
        var customer = await api.Host.SignInAsync(Roles.Customer, $"{tag} before");
        Assert.Equal(($"{tag} before", $"{tag} before", $"{tag} before"), await Names(customer, admin, tag));

        await api.Host.Scenario(s => { s.Put.Json(new { fullName = $"{tag} after" }).ToUrl("/api/v1/profile"); s.As(customer); s.StatusCodeShouldBeOk(); });

        Assert.Equal(($"{tag} after", $"{tag} after", $"{tag} after"), await Names(customer, admin, tag));
    }

    [Fact]
    public async Task a_role_change_by_an_admin_shows_on_the_admin_list_and_the_new_sessions_profile_and_me()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var tag = "Ur" + Guid.NewGuid().ToString("N")[..8];
        var user = await api.Host.SignInAsync(Roles.Customer, $"{tag} user");
        Assert.Equal(Roles.Customer, (await Json(user, "/api/v1/profile")).GetProperty("role").GetString());
        Assert.Equal(Roles.Customer, Single(await Json(admin, $"/api/v1/admin/users?q={tag}")).GetProperty("role").GetString());

        await api.Host.Scenario(s => { s.Patch.Json(new { role = Roles.Therapist }).ToUrl($"/api/v1/admin/users/{user.Id}"); s.As(admin); s.StatusCodeShouldBeOk(); });

        Assert.Equal(Roles.Therapist, Single(await Json(admin, $"/api/v1/admin/users?q={tag}")).GetProperty("role").GetString());
        var again = await api.Host.SignInAgainAsync(user with { Role = Roles.Therapist });
        Assert.Equal(Roles.Therapist, (await Json(again, "/api/v1/profile")).GetProperty("role").GetString());
        Assert.Equal(Roles.Therapist, (await Json(again, "/api/v1/auth/me")).GetProperty("role").GetString());
    }

    [Fact]
    public async Task a_status_change_and_a_new_user_show_on_the_cached_admin_list()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var tag = "Us" + Guid.NewGuid().ToString("N")[..8];
        var user = await api.Host.SignInAsync(Roles.Customer, $"{tag} one");
        Assert.Equal("active", Single(await Json(admin, $"/api/v1/admin/users?q={tag}")).GetProperty("status").GetString());

        await api.Host.Scenario(s => { s.Patch.Json(new { status = "suspended" }).ToUrl($"/api/v1/admin/users/{user.Id}"); s.As(admin); s.StatusCodeShouldBeOk(); });
        Assert.Equal("suspended", Single(await Json(admin, $"/api/v1/admin/users?q={tag}")).GetProperty("status").GetString());

        await api.Host.Scenario(s => { s.Post.Json(new { mobile = Users.NewMobile(), role = Roles.Employee, name = $"{tag} two" }).ToUrl("/api/v1/admin/users"); s.As(admin); s.StatusCodeShouldBe(201); });
        Assert.Equal(2, (await Json(admin, $"/api/v1/admin/users?q={tag}")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task a_territory_assignment_shows_on_the_employees_profile()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var employee = await api.Host.SignInAsync(Roles.Employee);
        Assert.False((await Json(employee, "/api/v1/profile")).TryGetProperty("territory", out _));   // none yet, and now cached

        await api.Host.Scenario(s => { s.Put.Json(new { territory = "Mysuru" }).ToUrl($"/api/v1/admin/employees/{employee.Id}/territory"); s.As(admin); s.StatusCodeShouldBeOk(); });

        Assert.Equal("Mysuru", (await Json(employee, "/api/v1/profile")).GetProperty("territory").GetString());
    }

    async Task<(string? Profile, string? Me, string? Listed)> Names(TestUser user, TestUser admin, string tag) => (
        (await Json(user, "/api/v1/profile")).GetProperty("fullName").GetString(),
        (await Json(user, "/api/v1/auth/me")).GetProperty("name").GetString(),
        Single(await Json(admin, $"/api/v1/admin/users?q={tag}")).GetProperty("name").GetString());

    static JsonElement Single(JsonElement page) => Assert.Single(page.GetProperty("items").EnumerateArray());

    async Task<JsonElement> Json(TestUser user, string url)
    {
        var result = await api.Host.Scenario(s => { s.Get.Url(url); s.As(user); s.StatusCodeShouldBeOk(); });
        return await result.ReadAsJsonAsync<JsonElement>();
    }
}
