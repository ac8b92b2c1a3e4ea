using System.Net.Http.Json;

namespace Ombaro.Api.Infrastructure.Otp;

/// <summary>Delivers one-time codes. Implementations must never log the code (the development sender excepted).</summary>
public interface ISmsSender
{
    Task SendOtpAsync(string mobile, string code, TimeSpan validFor, CancellationToken ct);
}

/// <summary>The gateway did not take the message; the caller may retry later.</summary>
public sealed class SmsDeliveryException(string message, Exception? inner = null) : Exception(message, inner);

public sealed class SmsOptions
{
    public const string Section = "Sms";
    public const string LogSender = "log";
    public const string HttpSender = "http";

    /// <summary><c>log</c> (Development: the code goes to the log) or <c>http</c> (a gateway, see <see cref="HttpGateway"/>).</summary>
    public string? Sender { get; set; }
    /// <summary>SMS the whole platform may send per minute (all instances); beyond it OTP requests answer 503.</summary>
    public int BudgetPerMinute { get; set; } = 100;
    public HttpGatewayOptions Http { get; set; } = new();

    public sealed class HttpGatewayOptions
    {
        /// <summary>Receives <c>POST {"to": "+91...", "message": "..."}</c>; any 2xx is success.</summary>
        public Uri? Url { get; set; }
        /// <summary>Sent as <c>Authorization: Bearer ...</c> when set.</summary>
        public string? ApiKey { get; set; }
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);
    }
}

/// <summary>The development sender is refused outside Development (and the test environment).</summary>
public sealed class SmsOptionsValidator(IHostEnvironment env) : IValidateOptions<SmsOptions>
{
    public ValidateOptionsResult Validate(string? name, SmsOptions o) => o.BudgetPerMinute < 1
        ? ValidateOptionsResult.Fail("Sms:BudgetPerMinute must be at least 1")
        : o.Sender switch
    {
        SmsOptions.LogSender when !env.IsDevelopment() && !env.IsEnvironment("Testing") =>
            ValidateOptionsResult.Fail($"Sms:Sender is 'log', the development sender that writes codes to the log, which is refused in {env.EnvironmentName}: set Sms:Sender=http and Sms:Http:Url"),
        SmsOptions.LogSender => ValidateOptionsResult.Success,
        SmsOptions.HttpSender when o.Http.Url is not { IsAbsoluteUri: true } =>
            ValidateOptionsResult.Fail("Sms:Http:Url is not set: the absolute URL of the SMS gateway (Sms:Sender is 'http')"),
        SmsOptions.HttpSender => ValidateOptionsResult.Success,
        null or "" => ValidateOptionsResult.Fail("Sms:Sender is not set: use 'http' with Sms:Http:Url ('log' is for Development only)"),
        _ => ValidateOptionsResult.Fail($"Sms:Sender '{o.Sender}' is unknown: use 'http' (or 'log' in Development)"),
    };
}

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

/// <summary>A generic HTTP SMS gateway: one JSON POST per message.</summary>
public sealed class HttpSmsSender(IHttpClientFactory clients, IOptions<SmsOptions> options) : ISmsSender
{
    public const string ClientName = "sms-gateway";

    public async Task SendOtpAsync(string mobile, string code, TimeSpan validFor, CancellationToken ct)
    {
        var gateway = options.Value.Http;
        using var request = new HttpRequestMessage(HttpMethod.Post, gateway.Url)
        {
            Content = JsonContent.Create(new { to = mobile, message = $"{code} is your Ombaro login code. It expires in {(int)validFor.TotalMinutes} minutes." }),
        };
        if (!string.IsNullOrEmpty(gateway.ApiKey)) request.Headers.Authorization = new("Bearer", gateway.ApiKey);
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, ct).WaitAsync(gateway.Timeout, ct);
            if (!response.IsSuccessStatusCode) throw new SmsDeliveryException($"The SMS gateway answered {(int)response.StatusCode}.");
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException)
        {
            throw new SmsDeliveryException("The SMS gateway is not reachable.", e);
        }
    }
}
