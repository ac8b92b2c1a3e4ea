namespace Ombaro.Api.Infrastructure.Otp;

/// <summary>Delivers one-time codes. Implementations must never log the code (the development sender excepted).</summary>
public interface ISmsSender
{
    Task SendOtpAsync(string mobile, string code, TimeSpan validFor, CancellationToken ct);
}

/// <summary>The gateway did not take the message; the caller may retry later.</summary>
public sealed class SmsDeliveryException(string message, Exception? inner = null) : Exception(message, inner);
