namespace Ombaro.Tests.Support;

/// <summary>Signing in the way a client does: request a code, read it from the capturing SMS sender, verify it.</summary>
public static class OtpLogin
{
    /// <summary>A fresh mobile that libphonenumber accepts as Indian (+91 98...), used by no other test.</summary>
    /// <summary>
    /// A mobile no other test of this run has: consecutive numbers from a random start (random draws of thousands of
    /// numbers from 10^8 collide in about one run in eight: the birthday bound), above the fixed numbers tests write
    /// by hand (+9198123456xx).
    /// </summary>
    public static string NewMobile() => "+9198" + Interlocked.Increment(ref nextMobile).ToString("D8");

    static long nextMobile = Random.Shared.NextInt64(50_000_000, 90_000_000);

    public static CapturingSmsSender Sms(this IAlbaHost host) => host.Services.GetRequiredService<CapturingSmsSender>();

    public static Task<IScenarioResult> RequestOtpAsync(this IAlbaHost host, string mobile, int status = 202) =>
        host.Scenario(s =>
        {
            s.Post.Json(new { mobile }).ToUrl("/api/v1/auth/otp/request");
            s.StatusCodeShouldBe(status);
        });

    public static Task<IScenarioResult> VerifyOtpAsync(this IAlbaHost host, string mobile, string code, int status = 200, string? userAgent = null) =>
        host.Scenario(s =>
        {
            s.Post.Json(new { mobile, code }).ToUrl("/api/v1/auth/otp/verify");
            if (userAgent is not null) s.WithRequestHeader("User-Agent", userAgent);
            s.StatusCodeShouldBe(status);
        });

    /// <summary>Request, read the SMS, verify: the verify answer (token, expiresAt, user).</summary>
    public static async Task<JsonElement> LoginAsync(this IAlbaHost host, string mobile, string? userAgent = null)
    {
        await host.RequestOtpAsync(mobile);
        var result = await host.VerifyOtpAsync(mobile, host.Sms().LastCodeFor(mobile), userAgent: userAgent);
        return await result.ReadAsJsonAsync<JsonElement>();
    }
}
