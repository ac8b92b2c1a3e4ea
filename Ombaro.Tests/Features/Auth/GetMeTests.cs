namespace Ombaro.Tests.Features.Auth;

[Collection(ApiCollection.Name)]
public sealed class GetMeTests(ApiFixture api)
{
    [Theory]
    [InlineData(Roles.Customer)]
    [InlineData(Roles.Therapist)]
    [InlineData(Roles.Vendor)]
    [InlineData(Roles.Employee)]
    [InlineData(Roles.Admin)]
    public async Task a_signed_in_user_sees_themselves(string role)
    {
        var user = await api.Host.SignInAsync(role);
        var result = await api.Host.Scenario(s => { s.Get.Url("/api/v1/auth/me"); s.As(user); s.StatusCodeShouldBeOk(); });
        var me = await result.ReadAsJsonAsync<JsonElement>();
        Assert.Equal((user.Id.ToString(), user.Mobile, role), (me.GetProperty("id").GetString(), me.GetProperty("mobile").GetString(), me.GetProperty("role").GetString()));
        Assert.Equal(SessionStore.Digest(user.Token), me.GetProperty("sessionId").GetString());
    }

    [Theory]
    [InlineData(null, "Bearer")]
    [InlineData("Basic dXNlcjpwYXNz", "Bearer")]   // another scheme: no bearer token was presented (RFC 6750 3.1)
    [InlineData("Bearer not-a-real-token-not-a-real-token-not-a-real", "Bearer error=\"invalid_token\"")]
    public async Task without_a_live_token_it_is_401_with_www_authenticate(string? authorization, string challenge)
    {
        var result = await api.Host.Scenario(s =>
        {
            s.Get.Url("/api/v1/auth/me");
            if (authorization is not null) s.WithRequestHeader("Authorization", authorization);
            s.StatusCodeShouldBe(HttpStatusCode.Unauthorized);
            s.ContentTypeShouldBe("application/problem+json");
        });
        Assert.Equal(challenge, result.Context.Response.Headers.WWWAuthenticate.ToString());
    }

    [Fact]
    public async Task a_revoked_token_is_an_invalid_token()
    {
        var user = await api.Host.SignInAsync(Roles.Customer);
        await api.Host.Scenario(s => { s.Post.Url("/api/v1/auth/logout"); s.As(user); s.StatusCodeShouldBe(HttpStatusCode.NoContent); });

        var result = await api.Host.Scenario(s => { s.Get.Url("/api/v1/auth/me"); s.As(user); s.StatusCodeShouldBe(HttpStatusCode.Unauthorized); });

        Assert.Equal("Bearer error=\"invalid_token\"", result.Context.Response.Headers.WWWAuthenticate.ToString());
    }
}
