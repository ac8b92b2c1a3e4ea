namespace Ombaro.Api.Infrastructure.Otp;

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
