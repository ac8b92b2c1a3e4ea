namespace Ombaro.Api.Features.Attendance;

public static class AttendanceExtensions
{
    /// <summary>Employee attendance: the zone whose local date a check-in belongs to.</summary>
    public static IServiceCollection AddAttendance(this IServiceCollection services)
    {
        services.AddOptions<AttendanceOptions>().BindConfiguration(AttendanceOptions.Section)
            .Validate(o => LocalCalendar.IsKnownZone(o.TimeZone), "Attendance:TimeZone is not a known time zone").ValidateOnStart();
        return services;
    }
}
