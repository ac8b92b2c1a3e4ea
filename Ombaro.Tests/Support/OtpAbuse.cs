namespace Ombaro.Tests.Support;

static class OtpAbuse
{
    public static Task<IScenarioResult> Request(IAlbaHost host, string mobile, string ip, int status) => host.Scenario(s =>
    {
        s.Post.Json(new { mobile }).ToUrl("/api/v1/auth/otp/request");
        s.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = IPAddress.Parse(ip));
        s.StatusCodeShouldBe(status);
    });

    /// <summary>A verify from <paramref name="ip"/>; <paramref name="status"/> null: any status.</summary>
    public static Task<IScenarioResult> Verify(IAlbaHost host, string mobile, string code, string ip, int? status) => host.Scenario(s =>
    {
        s.Post.Json(new { mobile, code }).ToUrl("/api/v1/auth/otp/verify");
        s.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = IPAddress.Parse(ip));
        if (status is { } expected) s.StatusCodeShouldBe(expected);
        else s.IgnoreStatusCode();
    });
}
