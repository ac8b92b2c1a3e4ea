using System.Net;
using System.Text.Json;
using Alba;
using Microsoft.Extensions.DependencyInjection;
using Ombaro.Api.Features.Admin;
using Ombaro.Api.Infrastructure.Auth;
using Ombaro.Tests.Support;

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
        await api.Services.GetRequiredService<UserCaches>().InvalidateAsync();
        Assert.Equal(4, (await Read(admin, url)).GetProperty("total").GetInt32());
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

    async Task<JsonElement> Read(TestUser admin, string url)
    {
        var result = await api.Host.Scenario(s => { s.Get.Url(url); s.As(admin); s.StatusCodeShouldBeOk(); });
        return await result.ReadAsJsonAsync<JsonElement>();
    }
}
