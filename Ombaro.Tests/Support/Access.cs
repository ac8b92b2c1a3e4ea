namespace Ombaro.Tests.Support;

public static class Access
{
    /// <summary>Every role outside <paramref name="allowed"/> gets 403 and anonymous callers 401, as problem documents.</summary>
    public static async Task OnlyAsync(this IAlbaHost host, HttpMethod method, string url, params string[] allowed)
    {
        foreach (var role in Roles.All.Except(allowed))
        {
            var user = await host.SignInAsync(role);
            await host.Scenario(s =>
            {
                Send(s, method, url);
                s.As(user);
                s.StatusCodeShouldBe(HttpStatusCode.Forbidden);
                s.ContentTypeShouldBe("application/problem+json");
            });
        }
        await host.Scenario(s =>
        {
            Send(s, method, url);
            s.StatusCodeShouldBe(HttpStatusCode.Unauthorized);
            s.ContentTypeShouldBe("application/problem+json");
        });
    }

    static void Send(Scenario s, HttpMethod method, string url)
    {
        if (method == HttpMethod.Get) s.Get.Url(url);
        else if (method == HttpMethod.Post) s.Post.Json(new { }).ToUrl(url);
        else if (method == HttpMethod.Put) s.Put.Json(new { }).ToUrl(url);
        else throw new ArgumentOutOfRangeException(nameof(method));
    }
}
