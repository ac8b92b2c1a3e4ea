namespace Ombaro.Api.Infrastructure.Otp;

public sealed class OtpOptions
{
    public const string Section = "Otp";

    /// <summary>Key of the HMAC that Redis stores instead of the code; at least 32 characters, never logged.</summary>
    public string? Secret { get; set; }

    public TimeSpan CodeLifetime { get; set; } = TimeSpan.FromMinutes(5);
    public TimeSpan Cooldown { get; set; } = TimeSpan.FromSeconds(30);
    public int MaxCodesPerHour { get; set; } = 5;
    /// <summary>Wrong guesses one client (an IPv4 address, an IPv6 /64) may make at one code; the code stays good for others.</summary>
    public int MaxAttempts { get; set; } = 5;
    /// <summary>Wrong guesses one client may make for one mobile per <see cref="FailureWindow"/>, whatever the number of codes.</summary>
    public int MaxFailuresPerClient { get; set; } = 10;
    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromHours(1);
    /// <summary>From the <see cref="MaxAttempts"/>-th failure on, a client waits this long (doubling per failure, at most <see cref="MaxFailureDelay"/>) before its next guess.</summary>
    public TimeSpan FailureDelay { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxFailureDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Development only: mobiles that accept <see cref="TestCode"/> and get no SMS (like Firebase's test numbers).</summary>
    public List<string> TestMobiles { get; set; } = [];
    public string? TestCode { get; set; }

    /// <summary>Regions (ISO 3166, e.g. <c>IN</c>) whose mobiles may sign in or be provisioned; others get no SMS.</summary>
    public string[] AllowedRegions { get; set; } = [MobileNumber.DefaultRegion];

    /// <summary>The validator message for a mobile outside <see cref="AllowedRegions"/> or not a mobile at all.</summary>
    public string MobileRule => $"Not a valid mobile number of an allowed region ({string.Join(", ", AllowedRegions)}); use +91XXXXXXXXXX or a 10-digit Indian mobile.";
}

/// <summary>Start-up checks for <see cref="OtpOptions"/>; a failure stops the app with one line.</summary>
public sealed class OtpOptionsValidator(IHostEnvironment env) : IValidateOptions<OtpOptions>
{
    public ValidateOptionsResult Validate(string? name, OtpOptions o)
    {
        var failures = new List<string>();
        if (o.Secret is null || o.Secret.Length < 32)
            failures.Add("Otp:Secret is not set or shorter than 32 characters: set a random server secret (e.g. `openssl rand -base64 48`)");
        if (o.CodeLifetime <= TimeSpan.Zero || o.Cooldown < TimeSpan.Zero || o.MaxCodesPerHour < 1 || o.MaxAttempts < 1)
            failures.Add("Otp: CodeLifetime must be positive, Cooldown not negative, MaxCodesPerHour and MaxAttempts at least 1");
        if (o.AllowedRegions.Length == 0)
            failures.Add("Otp:AllowedRegions is empty: list the ISO 3166 regions whose mobiles may sign in (e.g. IN)");
        else if (o.AllowedRegions.FirstOrDefault(r => !MobileNumber.IsRegion(r)) is { } region)
            failures.Add($"Otp:AllowedRegions holds '{region}', which is not a region code libphonenumber knows (e.g. IN)");
        if (o.MaxFailuresPerClient < o.MaxAttempts || o.FailureWindow <= TimeSpan.Zero || o.FailureDelay < TimeSpan.Zero || o.MaxFailureDelay < o.FailureDelay)
            failures.Add("Otp: MaxFailuresPerClient must be at least MaxAttempts, FailureWindow positive, 0 <= FailureDelay <= MaxFailureDelay");
        if (o.TestMobiles.Count > 0)
        {
            if (!env.IsDevelopment())
                failures.Add($"Otp:TestMobiles is set in {env.EnvironmentName}: fixed test codes are allowed in Development only");
            if (o.TestCode is not { Length: 6 } || !o.TestCode.All(char.IsAsciiDigit))
                failures.Add("Otp:TestCode must be 6 digits when Otp:TestMobiles is set");
            if (o.TestMobiles.FirstOrDefault(m => !MobileNumber.IsValid(m)) is { } bad)
                failures.Add($"Otp:TestMobiles holds '{bad}', which is not a valid mobile number");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
