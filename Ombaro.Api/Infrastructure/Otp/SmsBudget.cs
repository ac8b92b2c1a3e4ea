namespace Ombaro.Api.Infrastructure.Otp;

/// <summary>
/// The platform-wide SMS budget (<see cref="SmsOptions.BudgetPerMinute"/>), a sliding window shared by every
/// instance at <c>ombaro:sms:budget</c>: the last line against SMS pumping through many mobiles and addresses.
/// Meter <c>Ombaro.Sms</c>: <c>ombaro.sms.sent</c> and <c>ombaro.sms.budget_exhausted</c>; an exhausted budget is
/// logged as an error and shows as a critical alert on the ops endpoint.
/// </summary>
public sealed partial class SmsBudget(RedisConnections redis, IOptions<SmsOptions> options, IMeterFactory meters, ILogger<SmsBudget> logger)
{
    public const string MeterName = "Ombaro.Sms";
    static readonly RedisScript Script = RedisScript.Named("sms_budget");
    static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    readonly Counter<long> sent = meters.Create(MeterName).CreateCounter<long>("ombaro.sms.sent", description: "SMS handed to the sender");
    readonly Counter<long> exhausted = meters.Create(MeterName).CreateCounter<long>("ombaro.sms.budget_exhausted", description: "SMS refused because the per-minute budget was used up");

    public int Limit => options.Value.BudgetPerMinute;

    /// <summary>Takes one SMS from the budget; null when admitted, else how long until one is free again.</summary>
    public async Task<TimeSpan?> TryTakeAsync()
    {
        var result = (RedisResult[])(await Script.EvaluateAsync(redis.StateDb, [RedisKeys.SmsBudget],
            [Limit, (long)Window.TotalMilliseconds, Guid.NewGuid().ToString("N")]))!;
        if ((long)result[0] == 1)
        {
            sent.Add(1);
            return null;
        }
        exhausted.Add(1);
        LogExhausted(Limit);
        return TimeSpan.FromMilliseconds((long)result[2]);
    }

    /// <summary>SMS sent in the last minute, all instances together.</summary>
    public async Task<long> UsedAsync()
    {
        var db = redis.StateDb;
        var time = (RedisResult[])(await db.ExecuteAsync("TIME"))!;   // the log is scored in the server's ms
        var now = (long)time[0] * 1000 + (long)time[1] / 1000;
        return await db.SortedSetLengthAsync(RedisKeys.SmsBudget, now - (long)Window.TotalMilliseconds, double.PositiveInfinity, Exclude.Start);
    }

    [LoggerMessage(LogLevel.Error, "SMS budget of {Limit} per minute is used up: OTP requests are refused (SMS pumping?)")]
    partial void LogExhausted(int limit);
}
