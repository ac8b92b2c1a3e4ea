namespace Ombaro.Api.Features.Admin;

public static class AdminExtensions
{
    /// <summary>The admin console: the zone of its reports, and the caches that depend on a user.</summary>
    public static IServiceCollection AddAdmin(this IServiceCollection services)
    {
        services.AddOptions<ReportingOptions>().BindConfiguration(ReportingOptions.Section)
            .Validate(o => LocalCalendar.IsKnownZone(o.TimeZone), "Reporting:TimeZone is not a known time zone").ValidateOnStart();
        services.AddSingleton<UserCaches>();
        return services;
    }
}
