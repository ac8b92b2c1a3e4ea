namespace Ombaro.Api.Infrastructure.Otp;

/// <summary>Development: writes <c>OTP for {mobile}: {code}</c> to the log instead of sending anything.</summary>
public sealed partial class LogSmsSender(ILogger<LogSmsSender> logger) : ISmsSender
{
    public Task SendOtpAsync(string mobile, string code, TimeSpan validFor, CancellationToken ct)
    {
        LogCode(mobile, code);
        return Task.CompletedTask;
    }

    [LoggerMessage(LogLevel.Warning, "OTP for {Mobile}: {Code}")]
    partial void LogCode(string mobile, string code);
}
