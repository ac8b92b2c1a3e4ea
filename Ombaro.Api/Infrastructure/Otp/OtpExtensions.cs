namespace Ombaro.Api.Infrastructure.Otp;

public static class OtpExtensions
{
    /// <summary>One-time codes in Redis and the SMS sender the configuration names (checked at start-up).</summary>
    public static IServiceCollection AddOtp(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<OtpOptions>, OtpOptionsValidator>();
        services.AddOptions<OtpOptions>().BindConfiguration(OtpOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SmsOptions>, SmsOptionsValidator>();
        services.AddOptions<SmsOptions>().BindConfiguration(SmsOptions.Section).ValidateOnStart();
        services.AddSingleton<OtpStore>();
        services.AddSingleton<SmsBudget>();
        services.AddHttpClient(HttpSmsSender.ClientName);
        services.AddSingleton<LogSmsSender>();
        services.AddSingleton<HttpSmsSender>();
        services.AddSingleton<ISmsSender>(sp =>
            sp.GetRequiredService<IOptions<SmsOptions>>().Value.Sender == SmsOptions.HttpSender
                ? sp.GetRequiredService<HttpSmsSender>()
                : sp.GetRequiredService<LogSmsSender>());
        return services;
    }
}
