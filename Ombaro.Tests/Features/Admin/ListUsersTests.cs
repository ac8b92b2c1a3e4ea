using Ombaro.Api.Features.Admin;

namespace Ombaro.Tests.Features.Admin;

[Collection(ApiCollection.Name)]
public sealed class ListUsersTests(ApiFixture api)
{
    [Fact]
    public async Task filters_and_pages_equal_sql_and_a_user_change_shows_after_user_caches_invalidate()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var tag = "Zed" + Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < 3; i++) await api.Host.UserAsync(Roles.Therapist, $"{tag} therapist {i}");
        await api.Host.UserAsync(Roles.Customer, $"{tag} customer");
        var url = $"/api/v1/admin/users?role=therapist&status=active&q={tag.ToLowerInvariant()}&page=1&pageSize=2";

        var page1 = await Read(admin, url);
        var page2 = await Read(admin, url.Replace("page=1", "page=2"));

        var sql = await api.Host.ScalarAsync<int>("SELECT count(*)::int FROM users WHERE role = 'therapist' AND status = 'active' AND name ILIKE @like", new { like = $"%{tag}%" });
        Assert.Equal(sql, page1.GetProperty("total").GetInt32());
        Assert.Equal(3, sql);
        Assert.Equal(2, page1.GetProperty("items").GetArrayLength());
        Assert.Equal(1, page2.GetProperty("items").GetArrayLength());
        Assert.All(page1.GetProperty("items").EnumerateArray(), u => Assert.Equal("therapist", u.GetProperty("role").GetString()));

        await api.Host.UserAsync(Roles.Therapist, $"{tag} therapist late");
        Assert.Equal(3, (await Read(admin, url)).GetProperty("total").GetInt32());   // a cached page
        await api.Services.GetRequiredService<UserCaches>().ListsChangedAsync();
        Assert.Equal(4, (await Read(admin, url)).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task a_patched_status_shows_on_the_next_read_of_the_cached_list()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var tag = "Yew" + Guid.NewGuid().ToString("N")[..8];
        var vendor = await api.Host.SignInAsync(Roles.Vendor, $"{tag} vendor");
        var url = $"/api/v1/admin/users?q={tag}";
        Assert.Equal("active", Single(await Read(admin, url)).GetProperty("status").GetString());   // now cached

        await api.Host.Scenario(s => { s.Patch.Json(new { status = "suspended" }).ToUrl($"/api/v1/admin/users/{vendor.Id}"); s.As(admin); s.StatusCodeShouldBeOk(); });

        Assert.Equal("suspended", Single(await Read(admin, url)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task a_provisioned_user_shows_on_the_next_read_of_the_cached_list()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var tag = "Yew" + Guid.NewGuid().ToString("N")[..8];
        var url = $"/api/v1/admin/users?q={tag}";
        Assert.Equal(0, (await Read(admin, url)).GetProperty("total").GetInt32());   // an empty page, cached

        await api.Host.Scenario(s => { s.Post.Json(new { mobile = OtpLogin.NewMobile(), role = "employee", name = $"{tag} employee" }).ToUrl("/api/v1/admin/users"); s.As(admin); s.StatusCodeShouldBe(201); });

        Assert.Equal("employee", Single(await Read(admin, url)).GetProperty("role").GetString());
    }

    [Fact]
    public async Task a_customer_signing_up_by_otp_shows_on_the_next_read_of_the_cached_list()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var mobile = OtpLogin.NewMobile();
        var url = $"/api/v1/admin/users?q={mobile[1..]}";   // the digits: a '+' in a query string is a space
        Assert.Equal(0, (await Read(admin, url)).GetProperty("total").GetInt32());

        var login = await api.Host.LoginAsync(mobile);

        Assert.True(login.GetProperty("user").GetProperty("isNew").GetBoolean());
        Assert.Equal((mobile, "customer"), (Single(await Read(admin, url)).GetProperty("mobile").GetString(), Single(await Read(admin, url)).GetProperty("role").GetString()));
    }

    [Fact]
    public async Task a_renamed_profile_shows_on_the_next_read_of_the_cached_list()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var employee = await api.Host.SignInAsync(Roles.Employee);
        var tag = "Yew" + Guid.NewGuid().ToString("N")[..8];
        var url = $"/api/v1/admin/users?q={tag}";
        Assert.Equal(0, (await Read(admin, url)).GetProperty("total").GetInt32());

        await api.Host.Scenario(s => { s.Put.Json(new { fullName = $"{tag} renamed" }).ToUrl("/api/v1/profile"); s.As(employee); s.StatusCodeShouldBeOk(); });

        Assert.Equal(employee.Id, Single(await Read(admin, url)).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task like_wildcards_in_the_search_match_literally()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var body = await Read(admin, "/api/v1/admin/users?q=%25%25_no_such_name_" + Guid.NewGuid().ToString("N")[..6]);
        Assert.Equal(0, body.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task an_unknown_role_or_page_size_is_a_validation_problem()
    {
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var result = await api.Host.Scenario(s => { s.Get.Url("/api/v1/admin/users?role=superuser&pageSize=1000"); s.As(admin); s.StatusCodeShouldBe(HttpStatusCode.BadRequest); });
        var errors = (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("role", out _) && errors.TryGetProperty("pageSize", out _));
    }

    [Fact]
    public Task only_admins_list_users() => api.Host.OnlyAsync(HttpMethod.Get, "/api/v1/admin/users", Roles.Admin);

    static JsonElement Single(JsonElement page) => Assert.Single(page.GetProperty("items").EnumerateArray());

    async Task<JsonElement> Read(TestUser admin, string url)
    {
        var result = await api.Host.Scenario(s => { s.Get.Url(url); s.As(admin); s.StatusCodeShouldBeOk(); });
        return await result.ReadAsJsonAsync<JsonElement>();
    }
}
