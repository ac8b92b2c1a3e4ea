namespace Ombaro.Api.Infrastructure.Otp;

/// <summary>
/// One-time codes in Redis (<c>ombaro:otp:{mobile}</c>), each decision one Lua script. Redis holds an
/// HMAC-SHA256 of mobile and code keyed by <see cref="OtpOptions.Secret"/>, never the code. Wrong codes
/// are counted per mobile and client (<see cref="RedisKeys.OtpFailures"/>), so strangers cannot lock the owner out.
/// </summary>
public sealed class OtpStore(RedisConnections redis, IOptions<OtpOptions> options)
{
    static readonly RedisScript RequestScript = RedisScript.Named("otp_request");
    static readonly RedisScript VerifyScript = RedisScript.Named("otp_verify");
    static readonly TimeSpan HourlyWindow = TimeSpan.FromHours(1);
    OtpOptions Options => options.Value;

    public abstract record IssueResult;
    public sealed record Issued(string Code, TimeSpan ValidFor, TimeSpan ResendAfter, bool IsTestMobile) : IssueResult;
    /// <summary>Refused: <c>cooldown</c> (resend too soon) or <c>hourly</c> (too many codes this hour).</summary>
    public sealed record Refused(string Reason, TimeSpan RetryAfter) : IssueResult;

    public enum Verdict { Verified, Unknown, Wrong, Locked, Throttled }
    public sealed record VerifyResult(Verdict Verdict, int AttemptsLeft = 0, TimeSpan RetryAfter = default);

    /// <summary>
    /// A fresh code for the mobile (the fixed test code for a Development test mobile), replacing any earlier one;
    /// a new code always differs from the one it replaces.
    /// </summary>
    public async Task<IssueResult> IssueAsync(string mobile)
    {
        var isTest = Options.TestMobiles.Contains(mobile);
        while (true)
        {
            var code = isTest ? Options.TestCode! : RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6");
            var result = (RedisResult[])(await RequestScript.EvaluateAsync(redis.StateDb,
                [RedisKeys.Otp(mobile), RedisKeys.OtpCooldown(mobile), RedisKeys.OtpHourly(mobile)],
                [Digest(mobile, code), Ms(Options.CodeLifetime), Ms(Options.Cooldown), Options.MaxCodesPerHour, Ms(HourlyWindow),
                    Guid.NewGuid().ToString("N"), isTest ? 1 : 0]))!;
            switch ((string)result[0]!)
            {
                case "same": continue;   // one draw in a million: draw again
                case "ok": return new Issued(code, Options.CodeLifetime, Options.Cooldown, isTest);
                default: return new Refused((string)result[0]!, TimeSpan.FromMilliseconds((long)result[1]));
            }
        }
    }

    /// <summary>Checks a code submitted by <paramref name="client"/> (the rate-limit subject of its address).</summary>
    public async Task<VerifyResult> VerifyAsync(string mobile, string code, string client)
    {
        var o = Options;
        var result = (RedisResult[])(await VerifyScript.EvaluateAsync(redis.StateDb, [RedisKeys.Otp(mobile), RedisKeys.OtpFailures(mobile, client)],
            [Digest(mobile, code), o.MaxAttempts, client, o.MaxFailuresPerClient, Ms(o.FailureWindow), Ms(o.FailureDelay), Ms(o.MaxFailureDelay),
                Guid.NewGuid().ToString("N")]))!;
        return (string)result[0]! switch
        {
            "ok" => new VerifyResult(Verdict.Verified),
            "wrong" => new VerifyResult(Verdict.Wrong, (int)result[1]),
            "locked" => new VerifyResult(Verdict.Locked),
            "throttled" => new VerifyResult(Verdict.Throttled, RetryAfter: TimeSpan.FromMilliseconds((long)result[1])),
            _ => new VerifyResult(Verdict.Unknown),
        };
    }

    string Digest(string mobile, string code) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Options.Secret!), Encoding.UTF8.GetBytes(mobile + ":" + code)));

    static long Ms(TimeSpan t) => (long)t.TotalMilliseconds;
}
