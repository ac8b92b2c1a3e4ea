using Ombaro.Api.Features.Admin;

namespace Ombaro.Api.Features.Desks;

public static class DesksExtensions
{
    /// <summary>Therapist earnings, vendor desk, employee attendance and reports, admin console.</summary>
    public static IServiceCollection AddDesks(this IServiceCollection services)
    {
        services.AddOptions<EarningsOptions>().BindConfiguration(EarningsOptions.Section)
            .Validate(o => o.IsValid(), "Earnings: shares must be between 0 and 1, keyed by vendor id, and DefaultTimeZone a known zone").ValidateOnStart();
        services.AddOptions<AttendanceOptions>().BindConfiguration(AttendanceOptions.Section)
            .Validate(o => LocalCalendar.IsKnownZone(o.TimeZone), "Attendance:TimeZone is not a known time zone").ValidateOnStart();
        services.AddOptions<ReportingOptions>().BindConfiguration(ReportingOptions.Section)
            .Validate(o => LocalCalendar.IsKnownZone(o.TimeZone), "Reporting:TimeZone is not a known time zone").ValidateOnStart();
        services.AddSingleton<UserCaches>();
        return services;
    }
}
